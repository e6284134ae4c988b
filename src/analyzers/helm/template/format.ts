/**
 * Go's fmt, as templates observe it: %v printing of every value kind, Sprint/Sprintln spacing,
 * Sprintf verbs, flags, width and precision, and the %!verb(type=value) forms for mismatches.
 */
import { GoInt, GoObject, goTypeName, isPlainMap, sortedKeys } from './values.js';

const MAX_DEPTH = 1000;

// ---- floats ----

interface Digits { neg: boolean; d: string; dp: number }

/** Shortest decimal digits that round-trip (Go's 'shortest' mode). */
function shortestDigits(f: number): Digits {
  const neg = f < 0 || Object.is(f, -0);
  const a = Math.abs(f);
  if (a === 0) return { neg, d: '0', dp: 1 };
  const [m = '0', e = '0'] = a.toExponential().split('e');
  const d = m.replace('.', '');
  return { neg, d, dp: Number(e) + 1 };
}

/** Digits rounded to n significant figures (n >= 1), trailing zeros trimmed. */
function roundedDigits(f: number, n: number): Digits {
  const neg = f < 0 || Object.is(f, -0);
  const a = Math.abs(f);
  if (a === 0) return { neg, d: '0', dp: 1 };
  const [m = '0', e = '0'] = a.toExponential(Math.min(Math.max(n - 1, 0), 100)).split('e');
  let d = m.replace('.', '').replace(/0+$/, '');
  if (d === '') d = '0';
  return { neg, d, dp: Number(e) + 1 };
}

function fmtE(x: Digits, prec: number, e: 'e' | 'E'): string {
  let s = x.d[0] ?? '0';
  if (prec > 0) {
    let frac = x.d.slice(1, 1 + prec);
    while (frac.length < prec) frac += '0';
    s += `.${frac}`;
  }
  const exp = x.d === '0' ? 0 : x.dp - 1;
  const ae = Math.abs(exp);
  return `${x.neg ? '-' : ''}${s}${e}${exp < 0 ? '-' : '+'}${ae < 10 ? `0${ae}` : ae}`;
}

function fmtF(x: Digits, prec: number): string {
  let intPart: string;
  if (x.dp > 0) {
    intPart = x.d.slice(0, x.dp);
    while (intPart.length < x.dp) intPart += '0';
  } else intPart = '0';
  let s = intPart;
  if (prec > 0) {
    let frac = '';
    for (let i = 0; i < prec; i++) {
      const j = x.dp + i;
      frac += j < 0 || j >= x.d.length ? '0' : x.d[j];
    }
    s += `.${frac}`;
  }
  return (x.neg ? '-' : '') + s;
}

function specialFloat(f: number): string | undefined {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  return undefined;
}

/** strconv.FormatFloat(f, 'g', prec, 64); prec -1 is the shortest representation. */
export function formatFloatG(f: number, prec = -1, upper = false): string {
  const sp = specialFloat(f);
  if (sp) return sp;
  const shortest = prec < 0;
  let x: Digits;
  let eprec: number;
  if (shortest) {
    x = shortestDigits(f);
    prec = x.d.length;
    eprec = 6;
  } else {
    if (prec === 0) prec = 1;
    x = roundedDigits(f, prec);
    eprec = prec;
    if (eprec > x.d.length && x.d.length >= x.dp) eprec = x.d.length;
  }
  const exp = x.dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (prec > x.d.length) prec = x.d.length;
    return fmtE(x, prec - 1, upper ? 'E' : 'e');
  }
  if (prec > x.dp) prec = x.d.length;
  return fmtF(x, Math.max(prec - x.dp, 0));
}

/** %e with a precision (default 6). */
export function formatFloatE(f: number, prec = 6, upper = false): string {
  const sp = specialFloat(f);
  if (sp) return sp;
  const x = roundedDigits(f, prec + 1);
  return fmtE(x, prec, upper ? 'E' : 'e');
}

/** %f with a precision (default 6). */
export function formatFloatF(f: number, prec = 6): string {
  const sp = specialFloat(f);
  if (sp) return sp;
  const a = Math.abs(f);
  const neg = f < 0 || Object.is(f, -0);
  if (a >= 1e21) {
    const s = BigInt(a).toString() + (prec > 0 ? `.${'0'.repeat(prec)}` : '');
    return (neg ? '-' : '') + s;
  }
  const s = a.toFixed(Math.min(prec, 100)) + (prec > 100 ? '0'.repeat(prec - 100) : '');
  return (neg ? '-' : '') + s;
}

// ---- strings ----

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

/** Go's strconv.Quote (or QuoteRune with quote "'"). */
export function goQuote(s: string, quote = '"', asciiOnly = false): string {
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') {
      out += `\\${ch}`;
      continue;
    }
    if (cp < 0x80 ? cp >= 0x20 && cp < 0x7f : !asciiOnly && PRINTABLE.test(ch) && !(cp >= 0xd800 && cp <= 0xdfff)) {
      out += ch;
      continue;
    }
    switch (ch) {
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
      default: break;
    }
    if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out + quote;
}

// ---- values ----

function isStringer(v: unknown): v is GoObject {
  return v instanceof GoObject && v.options.stringer !== undefined;
}

/** The %v rendering of a value (depth 0 is the top level: pointers print as &{...}). */
export function formatV(v: unknown, plus = false, depth = 0): string {
  if (depth > MAX_DEPTH) throw new RangeError('value nested too deeply to print (a cycle?)');
  if (v === undefined || v === null) return '<nil>';
  switch (typeof v) {
    case 'string': return v;
    case 'boolean': return v ? 'true' : 'false';
    case 'number': return formatFloatG(v);
    case 'bigint': return v.toString();
    default: break;
  }
  if (v instanceof GoInt) return v.value.toString();
  if (v instanceof Uint8Array) return `[${Array.from(v).join(' ')}]`;
  if (isStringer(v)) return v.options.stringer?.() ?? '';
  if (v instanceof GoObject) {
    if (v.kind === 'slice') return `[${(v.data as unknown[]).map((x) => formatV(x, plus, depth + 1)).join(' ')}]`;
    if (v.kind === 'map') return formatMap(v.data as Record<string, unknown>, plus, depth);
    const fields = Object.entries(v.fields).map(([k, x]) => (plus ? `${k}:` : '') + formatV(x, plus, depth + 1));
    return `${v.options.pointer ? '&' : ''}{${fields.join(' ')}}`;
  }
  if (Array.isArray(v)) return `[${v.map((x) => formatV(x, plus, depth + 1)).join(' ')}]`;
  if (isPlainMap(v)) return formatMap(v, plus, depth);
  return String(v);
}

function formatMap(m: Record<string, unknown>, plus: boolean, depth: number): string {
  const parts = sortedKeys(m).map((k) => `${k}:${formatV(m[k], plus, depth + 1)}`);
  return `map[${parts.join(' ')}]`;
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: unknown[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += a === undefined ? '<nil>' : formatV(a);
  }
  return out;
}

/** fmt.Sprintln: always spaces, and a newline. */
export function sprintln(args: unknown[]): string {
  return `${args.map((a) => formatV(a)).join(' ')}\n`;
}

// ---- Sprintf ----

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  prec: number | undefined;
}

function runeLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

function pad(s: string, spec: Spec, numeric: boolean): string {
  const w = spec.width;
  if (w === undefined) return s;
  const len = runeLength(s);
  if (len >= w) return s;
  if (spec.minus) return s + ' '.repeat(w - len);
  if (spec.zero && numeric) {
    const sign = s[0] === '-' || s[0] === '+' || s[0] === ' ' ? s[0] : '';
    return sign + '0'.repeat(w - len) + s.slice(sign.length);
  }
  return ' '.repeat(w - len) + s;
}

function signed(s: string, neg: boolean, spec: Spec): string {
  if (neg) return `-${s}`;
  if (spec.plus) return `+${s}`;
  if (spec.space) return ` ${s}`;
  return s;
}

function badVerb(verb: string, v: unknown): string {
  if (v === undefined || v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${formatV(v)})`;
}

function hexOfBytes(b: Uint8Array, upper: boolean, spec: Spec): string {
  const parts = Array.from(b, (x) => x.toString(16).padStart(2, '0'));
  let s: string;
  if (spec.space) s = parts.map((p) => (spec.sharp ? `0x${p}` : p)).join(' ');
  else s = (spec.sharp && parts.length ? '0x' : '') + parts.join('');
  return upper ? s.toUpperCase().replace(/0X/g, '0X') : s;
}

function formatInt(v: bigint, verb: string, spec: Spec): string | undefined {
  const neg = v < 0n;
  const a = neg ? -v : v;
  let s: string;
  switch (verb) {
    case 'v':
    case 'd': s = a.toString(10); break;
    case 'b': s = a.toString(2); break;
    case 'o': s = (spec.sharp ? '0' : '') + a.toString(8); break;
    case 'O': s = `0o${a.toString(8)}`; break;
    case 'x': s = (spec.sharp ? '0x' : '') + a.toString(16); break;
    case 'X': s = (spec.sharp ? '0X' : '') + a.toString(16).toUpperCase(); break;
    case 'c': return pad(String.fromCodePoint(Number(a)), spec, false);
    case 'q': return pad(goQuote(String.fromCodePoint(Number(a)), '\''), spec, false);
    case 'U': {
      const h = a.toString(16).toUpperCase().padStart(4, '0');
      return pad(`U+${h}${spec.sharp ? ` '${String.fromCodePoint(Number(a))}'` : ''}`, spec, false);
    }
    default: return undefined;
  }
  if (spec.prec !== undefined) {
    s = s.padStart(spec.prec, '0');
    if (spec.prec === 0 && a === 0n) s = '';
    return pad(signed(s, neg, spec), { ...spec, zero: false }, true);
  }
  return pad(signed(s, neg, spec), spec, true);
}

function formatFloat(f: number, verb: string, spec: Spec): string | undefined {
  let s: string;
  const p = spec.prec;
  switch (verb) {
    case 'v':
    case 'g': s = formatFloatG(f, p ?? -1); break;
    case 'G': s = formatFloatG(f, p ?? -1, true); break;
    case 'e': s = formatFloatE(f, p ?? 6); break;
    case 'E': s = formatFloatE(f, p ?? 6, true); break;
    case 'f':
    case 'F': s = formatFloatF(f, p ?? 6); break;
    default: return undefined;
  }
  if (spec.sharp && (verb === 'v' || verb === 'g' || verb === 'G') && !/[.eEInN]/.test(s)) s += '.';
  if (s[0] === '-') return pad(s, spec, Number.isFinite(f));
  if (spec.plus) s = `+${s.replace(/^\+/, '')}`;
  else if (spec.space && s[0] !== '+') s = ` ${s}`;
  return pad(s, spec, Number.isFinite(f));
}

function formatString(s: string, verb: string, spec: Spec): string | undefined {
  if (spec.prec !== undefined && (verb === 's' || verb === 'v' || verb === 'q')) s = Array.from(s).slice(0, spec.prec).join('');
  switch (verb) {
    case 'v':
    case 's': return pad(s, spec, false);
    case 'q': return pad(spec.sharp && !s.includes('`') && !/[\x00-\x08\x0b-\x1f\x7f]/.test(s) ? `\`${s}\`` : goQuote(s, '"', spec.plus), spec, false);
    case 'x':
    case 'X': return pad(hexOfBytes(new TextEncoder().encode(s), verb === 'X', spec), spec, false);
    default: return undefined;
  }
}

/** Formats one operand for one verb. */
export function formatArg(v: unknown, verb: string, spec: Spec, depth = 0): string {
  if (depth > MAX_DEPTH) throw new RangeError('value nested too deeply to print (a cycle?)');
  if (verb === 'T') return pad(v === undefined || v === null ? '<nil>' : goTypeName(v), spec, false);
  if (v === undefined || v === null) {
    if (verb === 'v') return pad('<nil>', spec, false);
    return badVerb(verb, v);
  }
  if (verb === 'v' && spec.plus && !(typeof v === 'number' || v instanceof GoInt)) return pad(formatV(v, true, depth), spec, false);
  if (typeof v === 'boolean') {
    if (verb === 'v' || verb === 't') return pad(v ? 'true' : 'false', spec, false);
    return badVerb(verb, v);
  }
  if (typeof v === 'number') return formatFloat(v, verb, spec) ?? badVerb(verb, v);
  if (v instanceof GoInt || typeof v === 'bigint') {
    const n = typeof v === 'bigint' ? v : v.value;
    return formatInt(n, verb, spec) ?? badVerb(verb, v);
  }
  if (typeof v === 'string') return formatString(v, verb, spec) ?? badVerb(verb, v);
  if (isStringer(v) && 'vsxXq'.includes(verb)) return formatString(v.options.stringer?.() ?? '', verb, spec) ?? '';
  if (v instanceof Uint8Array) {
    if (verb === 's' || verb === 'q' || verb === 'x' || verb === 'X') {
      return formatString(new TextDecoder().decode(v), verb, spec) ?? '';
    }
    return `[${Array.from(v, (b) => formatInt(BigInt(b), verb, { ...spec, width: undefined }) ?? badVerb(verb, b)).join(' ')}]`;
  }
  const elems = (xs: unknown[]): string => `[${xs.map((x) => formatArg(x, verb, { ...spec, width: undefined }, depth + 1)).join(' ')}]`;
  if (Array.isArray(v)) return pad(elems(v), spec, false);
  if (v instanceof GoObject && v.kind === 'slice') return pad(elems(v.data as unknown[]), spec, false);
  const m = v instanceof GoObject && v.kind === 'map' ? (v.data as Record<string, unknown>) : isPlainMap(v) ? v : undefined;
  if (m) {
    const inner = { ...spec, width: undefined };
    const parts = sortedKeys(m).map((k) => `${formatArg(k, verb, inner, depth + 1)}:${formatArg(m[k], verb, inner, depth + 1)}`);
    return pad(`map[${parts.join(' ')}]`, spec, false);
  }
  if (v instanceof GoObject) {
    const inner = { ...spec, width: undefined };
    const fields = Object.entries(v.fields).map(([k, x]) => (spec.plus ? `${k}:` : '') + formatArg(x, verb, inner, depth + 1));
    return pad(`${v.options.pointer && depth === 0 ? '&' : ''}{${fields.join(' ')}}`, spec, false);
  }
  return pad(String(v), spec, false);
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: unknown[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  const n = format.length;
  let i = 0;
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, width: undefined, prec: undefined };
    // flags
    for (; i < n; i++) {
      const c = format[i];
      if (c === '-') { spec.minus = true; spec.zero = false; } else if (c === '+') spec.plus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === ' ') spec.space = true;
      else if (c === '0') spec.zero = !spec.minus;
      else break;
    }
    // argument index [n]
    const argIndex = (): void => {
      if (format[i] !== '[') return;
      const close = format.indexOf(']', i);
      const idx = close > i ? Number(format.slice(i + 1, close)) : NaN;
      if (!Number.isInteger(idx) || idx < 1 || idx > args.length) {
        i = close > i ? close + 1 : n;
        argNum = args.length + 1;
        return;
      }
      argNum = idx - 1;
      reordered = true;
      i = close + 1;
    };
    argIndex();
    // width
    if (format[i] === '*') {
      i++;
      const a = args[argNum++];
      if (a instanceof GoInt) {
        let w = Number(a.value);
        if (w < 0) { spec.minus = true; w = -w; }
        spec.width = w;
      } else out += '%!(BADWIDTH)';
    } else {
      const start = i;
      while (i < n && format[i]! >= '0' && format[i]! <= '9') i++;
      if (i > start) spec.width = Number(format.slice(start, i));
    }
    // precision
    if (format[i] === '.') {
      i++;
      argIndex();
      if (format[i] === '*') {
        i++;
        const a = args[argNum++];
        if (a instanceof GoInt && a.value >= 0n) spec.prec = Number(a.value);
        else out += '%!(BADPREC)';
      } else {
        const start = i;
        while (i < n && format[i]! >= '0' && format[i]! <= '9') i++;
        spec.prec = Number(format.slice(start, i) || '0');
      }
    }
    argIndex();
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    if ((spec.width ?? 0) > 1_000_000 || (spec.prec ?? 0) > 1_000_000) throw new RangeError('printf width or precision too large');
    out += formatArg(args[argNum++], verb, spec);
  }
  if (!reordered && argNum < args.length) {
    const extra = args.slice(argNum).map((a) => (a === undefined || a === null ? '<nil>' : `${goTypeName(a)}=${formatV(a)}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}
