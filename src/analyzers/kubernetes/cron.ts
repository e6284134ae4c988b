/**
 * How often a CronJob runs: a 5-field cron schedule (the syntax Kubernetes accepts, robfig/cron's
 * standard parser) -> runs in a month of 730 hours. The month is a twelfth of a 365-day year, the
 * year the 730 hours come from, averaged over the seven weekdays it can start on: hourly gives 730
 * runs, daily 730/24, monthly 1, weekly 365/7/12. A schedule that only matches February 29 is
 * counted over the 400-year Gregorian cycle instead.
 */

const HOURS_PER_MONTH = 730;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Field {
  values: Set<number>;
  /** Written as `*` or `?` (robfig/cron: a star field does not widen the day match). */
  star: boolean;
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Offset of names[0] (months start at 1). */
  nameBase?: number;
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, nameBase: 0 },
];

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

function parseValue(text: string, f: FieldSpec): number {
  const upper = text.toUpperCase();
  const named = f.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + (f.nameBase ?? 0);
  if (!/^\d+$/.test(text)) throw new Error(`"${text}" is not a valid ${f.name}`);
  const n = Number(text);
  if (n < f.min || n > f.max) throw new Error(`${f.name} ${n} is out of range ${f.min}-${f.max}`);
  return n;
}

function parseField(text: string, f: FieldSpec): Field {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(',')) {
    if (part === '') throw new Error(`empty item in the ${f.name} field`);
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined || range === undefined) throw new Error(`"${part}" is not a valid ${f.name}`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) throw new Error(`step "${stepText}" in the ${f.name} field is not a positive number`);
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      lo = f.min;
      hi = f.max === 7 ? 6 : f.max;
      if (step === 1) star = true;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      lo = parseValue(a, f);
      hi = parseValue(b, f);
      if (hi < lo) throw new Error(`range "${range}" in the ${f.name} field runs backwards`);
    } else {
      lo = parseValue(range, f);
      // robfig/cron: `N/step` means N to the end of the range.
      hi = stepText !== undefined ? (f.max === 7 ? 6 : f.max) : lo;
    }
    for (let v = lo; v <= hi; v += step) values.add(f.max === 7 && v === 7 ? 0 : v);
  }
  return { values, star };
}

function daysInMonth(month: number, leap: boolean): number {
  return month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function dayMatches(dom: Field, month: Field, dow: Field, m: number, d: number, w: number): boolean {
  if (!month.values.has(m)) return false;
  const a = dom.values.has(d);
  const b = dow.values.has(w);
  return dom.star || dow.star ? a && b : a || b;
}

/** Matching days of a year starting on weekday `start` (0 = Sunday). */
function matchingDays(dom: Field, month: Field, dow: Field, start: number, leap: boolean): number {
  let n = 0;
  let w = start;
  for (let m = 1; m <= 12; m++)
    for (let d = 1; d <= daysInMonth(m, leap); d++) {
      if (dayMatches(dom, month, dow, m, d, w)) n++;
      w = (w + 1) % 7;
    }
  return n;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Matching days per month over the 400-year Gregorian cycle (2000-01-01 was a Saturday). */
function cycleDaysPerMonth(dom: Field, month: Field, dow: Field): number {
  let n = 0;
  let w = 6;
  for (let y = 2000; y < 2400; y++) {
    n += matchingDays(dom, month, dow, w, isLeap(y));
    w = (w + (isLeap(y) ? 366 : 365)) % 7;
  }
  return n / (400 * 12);
}

/** `@every 1h30m` -> hours. */
function everyHours(text: string): number {
  const m = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(text);
  if (!m || text === '') throw new Error(`"${text}" is not a duration such as 1h30m`);
  const hours = Number(m[1] ?? 0) + Number(m[2] ?? 0) / 60 + Number(m[3] ?? 0) / 3600;
  if (hours <= 0) throw new Error(`@every needs a positive duration, got "${text}"`);
  return hours;
}

export type CronCount = { ok: true; runsPerMonth: number } | { ok: false; reason: string };

/** Runs per 730-hour month of a CronJob schedule. */
export function runsPerMonth(schedule: string): CronCount {
  try {
    let text = schedule.trim().replace(/^(CRON_TZ|TZ)=\S+\s+/, '');
    if (text.startsWith('@every ')) return { ok: true, runsPerMonth: HOURS_PER_MONTH / everyHours(text.slice(7).trim()) };
    if (text.startsWith('@')) {
      const macro = MACROS[text.toLowerCase()];
      if (!macro) throw new Error(`${text} is not a schedule mlcost can count (use 5 fields or @hourly, @daily, @weekly, @monthly, @yearly)`);
      text = macro;
    }
    const parts = text.split(/\s+/);
    if (parts.length !== 5) throw new Error(`expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`);
    const [minute, hour, dom, month, dow] = parts.map((p, i) => parseField(p, FIELDS[i] as FieldSpec)) as [Field, Field, Field, Field, Field];
    const perDay = minute.values.size * hour.values.size;
    let days = 0;
    for (let start = 0; start < 7; start++) days += matchingDays(dom, month, dow, start, false);
    let daysPerMonth = days / 7 / 12;
    if (daysPerMonth === 0) daysPerMonth = cycleDaysPerMonth(dom, month, dow);
    return { ok: true, runsPerMonth: perDay * daysPerMonth };
  } catch (e) {
    return { ok: false, reason: `schedule "${schedule}": ${(e as Error).message}` };
  }
}
