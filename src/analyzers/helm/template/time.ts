/**
 * Go's time.Time as templates see it: layouts ("2006-01-02T15:04:05Z07:00"), durations
 * ("1h2m3s"), and the methods charts call on dates. Times carry a fixed UTC offset; named zones
 * are resolved through Intl when the runtime knows them, otherwise UTC. "Local" is UTC: a render
 * must not depend on the machine it runs on.
 */
import { GoInt, GoObject, goInt } from './values.js';

export interface TimeValue {
  /** Milliseconds since the Unix epoch. */
  ms: number;
  /** Nanoseconds within the millisecond (0..999999). */
  ns: number;
  /** Offset east of UTC, in seconds. */
  offset: number;
  zone: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Fields { year: number; month: number; day: number; hour: number; minute: number; second: number; nanos: number; weekday: number; yday: number }

function fields(t: TimeValue): Fields {
  const d = new Date(t.ms + t.offset * 1000);
  const start = utcMs(d.getUTCFullYear(), 0, 1);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    nanos: d.getUTCMilliseconds() * 1_000_000 + t.ns,
    weekday: d.getUTCDay(),
    yday: Math.floor((utcMs(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - start) / 86_400_000) + 1,
  };
}

type Std =
  | 'Jan' | 'January' | 'Mon' | 'Monday' | 'MST' | '01' | '02' | '03' | '04' | '05' | '06' | '002' | '__2' | '_2'
  | '1' | '15' | '2006' | '2' | '3' | '4' | '5' | 'PM' | 'pm'
  | '-070000' | '-07:00:00' | '-0700' | '-07:00' | '-07' | 'Z070000' | 'Z07:00:00' | 'Z0700' | 'Z07:00' | 'Z07'
  | { frac: string };

/** Splits a layout into literal text and standard chunks, with Go's precedence. */
interface Lit { lit: string }

function chunks(layout: string): (Lit | Std)[] {
  const out: (Lit | Std)[] = [];
  let lit = '';
  const push = (s: Std): void => {
    if (lit) out.push({ lit });
    lit = '';
    out.push(s);
  };
  let i = 0;
  const at = (s: string): boolean => layout.startsWith(s, i);
  while (i < layout.length) {
    const c = layout[i] as string;
    let std: Std | undefined;
    switch (c) {
      case 'J':
        if (at('January')) std = 'January';
        else if (at('Jan')) std = 'Jan';
        break;
      case 'M':
        if (at('Monday')) std = 'Monday';
        else if (at('Mon')) std = 'Mon';
        else if (at('MST')) std = 'MST';
        break;
      case '0':
        if (layout[i + 1] !== undefined && layout[i + 1]! >= '1' && layout[i + 1]! <= '6') std = `0${layout[i + 1]}` as Std;
        else if (at('002')) std = '002';
        break;
      case '1':
        std = at('15') ? '15' : '1';
        break;
      case '2':
        std = at('2006') ? '2006' : '2';
        break;
      case '_':
        if (at('_2')) {
          if (at('_2006')) {
            lit += '_';
            i++;
            std = '2006';
          } else std = '_2';
        } else if (at('__2')) std = '__2';
        break;
      case '3': case '4': case '5':
        std = c as Std;
        break;
      case 'P':
        if (at('PM')) std = 'PM';
        break;
      case 'p':
        if (at('pm')) std = 'pm';
        break;
      case '-':
      case 'Z':
        for (const z of ['070000', '07:00:00', '0700', '07:00', '07']) {
          if (at(c + z)) {
            std = (c + z) as Std;
            break;
          }
        }
        break;
      case '.':
      case ',': {
        const d = layout[i + 1];
        if (d === '0' || d === '9') {
          let j = i + 1;
          while (layout[j] === d) j++;
          if (!(layout[j] !== undefined && layout[j]! >= '0' && layout[j]! <= '9')) std = { frac: layout.slice(i, j) };
        }
        break;
      }
      default:
        break;
    }
    if (std === undefined) {
      lit += c;
      i++;
      continue;
    }
    i += typeof std === 'string' ? std.length : std.frac.length;
    push(std);
  }
  if (lit) out.push({ lit });
  return out;
}

const pad = (n: number, w: number, ch = '0'): string => String(n).padStart(w, ch);

/** Date.UTC without its mapping of years 0-99 to 1900-1999. */
function utcMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

const ZERO_MS = utcMs(1, 0, 1);

function zoneOffset(offset: number, std: string): string {
  if (std.startsWith('Z') && offset === 0) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const h = pad(Math.floor(a / 3600), 2);
  const m = pad(Math.floor((a % 3600) / 60), 2);
  const s = pad(a % 60, 2);
  const kind = std.slice(1);
  switch (kind) {
    case '070000': return sign + h + m + s;
    case '07:00:00': return `${sign}${h}:${m}:${s}`;
    case '0700': return sign + h + m;
    case '07:00': return `${sign}${h}:${m}`;
    default: return sign + h;
  }
}

/** Time.Format. */
export function formatTime(t: TimeValue, layout: string): string {
  const f = fields(t);
  let out = '';
  for (const c of chunks(layout)) {
    if (typeof c === 'object' && 'lit' in c) {
      out += c.lit;
      continue;
    }
    if (typeof c === 'object') {
      const digits = c.frac.length - 1;
      let s = pad(f.nanos, 9).slice(0, digits);
      if (c.frac[1] === '9') {
        s = s.replace(/0+$/, '');
        out += s ? c.frac[0] + s : '';
      } else out += c.frac[0] + s;
      continue;
    }
    switch (c) {
      case 'Jan': out += MONTHS[f.month - 1]!.slice(0, 3); break;
      case 'January': out += MONTHS[f.month - 1]; break;
      case 'Mon': out += DAYS[f.weekday]!.slice(0, 3); break;
      case 'Monday': out += DAYS[f.weekday]; break;
      case 'MST': out += t.zone || zoneOffset(t.offset, '-0700'); break;
      case '01': out += pad(f.month, 2); break;
      case '02': out += pad(f.day, 2); break;
      case '03': out += pad(f.hour % 12 === 0 ? 12 : f.hour % 12, 2); break;
      case '04': out += pad(f.minute, 2); break;
      case '05': out += pad(f.second, 2); break;
      case '06': out += pad(f.year % 100, 2); break;
      case '002': out += pad(f.yday, 3); break;
      case '__2': out += pad(f.yday, 3, ' '); break;
      case '_2': out += pad(f.day, 2, ' '); break;
      case '1': out += f.month; break;
      case '15': out += pad(f.hour, 2); break;
      case '2006': out += pad(f.year, 4); break;
      case '2': out += f.day; break;
      case '3': out += f.hour % 12 === 0 ? 12 : f.hour % 12; break;
      case '4': out += f.minute; break;
      case '5': out += f.second; break;
      case 'PM': out += f.hour >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += f.hour >= 12 ? 'pm' : 'am'; break;
      default:
        if (c.startsWith('-') || c.startsWith('Z')) out += zoneOffset(t.offset, c);
        else out += c;
    }
  }
  return out;
}

/** time.Parse for the layouts charts use; throws on a mismatch. */
export { ZERO_MS };

export function parseTime(layout: string, value: string): TimeValue {
  if (layout.length > 256 || value.length > 256) throw new Error('parsing time: layout or value too long');
  let src = '';
  const parts: (Std | null)[] = [];
  for (const c of chunks(layout)) {
    if (typeof c === 'object' && 'lit' in c) {
      src += c.lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    const std = c;
    parts.push(std);
    if (typeof std === 'object') {
      src += `(?:[.,](\\d+))${std.frac[1] === '9' ? '?' : ''}`;
      continue;
    }
    const re: Record<string, string> = {
      Jan: '([A-Za-z]{3})', January: '([A-Za-z]+)', Mon: '([A-Za-z]{3})', Monday: '([A-Za-z]+)', MST: '([A-Za-z]{3,5}|[+-]\\d+)',
      '01': '(\\d{2})', '02': '(\\d{2})', '03': '(\\d{2})', '04': '(\\d{2})', '05': '(\\d{2})(?:[.,](\\d+))?', '06': '(\\d{2})',
      '002': '(\\d{3})', '__2': '( {0,2}\\d{1,3})', '_2': '( ?\\d{1,2})', '1': '(\\d{1,2})', '15': '(\\d{1,2})', '2006': '(\\d{4})',
      '2': '(\\d{1,2})', '3': '(\\d{1,2})', '4': '(\\d{1,2})', '5': '(\\d{1,2})(?:[.,](\\d+))?', PM: '(AM|PM)', pm: '(am|pm)',
    };
    if (std.startsWith('-') || std.startsWith('Z')) src += `(${std.startsWith('Z') ? 'Z|' : ''}[+-]\\d{2}(?::?\\d{2}(?::?\\d{2})?)?)`;
    else src += re[std] ?? '';
  }
  const m = new RegExp(`^${src}$`).exec(value);
  if (!m) throw new Error(`parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse`);
  let year = 1;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nanos = 0;
  let pm: boolean | undefined;
  let offset = 0;
  let zone = 'UTC';
  let g = 1;
  const frac = (s: string | undefined): void => {
    if (s) nanos = Number(s.slice(0, 9).padEnd(9, '0'));
  };
  for (const p of parts) {
    if (p === null) continue;
    if (typeof p === 'object') {
      frac(m[g++]);
      continue;
    }
    const v = m[g++] ?? '';
    switch (p) {
      case 'Jan': case 'January': month = MONTHS.findIndex((x) => x.toLowerCase().startsWith(v.toLowerCase())) + 1; break;
      case '01': case '1': month = Number(v); break;
      case '02': case '2': case '_2': day = Number(v.trim()); break;
      case '15': hour = Number(v); break;
      case '03': case '3': hour = Number(v); break;
      case '04': case '4': minute = Number(v); break;
      case '05': case '5': second = Number(v); frac(m[g++]); break;
      case '2006': year = Number(v); break;
      case '06': year = Number(v) + (Number(v) >= 69 ? 1900 : 2000); break;
      case 'PM': case 'pm': pm = v.toLowerCase() === 'pm'; break;
      case 'MST': zone = v; break;
      default:
        if (p.startsWith('-') || p.startsWith('Z')) {
          if (v !== 'Z') {
            const mm = /^([+-])(\d{2}):?(\d{2})?:?(\d{2})?$/.exec(v);
            if (mm) {
              offset = (mm[1] === '-' ? -1 : 1) * (Number(mm[2]) * 3600 + Number(mm[3] ?? 0) * 60 + Number(mm[4] ?? 0));
              zone = '';
            }
          }
        }
    }
  }
  if (pm !== undefined) {
    if (pm && hour < 12) hour += 12;
    if (!pm && hour === 12) hour = 0;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    throw new Error(`parsing time ${JSON.stringify(value)}: value out of range`);
  }
  const ms = utcMs(year, month - 1, day, hour, minute, second) - offset * 1000 + Math.floor(nanos / 1_000_000);
  return { ms, ns: nanos % 1_000_000, offset, zone };
}

/** time.Time in zone `name` (UTC when unknown; "Local" is UTC). */
export function inZone(t: TimeValue, name: string): TimeValue {
  if (name === 'UTC' || name === 'Local' || name === '') return { ...t, offset: 0, zone: 'UTC' };
  try {
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', timeZoneName: 'short',
    });
    const parts = Object.fromEntries(fmt.formatToParts(new Date(t.ms)).map((p) => [p.type, p.value]));
    const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
    const offset = Math.round((local - Math.floor(t.ms / 1000) * 1000) / 1000);
    return { ...t, offset, zone: String(parts.timeZoneName ?? name) };
  } catch {
    return { ...t, offset: 0, zone: 'UTC' };
  }
}

// ---- durations ----

const UNITS: Record<string, bigint> = {
  ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};

/** time.ParseDuration, in nanoseconds. */
export function parseDuration(s: string): bigint {
  const orig = s;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw new Error(`time: invalid duration ${JSON.stringify(orig)}`);
  let total = 0n;
  const re = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/;
  while (s) {
    const m = re.exec(s);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw new Error(`time: invalid duration ${JSON.stringify(orig)}`);
    const unit = UNITS[m[3] as string] as bigint;
    total += BigInt(m[1] || '0') * unit;
    const fracDigits = m[2] ?? '';
    if (fracDigits) total += (BigInt(fracDigits) * unit) / 10n ** BigInt(fracDigits.length);
    s = s.slice(m[0].length);
  }
  return neg ? -total : total;
}

/** time.Duration.String. */
export function durationString(d: bigint): string {
  if (d === 0n) return '0s';
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  if (u < 1_000_000_000n) {
    const [unit, div] = u < 1000n ? ['ns', 1n] : u < 1_000_000n ? ['µs', 1000n] : ['ms', 1_000_000n];
    out = fracString(u, div as bigint) + unit;
  } else {
    const h = u / 3_600_000_000_000n;
    u %= 3_600_000_000_000n;
    const m = u / 60_000_000_000n;
    u %= 60_000_000_000n;
    out = `${fracString(u, 1_000_000_000n)}s`;
    if (h > 0n) out = `${h}h${m}m${out}`;
    else if (m > 0n) out = `${m}m${out}`;
  }
  return (neg ? '-' : '') + out;
}

function fracString(v: bigint, div: bigint): string {
  const whole = v / div;
  const rem = v % div;
  if (rem === 0n) return whole.toString();
  const digits = div.toString().length - 1;
  return `${whole}.${rem.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}

// ---- as template values ----

export function timeUnix(t: TimeValue): bigint {
  return BigInt(Math.floor(t.ms / 1000));
}

export function isTimeObject(v: unknown): v is GoObject {
  return v instanceof GoObject && v.typeName === 'time.Time';
}

const timeValues = new WeakMap<GoObject, TimeValue>();

export function timeOf(o: GoObject): TimeValue {
  return timeValues.get(o) ?? { ms: 0, ns: 0, offset: 0, zone: 'UTC' };
}

/** A time.Time template value, with the methods charts call. */
export function makeTime(t: TimeValue): GoObject {
  const rfc = '2006-01-02T15:04:05.999999999Z07:00';
  const o: GoObject = new GoObject('time.Time', 'struct', {}, {
    Unix: { params: [], call: () => goInt(timeUnix(t), 'int64') },
    UnixNano: { params: [], call: () => goInt(BigInt(t.ms) * 1_000_000n + BigInt(t.ns), 'int64') },
    Year: { params: [], call: () => goInt(fields(t).year) },
    Month: { params: [], call: () => MONTHS[fields(t).month - 1] },
    Day: { params: [], call: () => goInt(fields(t).day) },
    Hour: { params: [], call: () => goInt(fields(t).hour) },
    Minute: { params: [], call: () => goInt(fields(t).minute) },
    Second: { params: [], call: () => goInt(fields(t).second) },
    Nanosecond: { params: [], call: () => goInt(fields(t).nanos) },
    YearDay: { params: [], call: () => goInt(fields(t).yday) },
    Weekday: { params: [], call: () => DAYS[fields(t).weekday] },
    IsZero: { params: [], call: () => t.ms === ZERO_MS && t.ns === 0 },
    UTC: { params: [], call: () => makeTime(inZone(t, 'UTC')) },
    Local: { params: [], call: () => makeTime(inZone(t, 'UTC')) },
    Format: { params: ['string'], call: ([layout]) => formatTime(t, layout as string) },
    String: { params: [], call: () => formatTime(t, '2006-01-02 15:04:05.999999999 -0700 MST') },
    Add: {
      params: ['any'],
      call: ([d]) => {
        const ns = d instanceof GoInt ? d.value : 0n;
        const total = BigInt(t.ms) * 1_000_000n + BigInt(t.ns) + ns;
        return makeTime({ ...t, ms: Number(total / 1_000_000n), ns: Number(total % 1_000_000n) });
      },
    },
    AddDate: {
      params: ['int', 'int', 'int'],
      call: ([y, mo, d]) => {
        const f = fields(t);
        const ms = utcMs(f.year + Number((y as GoInt).value), f.month - 1 + Number((mo as GoInt).value), f.day + Number((d as GoInt).value), f.hour, f.minute, f.second) - t.offset * 1000 + Math.floor(f.nanos / 1e6) % 1000;
        return makeTime({ ...t, ms });
      },
    },
  }, {
    stringer: () => formatTime(t, '2006-01-02 15:04:05.999999999 -0700 MST'),
    marshal: () => formatTime(t, rfc),
  });
  timeValues.set(o, t);
  return o;
}
