/**
 * How often a CronJob runs: a 5-field cron schedule (the syntax Kubernetes accepts, robfig/cron's
 * standard parser) -> runs in a month of 730 hours. The month is a twelfth of a 365-day year, the
 * year the 730 hours come from, averaged over the seven weekdays it can start on: hourly gives 730
 * runs, daily 730/24, monthly 1, weekly 365/7/12. A schedule that only matches February 29 is
 * counted over the 400-year Gregorian cycle instead.
 *
 * The same counter serves the pipelines (`countSchedules`): GitHub Actions' 5-field crons (no
 * macros; GitHub runs a schedule at most every 5 minutes), Argo CronWorkflows (robfig/cron, like
 * Kubernetes) and EventBridge `cron(...)` expressions converted to 5 fields by the caller. There is
 * one cron grammar and one counter in mlcost: this file.
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

// ---------------------------------------------------------------------------------------------
// Several schedules, dialects, and a minimum interval (pipelines)

export type CronDialect = 'kubernetes' | 'github';

export interface CountOptions {
  /**
   * `kubernetes` (robfig/cron: macros, `@every`, `CRON_TZ=`, `?`) or `github` (GitHub Actions: exactly
   * 5 fields of numbers, names, `*`, `,`, `-` and `/`; no macros, no `?`).
   */
  dialect?: CronDialect;
  /** Runs less than this many minutes after the previous run are not made (GitHub: 5). */
  minIntervalMinutes?: number;
  /**
   * `sum` (default): each schedule fires on its own, so a minute two schedules share runs twice.
   * `union`: a minute several schedules share runs once (Argo's Forbid and Replace policies).
   */
  combine?: 'sum' | 'union';
}

interface Parsed {
  minutesOfDay: number[];
  dom: Field;
  month: Field;
  dow: Field;
}

const GITHUB_FIELD = /^[0-9A-Za-z*,\-/]+$/;

function parseFive(schedule: string, dialect: CronDialect): Parsed {
  let text = schedule.trim();
  if (dialect === 'github') {
    if (text.startsWith('@')) throw new Error(`GitHub Actions does not accept ${text.split(/\s/)[0]}: write the 5 fields (minute hour day-of-month month day-of-week)`);
  } else {
    text = text.replace(/^(CRON_TZ|TZ)=\S+\s+/, '');
    if (text.startsWith('@every ')) throw new Error('@every is counted by runsPerMonth only');
    if (text.startsWith('@')) {
      const macro = MACROS[text.toLowerCase()];
      if (!macro) throw new Error(`${text} is not a schedule mlcost can count (use 5 fields or @hourly, @daily, @weekly, @monthly, @yearly)`);
      text = macro;
    }
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 5) throw new Error(`expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`);
  if (dialect === 'github') {
    const bad = parts.find((p) => !GITHUB_FIELD.test(p));
    if (bad !== undefined) throw new Error(`"${bad}" is not valid in a GitHub Actions schedule (use numbers, names, *, commas, - and /)`);
  }
  const [minute, hour, dom, month, dow] = parts.map((p, i) => parseField(p, FIELDS[i] as FieldSpec)) as [Field, Field, Field, Field, Field];
  const minutesOfDay: number[] = [];
  for (const h of [...hour.values].sort((a, b) => a - b)) for (const m of [...minute.values].sort((a, b) => a - b)) minutesOfDay.push(h * 60 + m);
  return { minutesOfDay, dom, month, dow };
}

/** Runs in one day of the minutes given (sorted), keeping only runs at least `gap` minutes apart. */
function spaced(minutes: number[], gap: number): number {
  if (gap <= 1) return minutes.length;
  let n = 0;
  let last = -Infinity;
  for (const m of minutes) {
    if (m - last < gap) continue;
    n++;
    last = m;
  }
  return n;
}

/** Runs on one day, given which schedules match it (a bit mask). */
function runsOnDay(parsed: Parsed[], mask: number, opts: CountOptions, cache: Map<number, number>): number {
  const hit = cache.get(mask);
  if (hit !== undefined) return hit;
  const gap = opts.minIntervalMinutes ?? 1;
  let n = 0;
  if (opts.combine === 'union') {
    const all = new Set<number>();
    parsed.forEach((p, i) => {
      if (mask & (1 << i)) for (const m of p.minutesOfDay) all.add(m);
    });
    n = spaced([...all].sort((a, b) => a - b), gap);
  } else {
    parsed.forEach((p, i) => {
      if (mask & (1 << i)) n += spaced(p.minutesOfDay, gap);
    });
  }
  cache.set(mask, n);
  return n;
}

/** Runs of the schedules over a year starting on weekday `start`. */
function yearRuns(parsed: Parsed[], start: number, leap: boolean, opts: CountOptions, cache: Map<number, number>): number {
  let n = 0;
  let w = start;
  for (let m = 1; m <= 12; m++)
    for (let d = 1; d <= daysInMonth(m, leap); d++) {
      let mask = 0;
      parsed.forEach((p, i) => {
        if (dayMatches(p.dom, p.month, p.dow, m, d, w)) mask |= 1 << i;
      });
      if (mask) n += runsOnDay(parsed, mask, opts, cache);
      w = (w + 1) % 7;
    }
  return n;
}

/**
 * Runs per 730-hour month of one or more cron schedules, counted as `runsPerMonth` counts one (a
 * twelfth of a 365-day year, averaged over the weekday it starts on; the 400-year cycle when only
 * leap days match), with a dialect's checks, a minimum interval between runs and a way to combine
 * schedules. At most 30 schedules.
 */
export function countSchedules(schedules: readonly string[], opts: CountOptions = {}): CronCount {
  const dialect = opts.dialect ?? 'kubernetes';
  const parsed: Parsed[] = [];
  for (const s of schedules) {
    try {
      parsed.push(parseFive(s, dialect));
    } catch (e) {
      return { ok: false, reason: `schedule "${s}": ${(e as Error).message}` };
    }
  }
  if (parsed.length === 0) return { ok: true, runsPerMonth: 0 };
  if (parsed.length > 30) return { ok: false, reason: `${parsed.length} schedules: mlcost counts at most 30 together` };
  const cache = new Map<number, number>();
  let total = 0;
  for (let start = 0; start < 7; start++) total += yearRuns(parsed, start, false, opts, cache);
  if (total > 0) return { ok: true, runsPerMonth: total / 7 / 12 };
  let w = 6;
  for (let y = 2000; y < 2400; y++) {
    total += yearRuns(parsed, w, isLeap(y), opts, cache);
    w = (w + (isLeap(y) ? 366 : 365)) % 7;
  }
  return { ok: true, runsPerMonth: total / (400 * 12) };
}

/** The values each field of a 5-field schedule expands to (sorted), for checks against other cron parsers. */
export function expandSchedule(schedule: string, dialect: CronDialect = 'github'): { minute: number[]; hour: number[]; dayOfMonth: number[]; month: number[]; dayOfWeek: number[] } {
  const parts = schedule.trim().split(/\s+/);
  const p = parseFive(schedule, dialect);
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
  const hours = parseField(parts[1] as string, FIELDS[1] as FieldSpec);
  const minutes = parseField(parts[0] as string, FIELDS[0] as FieldSpec);
  // Sunday may be written 0 or 7: both mean Sunday.
  const dow = new Set([...p.dow.values].map((d) => (d === 7 ? 0 : d)));
  return { minute: sorted(minutes.values), hour: sorted(hours.values), dayOfMonth: sorted(p.dom.values), month: sorted(p.month.values), dayOfWeek: sorted(dow) };
}
