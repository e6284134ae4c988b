/**
 * Sprig v3, the function library Helm adds to templates, with Go's signatures (so a float64
 * from values.yaml given to `trunc` is the same "wrong type" error as in Helm) and mergo's
 * merge rules for merge/mergeOverwrite.
 *
 * Placeholders (documented, deterministic, because a render must be reproducible and nothing is
 * random or secret here): randAlphaNum/randAlpha/randNumeric/randAscii return a fixed sequence,
 * uuidv4 a fixed UUID, now a fixed instant (the caller's `now`), shuffle returns its input,
 * genCA/genSelfSignedCert/genSignedCert/genPrivateKey/buildCustomCert return fixed placeholder
 * PEM blocks, bcrypt/htpasswd/derivePassword/encryptAES return fixed placeholders, randBytes
 * fixed bytes, getHostByName "" (no network).
 */
import { createHash } from 'node:crypto';
import { FuncError } from '../errors.js';
import type { CallContext, FuncDef } from '../exec.js';
import {
  decodeJson, fromJson as helmFromJson, toJsonString,
} from '../encoding.js';
import { formatV, goQuote } from '../format.js';
import {
  compileRegexp, quoteMeta, regexFind, regexFindAll, regexMatch, regexReplaceAll, regexSplit, RegexSyntaxError,
} from '../regex.js';
import { compareVersions, parseVersion, satisfies, SemverError, versionString, type Version } from '../semver.js';
import {
  ZERO_MS, durationString, formatTime, inZone, isTimeObject, makeTime, parseDuration, parseTime, timeOf, timeUnix, type TimeValue,
} from '../time.js';
import {
  GoInt, GoObject, byteSlice, deepCopy, deepEqual, fromBytes, goInt, goKindName, goTypeName, hasOwn, intList, isAscii,
  isNil, isPlainMap, mapSet, newMap, sortedKeys, stringList, tagType, toBytes, truth, typeTag, utf8Length, compareStrings,
  floatToInt64,
} from '../values.js';

// ---- conversions (spf13/cast and Sprig's strval) ----

export function strval(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return fromBytes(v);
  if (v === undefined) return '<nil>';
  return formatV(v);
}

function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === '.') {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === '0') foundZero = true;
    else return s;
  }
  return s;
}

function parseIntBase0(s: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]+|[1-9][0-9_]*|0)$/.exec(s);
  if (!m) return undefined;
  let body = (m[2] as string).replace(/_/g, '');
  if (/^0[0-7]/.test(body)) body = `0o${body.slice(1)}`;
  if (/^0[oO]/.test(body)) body = `0o${body.slice(2)}`;
  try {
    const v = BigInt(body);
    return m[1] === '-' ? -v : v;
  } catch {
    return undefined;
  }
}

/** cast.ToInt64: numbers truncate, strings parse (base prefixes allowed), others are 0. */
export function castInt64(v: unknown): bigint {
  if (v instanceof GoInt) return v.value;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return floatToInt64(v);
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string') {
    const p = parseIntBase0(trimZeroDecimal(v));
    return p === undefined ? 0n : BigInt.asIntN(64, p);
  }
  return 0n;
}

/** cast.ToFloat64. */
export function castFloat64(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof GoInt) return Number(v.value);
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const s = v;
    if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
    if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
    if (/^nan$/i.test(s)) return NaN;
    return 0;
  }
  return 0;
}

/** Sprig's strslice: []string from a list (nil elements dropped) or a single value. */
export function strslice(v: unknown): string[] {
  if (Array.isArray(v)) {
    if (typeTag(v) === '[]string') return v as string[];
    return stringList(v.filter((x) => !isNil(x)).map(strval));
  }
  if (v instanceof GoObject && v.kind === 'slice') return stringList((v.data as unknown[]).filter((x) => !isNil(x)).map(strval));
  if (v instanceof Uint8Array) return stringList(Array.from(v, (b) => String(b)));
  if (isNil(v)) return stringList([]);
  return stringList([strval(v)]);
}

function listOf(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (v instanceof GoObject && v.kind === 'slice') return v.data as unknown[];
  if (v instanceof Uint8Array) return Array.from(v, (b) => goInt(b, 'uint8'));
  throw new FuncError(`Cannot ${what} on type ${goKindName(v)}`);
}

export function empty(v: unknown): boolean {
  return !truth(v);
}

const int = (n: number | bigint): GoInt => goInt(n, 'int');
const int64 = (n: number | bigint): GoInt => goInt(n, 'int64');

function checkCount(ctx: CallContext, n: number, what: string): void {
  if (n > ctx.exec.limits.maxCollection) {
    throw new FuncError(`${what}: ${n} elements exceed the engine's limit of ${ctx.exec.limits.maxCollection}`, 'limit');
  }
  ctx.charge(n / 16);
}

function checkLength(ctx: CallContext, n: number, what: string): void {
  ctx.exec.checkSize(n, what);
  ctx.charge(n / 1024);
}

// ---- strings ----

function isSeparator(ch: string): boolean {
  if (/^[A-Za-z0-9_]$/.test(ch)) return false;
  if (ch.charCodeAt(0) < 0x80) return true;
  if (/[\p{L}\p{Nd}]/u.test(ch)) return false;
  return /\s/u.test(ch);
}

function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    out += isSeparator(prev) ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

function untitle(s: string): string {
  let prevWs = true;
  let out = '';
  for (const ch of s) {
    out += prevWs ? ch.toLowerCase() : ch;
    prevWs = /\s/u.test(ch);
  }
  return out;
}

function swapcase(s: string): string {
  let out = '';
  for (const ch of s) {
    const up = ch.toUpperCase();
    out += ch === up ? ch.toLowerCase() : up;
  }
  return out;
}

function initials(s: string): string {
  return s.split(/\s+/u).filter(Boolean).map((w) => Array.from(w)[0]).join('');
}

function trunc(c: GoInt, s: string): string {
  const n = Number(c.value);
  const len = utf8Length(s);
  if (n < 0 && len + n > 0) return byteSlice(s, len + n);
  if (n >= 0 && len > n) return byteSlice(s, 0, n);
  return s;
}

function substr(start: GoInt, end: GoInt, s: string): string {
  const a = Number(start.value);
  const b = Number(end.value);
  const len = utf8Length(s);
  if (a < 0) {
    if (b < 0 || b > len) throw new FuncError(`runtime error: slice bounds out of range [:${b}] with length ${len}`);
    return byteSlice(s, 0, b);
  }
  if (b < 0 || b > len) {
    if (a > len) throw new FuncError(`runtime error: slice bounds out of range [${a}:${len}]`);
    return byteSlice(s, a);
  }
  if (a > b) throw new FuncError(`runtime error: slice bounds out of range [${a}:${b}]`);
  return byteSlice(s, a, b);
}

function abbreviateFull(str: string, offset: number, maxWidth: number): string {
  if (str === '') return '';
  if (maxWidth < 4) throw new FuncError('stringutils illegal argument: Minimum abbreviation width is 4');
  const len = utf8Length(str);
  if (len <= maxWidth) return str;
  if (offset > len) offset = len;
  if (len - offset < maxWidth - 3) offset = len - (maxWidth - 3);
  if (offset <= 4) return `${byteSlice(str, 0, maxWidth - 3)}...`;
  if (maxWidth < 7) throw new FuncError('stringutils illegal argument: Minimum abbreviation width with offset is 7');
  if (offset + maxWidth - 3 < len) return `...${abbreviateFull(byteSlice(str, offset), 0, maxWidth - 3)}`;
  return `...${byteSlice(str, len - (maxWidth - 3))}`;
}

/** goutils.WrapCustom. */
function wrapCustom(str: string, wrapLength: number, newLine: string, wrapLongWords: boolean): string {
  if (str === '') return '';
  if (newLine === '') newLine = '\n';
  if (wrapLength < 1) wrapLength = 1;
  const inputLineLength = str.length;
  let offset = 0;
  let out = '';
  while (inputLineLength - offset > wrapLength) {
    if (str[offset] === ' ') {
      offset++;
      continue;
    }
    const end = wrapLength + offset + 1;
    const spaceToWrapAt = str.slice(offset, end).lastIndexOf(' ') + offset;
    if (spaceToWrapAt >= offset) {
      out += str.slice(offset, spaceToWrapAt) + newLine;
      offset = spaceToWrapAt + 1;
    } else if (wrapLongWords) {
      out += str.slice(offset, wrapLength + offset) + newLine;
      offset += wrapLength;
    } else {
      const next = str.indexOf(' ', wrapLength + offset);
      if (next >= 0) {
        out += str.slice(offset, next) + newLine;
        offset = next + 1;
      } else {
        out += str.slice(offset);
        offset = inputLineLength;
      }
    }
  }
  return out + str.slice(offset);
}

function splitWords(s: string): string[] {
  // xstrings' case conversion: words split at non-alphanumerics, case changes and digit runs.
  const words: string[] = [];
  for (const part of s.split(/[^\p{L}\p{N}]+/u)) {
    if (!part) continue;
    const re = /\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?\p{Ll}+|\p{Lu}+|\p{N}+|\p{L}+/gu;
    let m: RegExpExecArray | null;
    while ((m = re.exec(part))) words.push(m[0]);
  }
  return words;
}

function snakecase(s: string, sep = '_'): string {
  return splitWords(s).map((w) => w.toLowerCase()).join(sep);
}

function camelcase(s: string): string {
  // xstrings.ToCamelCase: "foo_bar" -> "FooBar"; only underscores separate words.
  return s.split('_').filter(Boolean).map((w) => {
    const [first = '', ...rest] = Array.from(w);
    return first.toUpperCase() + rest.join('');
  }).join('');
}

function deterministicString(count: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < count; i++) out += alphabet[(i * 7 + 3) % alphabet.length];
  return out;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ASCII = ALNUM + '!#$%&()*+,-./:;<=>?@[]^_{|}~';

function seq(params: GoInt[]): string {
  const p = params.map((x) => Number(x.value));
  const untilStep = (start: number, stop: number, step: number): number[] => {
    const v: number[] = [];
    if (stop < start) {
      if (step >= 0) return v;
      for (let i = start; i > stop; i += step) v.push(i);
      return v;
    }
    if (step <= 0) return v;
    for (let i = start; i < stop; i += step) v.push(i);
    return v;
  };
  switch (p.length) {
    case 1: {
      const end = p[0] as number;
      const inc = end < 1 ? -1 : 1;
      return untilStep(1, end + inc, inc).join(' ');
    }
    case 2: {
      const [start, end] = p as [number, number];
      const step = end < start ? -1 : 1;
      return untilStep(start, end + step, step).join(' ');
    }
    case 3: {
      const [start, step, end] = p as [number, number, number];
      let inc = 1;
      if (end < start) {
        inc = -1;
        if (step > 0) return '';
      }
      return untilStep(start, end + inc, step).join(' ');
    }
    default:
      return '';
  }
}

function untilStep(start: bigint, stop: bigint, step: bigint, ctx: CallContext): GoInt[] {
  const count = step === 0n ? 0n : (stop - start) / step;
  if (count > 0n) checkCount(ctx, Number(count), 'untilStep');
  const v: GoInt[] = [];
  if (stop < start) {
    if (step >= 0n) return intList(v);
    for (let i = start; i > stop; i += step) v.push(int(i));
    return intList(v);
  }
  if (step <= 0n) return intList(v);
  for (let i = start; i < stop; i += step) v.push(int(i));
  return intList(v);
}

/** shopspring/decimal arithmetic on the shortest decimal forms of floats (addf 0.1 0.2 = 0.3). */
interface Dec { m: bigint; e: number }
function toDec(f: number): Dec {
  if (!Number.isFinite(f)) return { m: 0n, e: 0 };
  const [mant = '0', exp = '0'] = f.toExponential().split('e');
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const frac = (mant.split('.')[1] ?? '').length;
  return { m: (neg ? -1n : 1n) * BigInt(digits), e: Number(exp) - frac };
}
function decToFloat(d: Dec): number {
  return Number(`${d.m}e${d.e}`);
}
function decAlign(a: Dec, b: Dec): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.m * 10n ** BigInt(a.e - e), b.m * 10n ** BigInt(b.e - e), e];
}
function decOp(op: 'add' | 'sub' | 'mul' | 'div', a: Dec, b: Dec): Dec {
  switch (op) {
    case 'add': { const [x, y, e] = decAlign(a, b); return { m: x + y, e }; }
    case 'sub': { const [x, y, e] = decAlign(a, b); return { m: x - y, e }; }
    case 'mul': return { m: a.m * b.m, e: a.e + b.e };
    default: {
      if (b.m === 0n) throw new FuncError('decimal division by 0');
      // 16 digits after the point, rounded half away from zero.
      const scale = 17;
      const num = a.m * 10n ** BigInt(scale + Math.max(0, b.e - a.e + 0));
      const q = (num * 10n) / b.m;
      const rounded = (q + (q >= 0n ? 5n : -5n)) / 10n;
      return { m: rounded, e: a.e - b.e - scale - Math.max(0, b.e - a.e) };
    }
  }
}
function decimalOp(op: 'add' | 'sub' | 'mul' | 'div', first: unknown, rest: unknown[]): number {
  let acc = toDec(castFloat64(first));
  for (const x of rest) acc = decOp(op, acc, toDec(castFloat64(x)));
  return decToFloat(acc);
}

function goRound(a: unknown, p: GoInt, rOpt: number[]): number {
  const roundOn = rOpt.length > 0 ? (rOpt[0] as number) : 1 / 2; // Sprig rounds half up by default
  const val = castFloat64(a);
  const pow = 10 ** Number(p.value);
  const digit = pow * val;
  const div = digit - Math.trunc(digit);
  return (div >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
}

// ---- dicts (mergo's rules) ----

function isEmptyForMerge(v: unknown): boolean {
  return empty(v);
}

function mergeInto(dst: Record<string, unknown>, src: Record<string, unknown>, overwrite: boolean, charge: (n: number) => void, depth = 0): void {
  if (depth > 200) throw new FuncError('merge: maps nested too deeply (a cycle?)');
  const keys = Object.keys(src);
  charge(keys.length / 2);
  for (const k of keys) {
    const s = src[k];
    const has = hasOwn(dst, k);
    const d = has ? dst[k] : undefined;
    if (isPlainMap(s) && isPlainMap(d)) {
      mergeInto(d, s, overwrite, charge, depth + 1);
      continue;
    }
    if (overwrite) {
      if (s === undefined) continue;
      mapSet(dst, k, s);
    } else if (!has || isEmptyForMerge(d)) {
      // mergo skips a nil source value unless it overwrites.
      if (s === null || s === undefined) continue;
      mapSet(dst, k, s);
    }
  }
}

function mapArg(v: unknown): Record<string, unknown> | null {
  if (isNil(v)) return null;
  return v as Record<string, unknown>;
}

function dig(args: unknown[]): unknown {
  if (args.length < 3) throw new FuncError(`wrong number of args for dig: want at least 3 got ${args.length}`);
  const dict = args[args.length - 1];
  const def = args[args.length - 2];
  const keys = args.slice(0, -2);
  if (!isPlainMap(dict)) throw new FuncError(`interface conversion: interface {} is ${goTypeName(dict)}, not map[string]interface {}`);
  let cur: unknown = dict;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (typeof k !== 'string') throw new FuncError(`interface conversion: interface {} is ${goTypeName(k)}, not string`);
    if (!isPlainMap(cur)) throw new FuncError(`interface conversion: interface {} is ${goTypeName(cur)}, not map[string]interface {}`);
    if (!hasOwn(cur, k)) return def;
    cur = cur[k];
  }
  return cur;
}

// ---- placeholders ----

const PLACEHOLDER_CERT = '-----BEGIN CERTIFICATE-----\nTUxDT1NULVBMQUNFSE9MREVSLUNFUlRJRklDQVRF\n-----END CERTIFICATE-----\n';
const PLACEHOLDER_KEY = '-----BEGIN RSA PRIVATE KEY-----\nTUxDT1NULVBMQUNFSE9MREVSLVBSSVZBVEUtS0VZ\n-----END RSA PRIVATE KEY-----\n';

function certificate(cert = PLACEHOLDER_CERT, key = PLACEHOLDER_KEY): GoObject {
  return new GoObject('sprig.certificate', 'struct', { Cert: cert, Key: key });
}

function privateKey(kind: string): string {
  const label = kind === 'ecdsa' ? 'EC PRIVATE KEY' : kind === 'ed25519' ? 'PRIVATE KEY' : kind === 'dsa' ? 'DSA PRIVATE KEY' : 'RSA PRIVATE KEY';
  if (!['rsa', 'dsa', 'ecdsa', 'ed25519'].includes(kind)) return `Unknown type ${kind}`;
  return `-----BEGIN ${label}-----\nTUxDT1NULVBMQUNFSE9MREVSLVBSSVZBVEUtS0VZ\n-----END ${label}-----\n`;
}

// ---- semver values ----

function semverObject(v: Version): GoObject {
  const s = versionString(v);
  return new GoObject('*semver.Version', 'struct', { Original: v.original }, {
    Major: { params: [], call: () => goInt(v.major, 'uint64') },
    Minor: { params: [], call: () => goInt(v.minor, 'uint64') },
    Patch: { params: [], call: () => goInt(v.patch, 'uint64') },
    Prerelease: { params: [], call: () => v.pre },
    Metadata: { params: [], call: () => v.metadata },
    Original: { params: [], call: () => v.original },
    String: { params: [], call: () => s },
    Compare: {
      params: ['any'],
      call: ([o]) => {
        const other = o instanceof GoObject ? parseVersion(String((o.data as Record<string, unknown>).Original)) : parseVersion(String(o));
        return int(compareVersions(v, other));
      },
    },
  }, { pointer: true, stringer: () => s, marshal: () => s });
}

// ---- dates ----

function timeFromArg(d: unknown, now: TimeValue): TimeValue {
  if (isTimeObject(d)) return timeOf(d);
  if (d instanceof GoInt && (d.kind === 'int' || d.kind === 'int64' || d.kind === 'int32')) {
    return { ms: Number(d.value) * 1000, ns: 0, offset: 0, zone: 'UTC' };
  }
  return now;
}

function durationRound(d: unknown, now: TimeValue): string {
  let ns = 0n;
  if (typeof d === 'string') {
    try { ns = parseDuration(d); } catch { ns = 0n; }
  } else if (d instanceof GoInt && d.kind === 'int64') ns = d.value;
  else if (isTimeObject(d)) {
    const t = timeOf(d);
    ns = (BigInt(now.ms) - BigInt(t.ms)) * 1_000_000n;
  }
  let u = ns < 0n ? -ns : ns;
  u = BigInt.asUintN(64, u);
  const hour = 3_600_000_000_000n;
  const table: [bigint, string][] = [[hour * 24n * 365n, 'y'], [hour * 24n * 30n, 'mo'], [hour * 24n, 'd'], [hour, 'h'], [60_000_000_000n, 'm'], [1_000_000_000n, 's']];
  for (const [unit, name] of table) if (u > unit) return `${u / unit}${name}`;
  return '0s';
}

// ---- URLs ----

function urlParse(s: string): Record<string, unknown> {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/(?:([^@/?#]*)@)?([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(s);
  if (!m) throw new FuncError(`unable to parse url: parse ${JSON.stringify(s)}: invalid URL`);
  const host = m[3] ?? '';
  const colon = host.lastIndexOf(':');
  const hostname = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : colon >= 0 && /^\d*$/.test(host.slice(colon + 1)) ? host.slice(0, colon) : host;
  const out = newMap();
  mapSet(out, 'scheme', m[1] ?? '');
  mapSet(out, 'host', host);
  mapSet(out, 'hostname', hostname);
  mapSet(out, 'path', m[4] ?? '');
  mapSet(out, 'query', m[5] ?? '');
  mapSet(out, 'opaque', '');
  mapSet(out, 'fragment', m[6] ?? '');
  mapSet(out, 'userinfo', m[2] ?? '');
  return out;
}

function urlJoin(d: Record<string, unknown>): string {
  const get = (k: string): string => (typeof d[k] === 'string' ? (d[k] as string) : '');
  let out = '';
  if (get('scheme')) out += `${get('scheme')}:`;
  if (get('opaque')) out += get('opaque');
  else {
    if (get('host') || get('userinfo')) out += `//${get('userinfo') ? `${get('userinfo')}@` : ''}${get('host')}`;
    out += get('path');
  }
  if (get('query')) out += `?${get('query')}`;
  if (get('fragment')) out += `#${get('fragment')}`;
  return out;
}

// ---- paths ----

function pathClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}

function pathBase(p: string): string {
  if (p === '') return '.';
  let end = p.length;
  while (end > 0 && p[end - 1] === '/') end--;
  const t = p.slice(0, end);
  if (t === '') return '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

function pathDir(p: string): string {
  const i = p.lastIndexOf('/');
  return pathClean(p.slice(0, i + 1));
}

function pathExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

// ---- regex wrappers ----

function withRegex<T>(ctx: CallContext, pattern: string, f: (re: ReturnType<typeof compileRegexp>) => T): T {
  let re;
  try {
    re = compileRegexp(pattern, (n) => ctx.charge(n / 8));
  } catch (e) {
    if (e instanceof RegexSyntaxError) throw new FuncError(`error parsing regexp: ${e.message}: \`${pattern}\``);
    throw e;
  }
  return f(re);
}

// ---- the table ----

const s1 = (f: (s: string) => unknown): FuncDef => ({ params: ['string'], fn: ([s]) => f(s as string) });
const s2 = (f: (a: string, b: string) => unknown): FuncDef => ({ params: ['string', 'string'], fn: ([a, b]) => f(a as string, b as string) });

function hashHex(alg: string, s: string): string {
  return createHash(alg).update(toBytes(s)).digest('hex');
}

function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (const byte of toBytes(s)) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function b64enc(s: string): string {
  return Buffer.from(toBytes(s)).toString('base64');
}

function b64dec(s: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) {
    const bad = s.search(/[^A-Za-z0-9+/=]/);
    return `illegal base64 data at input byte ${bad >= 0 ? bad : s.length - (s.length % 4)}`;
  }
  return fromBytes(new Uint8Array(Buffer.from(s, 'base64')));
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function b32enc(s: string): string {
  const bytes = toBytes(s);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}
function b32dec(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '=') end--;
  const clean = s.slice(0, end);
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (let i = 0; i < clean.length; i++) {
    const idx = B32.indexOf(clean[i] as string);
    if (idx < 0) return `illegal base32 data at input byte ${i}`;
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return fromBytes(new Uint8Array(out));
}

const TO_STRING: FuncDef = { params: ['any'], fn: ([v]) => strval(v) };

export function sprigFunctions(): Record<string, FuncDef> {
  const f: Record<string, FuncDef> = {
    hello: { params: [], fn: () => 'Hello!' },

    // dates
    now: { params: [], fn: (_a, ctx) => makeTime(ctx.exec.nowTime) },
    date: { params: ['string', 'any'], fn: ([fmt, d], ctx) => formatTime(inZone(timeFromArg(d, ctx.exec.nowTime), 'Local'), fmt as string) },
    dateInZone: { params: ['string', 'any', 'string'], fn: ([fmt, d, z], ctx) => formatTime(inZone(timeFromArg(d, ctx.exec.nowTime), z as string), fmt as string) },
    htmlDate: { params: ['any'], fn: ([d], ctx) => formatTime(inZone(timeFromArg(d, ctx.exec.nowTime), 'Local'), '2006-01-02') },
    htmlDateInZone: { params: ['any', 'string'], fn: ([d, z], ctx) => formatTime(inZone(timeFromArg(d, ctx.exec.nowTime), z as string), '2006-01-02') },
    dateModify: {
      params: ['string', 'any'],
      fn: ([m, d], ctx) => {
        const t = timeFromArg(d, ctx.exec.nowTime);
        try {
          const ns = parseDuration(m as string);
          const total = BigInt(t.ms) * 1_000_000n + BigInt(t.ns) + ns;
          return makeTime({ ...t, ms: Number(total / 1_000_000n), ns: Number(total % 1_000_000n) });
        } catch {
          return makeTime(t);
        }
      },
    },
    mustDateModify: {
      params: ['string', 'any'],
      fn: ([m, d], ctx) => {
        const t = timeFromArg(d, ctx.exec.nowTime);
        let ns: bigint;
        try { ns = parseDuration(m as string); } catch (e) { throw new FuncError((e as Error).message); }
        const total = BigInt(t.ms) * 1_000_000n + BigInt(t.ns) + ns;
        return makeTime({ ...t, ms: Number(total / 1_000_000n), ns: Number(total % 1_000_000n) });
      },
    },
    toDate: {
      params: ['string', 'string'],
      fn: ([fmt, s]) => {
        try {
          return makeTime(parseTime(fmt as string, s as string));
        } catch {
          return makeTime({ ms: ZERO_MS, ns: 0, offset: 0, zone: 'UTC' });
        }
      },
    },
    mustToDate: {
      params: ['string', 'string'],
      fn: ([fmt, s]) => {
        try {
          return makeTime(parseTime(fmt as string, s as string));
        } catch (e) {
          throw new FuncError((e as Error).message);
        }
      },
    },
    unixEpoch: { params: ['any'], fn: ([d], ctx) => timeUnix(timeFromArg(d, ctx.exec.nowTime)).toString() },
    duration: {
      params: ['any'],
      fn: ([sec]) => {
        let n = 0n;
        if (typeof sec === 'string') n = /^[+-]?\d+$/.test(sec) ? BigInt(sec) : 0n;
        else if (sec instanceof GoInt && sec.kind === 'int64') n = sec.value;
        return durationString(BigInt.asIntN(64, n * 1_000_000_000n));
      },
    },
    durationRound: { params: ['any'], fn: ([d], ctx) => durationRound(d, ctx.exec.nowTime) },
    ago: {
      params: ['any'],
      fn: ([d], ctx) => {
        const t = timeFromArg(d, ctx.exec.nowTime);
        const secs = BigInt(Math.round((ctx.exec.nowTime.ms - t.ms) / 1000));
        return durationString(secs * 1_000_000_000n);
      },
    },

    // strings
    abbrev: { params: ['int', 'string'], fn: ([w, s]) => (Number((w as GoInt).value) < 4 ? s : abbreviateFull(s as string, 0, Number((w as GoInt).value))) },
    abbrevboth: {
      params: ['int', 'int', 'string'],
      fn: ([l, r, s]) => {
        const left = Number((l as GoInt).value);
        const right = Number((r as GoInt).value);
        if (right < 4 || (left > 0 && right < 7)) return s;
        return abbreviateFull(s as string, left, right);
      },
    },
    trunc: { params: ['int', 'string'], fn: ([c, s]) => trunc(c as GoInt, s as string) },
    trim: s1((s) => s.trim()),
    upper: s1((s) => s.toUpperCase()),
    lower: s1((s) => s.toLowerCase()),
    title: s1(title),
    untitle: s1(untitle),
    substr: { params: ['int', 'int', 'string'], fn: ([a, b, s]) => substr(a as GoInt, b as GoInt, s as string) },
    repeat: {
      params: ['int', 'string'],
      fn: ([c, s], ctx) => {
        const n = Number((c as GoInt).value);
        if (n < 0) throw new FuncError('strings: negative Repeat count');
        checkLength(ctx, n * (s as string).length, 'repeat');
        return (s as string).repeat(n);
      },
    },
    trimall: s2((a, b) => trimCutset(b, a)),
    trimAll: s2((a, b) => trimCutset(b, a)),
    trimSuffix: s2((a, b) => (b.endsWith(a) && a !== '' ? b.slice(0, b.length - a.length) : b)),
    trimPrefix: s2((a, b) => (b.startsWith(a) ? b.slice(a.length) : b)),
    nospace: s1((s) => s.replace(/\s/gu, '')),
    initials: s1(initials),
    randAlphaNum: { params: ['int'], fn: ([n], ctx) => { checkCount(ctx, Number((n as GoInt).value), 'randAlphaNum'); return deterministicString(Math.max(0, Number((n as GoInt).value)), ALNUM); } },
    randAlpha: { params: ['int'], fn: ([n], ctx) => { checkCount(ctx, Number((n as GoInt).value), 'randAlpha'); return deterministicString(Math.max(0, Number((n as GoInt).value)), ALPHA); } },
    randAscii: { params: ['int'], fn: ([n], ctx) => { checkCount(ctx, Number((n as GoInt).value), 'randAscii'); return deterministicString(Math.max(0, Number((n as GoInt).value)), ASCII); } },
    randNumeric: { params: ['int'], fn: ([n], ctx) => { checkCount(ctx, Number((n as GoInt).value), 'randNumeric'); return deterministicString(Math.max(0, Number((n as GoInt).value)), '0123456789'); } },
    swapcase: s1(swapcase),
    shuffle: s1((s) => s),
    snakecase: s1((s) => snakecase(s)),
    camelcase: s1(camelcase),
    kebabcase: s1((s) => snakecase(s, '-')),
    wrap: { params: ['int', 'string'], fn: ([l, s]) => wrapCustom(s as string, Number((l as GoInt).value), '\n', false) },
    wrapWith: { params: ['int', 'string', 'string'], fn: ([l, sep, s]) => wrapCustom(s as string, Number((l as GoInt).value), sep as string, true) },
    contains: s2((sub, s) => s.includes(sub)),
    hasPrefix: s2((p, s) => s.startsWith(p)),
    hasSuffix: s2((p, s) => s.endsWith(p)),
    quote: { params: [], variadic: 'any', fn: (a) => a.filter((x) => !isNil(x)).map((x) => formatQuoted(strval(x))).join(' ') },
    squote: { params: [], variadic: 'any', fn: (a) => a.filter((x) => !isNil(x)).map((x) => `'${formatV(x)}'`).join(' ') },
    cat: { params: [], variadic: 'any', fn: (a) => a.filter((x) => !isNil(x)).map((x) => formatV(x)).join(' ') },
    indent: {
      params: ['int', 'string'],
      fn: ([n, s], ctx) => {
        const pad = ' '.repeat(Math.max(0, Math.min(Number((n as GoInt).value), ctx.exec.limits.maxOutput)));
        checkLength(ctx, (s as string).length + pad.length * (1 + countNewlines(s as string)), 'indent');
        return pad + (s as string).replaceAll('\n', `\n${pad}`);
      },
    },
    nindent: {
      params: ['int', 'string'],
      fn: ([n, s], ctx) => {
        const pad = ' '.repeat(Math.max(0, Math.min(Number((n as GoInt).value), ctx.exec.limits.maxOutput)));
        checkLength(ctx, (s as string).length + pad.length * (1 + countNewlines(s as string)), 'nindent');
        return `\n${pad}${(s as string).replaceAll('\n', `\n${pad}`)}`;
      },
    },
    replace: {
      params: ['string', 'string', 'string'],
      fn: ([o, n, s], ctx) => {
        const src = s as string;
        if (o === '') {
          const cps = Array.from(src);
          checkLength(ctx, src.length + (n as string).length * (cps.length + 1), 'replace');
          return (n as string) + cps.join(n as string) + (cps.length ? (n as string) : '');
        }
        const out = src.split(o as string).join(n as string);
        checkLength(ctx, out.length, 'replace');
        return out;
      },
    },
    plural: { params: ['string', 'string', 'int'], fn: ([one, many, c]) => ((c as GoInt).value === 1n ? one : many) },
    sha1sum: s1((s) => hashHex('sha1', s)),
    sha256sum: s1((s) => hashHex('sha256', s)),
    sha512sum: s1((s) => hashHex('sha512', s)),
    adler32sum: s1((s) => String(adler32(s))),
    toString: TO_STRING,

    // conversions
    atoi: s1((s) => (/^[+-]?\d+$/.test(s) ? int(BigInt.asIntN(64, BigInt(s))) : int(0))),
    int64: { params: ['any'], fn: ([v]) => int64(castInt64(v)) },
    int: { params: ['any'], fn: ([v]) => int(castInt64(v)) },
    float64: { params: ['any'], fn: ([v]) => castFloat64(v) },
    seq: { params: [], variadic: 'int', fn: (p, ctx) => { const out = seq(p as GoInt[]); checkLength(ctx, out.length, 'seq'); return out; } },
    toDecimal: {
      params: ['any'],
      fn: ([v]) => {
        const s = formatV(v);
        return int64(/^[+-]?[0-7]+$/.test(s) ? BigInt.asIntN(64, BigInt(`${s.startsWith('-') ? '-' : ''}0o${s.replace(/^[+-]/, '')}`)) : 0n);
      },
    },
    split: {
      params: ['string', 'string'],
      fn: ([sep, s]) => {
        const parts = goSplit(s as string, sep as string);
        const out = newMap();
        parts.forEach((p, i) => mapSet(out, `_${i}`, p));
        return tagType(out, 'map[string]string');
      },
    },
    splitList: { params: ['string', 'string'], fn: ([sep, s], ctx) => { const out = goSplit(s as string, sep as string); checkCount(ctx, out.length, 'splitList'); return stringList(out); } },
    splitn: {
      params: ['string', 'int', 'string'],
      fn: ([sep, n, s]) => {
        const parts = goSplitN(s as string, sep as string, Number((n as GoInt).value));
        const out = newMap();
        parts.forEach((p, i) => mapSet(out, `_${i}`, p));
        return tagType(out, 'map[string]string');
      },
    },
    toStrings: { params: ['any'], fn: ([v]) => strslice(v) },
    until: {
      params: ['int'],
      fn: ([c], ctx) => {
        const n = (c as GoInt).value;
        return untilStep(0n, n, n < 0n ? -1n : 1n, ctx);
      },
    },
    untilStep: { params: ['int', 'int', 'int'], fn: ([a, b, c], ctx) => untilStep((a as GoInt).value, (b as GoInt).value, (c as GoInt).value, ctx) },

    // math
    add1: { params: ['any'], fn: ([i]) => int64(castInt64(i) + 1n) },
    add: { params: [], variadic: 'any', fn: (a) => int64(a.reduce<bigint>((acc, x) => acc + castInt64(x), 0n)) },
    sub: { params: ['any', 'any'], fn: ([a, b]) => int64(castInt64(a) - castInt64(b)) },
    div: {
      params: ['any', 'any'],
      fn: ([a, b]) => {
        const d = castInt64(b);
        if (d === 0n) throw new FuncError('runtime error: integer divide by zero');
        return int64(castInt64(a) / d);
      },
    },
    mod: {
      params: ['any', 'any'],
      fn: ([a, b]) => {
        const d = castInt64(b);
        if (d === 0n) throw new FuncError('runtime error: integer divide by zero');
        return int64(castInt64(a) % d);
      },
    },
    mul: { params: ['any'], variadic: 'any', fn: ([a, ...rest]) => int64(rest.reduce<bigint>((acc, x) => acc * castInt64(x), castInt64(a))) },
    randInt: {
      params: ['int', 'int'],
      fn: ([lo, hi]) => {
        if ((hi as GoInt).value - (lo as GoInt).value <= 0n) throw new FuncError('invalid argument to Intn');
        return int((lo as GoInt).value);
      },
    },
    add1f: { params: ['any'], fn: ([i]) => decimalOp('add', i, [1]) },
    addf: { params: [], variadic: 'any', fn: (a) => decimalOp('add', 0, a) },
    subf: { params: ['any'], variadic: 'any', fn: ([a, ...r]) => decimalOp('sub', a, r) },
    divf: { params: ['any'], variadic: 'any', fn: ([a, ...r]) => decimalOp('div', a, r) },
    mulf: { params: ['any'], variadic: 'any', fn: ([a, ...r]) => decimalOp('mul', a, r) },
    max: { params: ['any'], variadic: 'any', fn: ([a, ...r]) => int64(r.reduce<bigint>((m, x) => { const v = castInt64(x); return v > m ? v : m; }, castInt64(a))) },
    min: { params: ['any'], variadic: 'any', fn: ([a, ...r]) => int64(r.reduce<bigint>((m, x) => { const v = castInt64(x); return v < m ? v : m; }, castInt64(a))) },
    maxf: { params: ['any'], variadic: 'any', fn: ([a, ...r]) => r.reduce<number>((m, x) => Math.max(m, castFloat64(x)), castFloat64(a)) },
    minf: { params: ['any'], variadic: 'any', fn: ([a, ...r]) => r.reduce<number>((m, x) => Math.min(m, castFloat64(x)), castFloat64(a)) },
    abs: { params: ['any'], fn: ([a]) => { const v = castInt64(a); return int64(v < 0n ? -v : v); } },
    absf: { params: ['any'], fn: ([a]) => Math.abs(castFloat64(a)) },
    ceil: { params: ['any'], fn: ([a]) => Math.ceil(castFloat64(a)) },
    floor: { params: ['any'], fn: ([a]) => Math.floor(castFloat64(a)) },
    round: { params: ['any', 'int'], variadic: 'float64', fn: ([a, p, ...r]) => goRound(a, p as GoInt, r as number[]) },

    join: { params: ['string', 'any'], fn: ([sep, v], ctx) => { const out = strslice(v).join(sep as string); checkLength(ctx, out.length, 'join'); return out; } },
    sortAlpha: {
      params: ['any'],
      fn: ([v]) => {
        if (Array.isArray(v) || (v instanceof GoObject && v.kind === 'slice')) return stringList([...strslice(v)].sort(compareStrings));
        return stringList([strval(v)]);
      },
    },

    // defaults
    default: { params: ['any'], variadic: 'any', fn: ([d, ...given]) => (given.length === 0 || empty(given[0]) ? d : given[0]) },
    empty: { params: ['any'], fn: ([v]) => empty(v) },
    coalesce: { params: [], variadic: 'any', fn: (a) => a.find((x) => !empty(x)) ?? null },
    all: { params: [], variadic: 'any', fn: (a) => a.every((x) => !empty(x)) },
    any: { params: [], variadic: 'any', fn: (a) => a.some((x) => !empty(x)) },
    compact: { params: ['any'], fn: ([l]) => listOf(l, 'compact').filter((x) => !empty(x)) },
    mustCompact: { params: ['any'], fn: ([l]) => listOf(l, 'compact').filter((x) => !empty(x)) },
    fromJson: { params: ['string'], fn: ([s]) => helmFromJson(s as string) },
    mustFromJson: {
      params: ['string'],
      fn: ([s]) => {
        try { return decodeJson(s as string); } catch (e) { throw new FuncError((e as Error).message); }
      },
    },
    toJson: { params: ['any'], fn: ([v]) => safeJson(v, { escapeHtml: true }) },
    toPrettyJson: { params: ['any'], fn: ([v]) => safeJson(v, { escapeHtml: true, indent: '  ' }) },
    toRawJson: { params: ['any'], fn: ([v]) => safeJson(v, { escapeHtml: false }) },
    mustToJson: { params: ['any'], fn: ([v]) => mustJson(v, { escapeHtml: true }) },
    mustToPrettyJson: { params: ['any'], fn: ([v]) => mustJson(v, { escapeHtml: true, indent: '  ' }) },
    mustToRawJson: { params: ['any'], fn: ([v]) => mustJson(v, { escapeHtml: false }) },
    ternary: { params: ['any', 'any', 'bool'], fn: ([t, fv, c]) => (c ? t : fv) },
    deepCopy: { params: ['any'], fn: ([v], ctx) => chargedCopy(v, ctx) },
    mustDeepCopy: { params: ['any'], fn: ([v], ctx) => { if (isNil(v)) throw new FuncError('deepCopy: nil'); return chargedCopy(v, ctx); } },

    // reflection
    typeOf: { params: ['any'], fn: ([v]) => goTypeName(v) },
    typeIs: { params: ['string', 'any'], fn: ([t, v]) => t === goTypeName(v) },
    typeIsLike: { params: ['string', 'any'], fn: ([t, v]) => { const n = goTypeName(v); return t === n || `*${t}` === n; } },
    kindOf: { params: ['any'], fn: ([v]) => goKindName(v) },
    kindIs: { params: ['string', 'any'], fn: ([t, v]) => t === goKindName(v) },
    deepEqual: { params: ['any', 'any'], fn: ([a, b]) => deepEqual(a, b) },

    // network and paths
    getHostByName: { params: ['string'], fn: () => '' },
    base: s1(pathBase),
    dir: s1(pathDir),
    clean: s1(pathClean),
    ext: s1(pathExt),
    isAbs: s1((p) => p.startsWith('/')),
    osBase: s1(pathBase),
    osClean: s1(pathClean),
    osDir: s1(pathDir),
    osExt: s1(pathExt),
    osIsAbs: s1((p) => p.startsWith('/')),

    // encoding
    b64enc: s1(b64enc),
    b64dec: s1(b64dec),
    b32enc: s1(b32enc),
    b32dec: s1(b32dec),

    // data structures
    tuple: { params: [], variadic: 'any', fn: (a) => a },
    list: { params: [], variadic: 'any', fn: (a) => a },
    dict: {
      params: [],
      variadic: 'any',
      fn: (a) => {
        const out = newMap();
        for (let i = 0; i < a.length; i += 2) mapSet(out, strval(a[i]), i + 1 < a.length ? a[i + 1] : '');
        return out;
      },
    },
    get: { params: ['map', 'string'], fn: ([d, k]) => { const m = mapArg(d); return m && hasOwn(m, k as string) ? m[k as string] : ''; } },
    set: {
      params: ['map', 'string', 'any'],
      fn: ([d, k, v]) => {
        const m = mapArg(d);
        if (!m) throw new FuncError('assignment to entry in nil map');
        mapSet(m, k as string, v);
        return m;
      },
    },
    unset: { params: ['map', 'string'], fn: ([d, k]) => { const m = mapArg(d); if (m) delete m[k as string]; return m; } },
    hasKey: { params: ['map', 'string'], fn: ([d, k]) => { const m = mapArg(d); return m !== null && hasOwn(m, k as string); } },
    pluck: { params: ['string'], variadic: 'map', fn: ([k, ...ds]) => ds.map(mapArg).filter((m): m is Record<string, unknown> => m !== null && hasOwn(m, k as string)).map((m) => m[k as string]) },
    keys: { params: [], variadic: 'map', fn: (ds) => stringList(ds.flatMap((d) => { const m = mapArg(d); return m ? sortedKeys(m) : []; })) },
    pick: {
      params: ['map'],
      variadic: 'string',
      fn: ([d, ...ks]) => {
        const m = mapArg(d) ?? {};
        const out = newMap();
        for (const k of ks as string[]) if (hasOwn(m, k)) mapSet(out, k, m[k]);
        return out;
      },
    },
    omit: {
      params: ['map'],
      variadic: 'string',
      fn: ([d, ...ks]) => {
        const m = mapArg(d) ?? {};
        const drop = new Set(ks as string[]);
        const out = newMap();
        for (const k of Object.keys(m)) if (!drop.has(k)) mapSet(out, k, m[k]);
        return out;
      },
    },
    merge: { params: ['map'], variadic: 'map', fn: ([d, ...srcs], ctx) => mergeAll(d, srcs, false, ctx) },
    mergeOverwrite: { params: ['map'], variadic: 'map', fn: ([d, ...srcs], ctx) => mergeAll(d, srcs, true, ctx) },
    mustMerge: { params: ['map'], variadic: 'map', fn: ([d, ...srcs], ctx) => mergeAll(d, srcs, false, ctx) },
    mustMergeOverwrite: { params: ['map'], variadic: 'map', fn: ([d, ...srcs], ctx) => mergeAll(d, srcs, true, ctx) },
    values: { params: ['map'], fn: ([d]) => { const m = mapArg(d) ?? {}; return sortedKeys(m).map((k) => m[k]); } },
    append: { params: ['any', 'any'], fn: ([l, v]) => [...listOf(l, 'push'), v] },
    push: { params: ['any', 'any'], fn: ([l, v]) => [...listOf(l, 'push'), v] },
    mustAppend: { params: ['any', 'any'], fn: ([l, v]) => [...listOf(l, 'push'), v] },
    mustPush: { params: ['any', 'any'], fn: ([l, v]) => [...listOf(l, 'push'), v] },
    prepend: { params: ['any', 'any'], fn: ([l, v]) => [v, ...listOf(l, 'prepend')] },
    mustPrepend: { params: ['any', 'any'], fn: ([l, v]) => [v, ...listOf(l, 'prepend')] },
    first: { params: ['any'], fn: ([l]) => listOf(l, 'find first')[0] ?? null },
    mustFirst: { params: ['any'], fn: ([l]) => listOf(l, 'find first')[0] ?? null },
    last: { params: ['any'], fn: ([l]) => { const x = listOf(l, 'find last'); return x.length ? x[x.length - 1] : null; } },
    mustLast: { params: ['any'], fn: ([l]) => { const x = listOf(l, 'find last'); return x.length ? x[x.length - 1] : null; } },
    rest: { params: ['any'], fn: ([l]) => { const x = listOf(l, 'find rest'); return x.length ? x.slice(1) : null; } },
    mustRest: { params: ['any'], fn: ([l]) => { const x = listOf(l, 'find rest'); return x.length ? x.slice(1) : null; } },
    initial: { params: ['any'], fn: ([l]) => { const x = listOf(l, 'find initial'); return x.length ? x.slice(0, -1) : null; } },
    mustInitial: { params: ['any'], fn: ([l]) => { const x = listOf(l, 'find initial'); return x.length ? x.slice(0, -1) : null; } },
    reverse: { params: ['any'], fn: ([l]) => [...listOf(l, 'find reverse')].reverse() },
    mustReverse: { params: ['any'], fn: ([l]) => [...listOf(l, 'find reverse')].reverse() },
    uniq: { params: ['any'], fn: ([l], ctx) => uniq(listOf(l, 'find uniq'), ctx) },
    mustUniq: { params: ['any'], fn: ([l], ctx) => uniq(listOf(l, 'find uniq'), ctx) },
    without: { params: ['any'], variadic: 'any', fn: ([l, ...o], ctx) => without(listOf(l, 'find without'), o, ctx) },
    mustWithout: { params: ['any'], variadic: 'any', fn: ([l, ...o], ctx) => without(listOf(l, 'find without'), o, ctx) },
    has: { params: ['any', 'any'], fn: ([n, l], ctx) => { const xs = listOf(l, 'find has'); ctx.charge(xs.length / 16); return xs.some((x) => deepEqual(n, x)); } },
    mustHas: { params: ['any', 'any'], fn: ([n, l], ctx) => { const xs = listOf(l, 'find has'); ctx.charge(xs.length / 16); return xs.some((x) => deepEqual(n, x)); } },
    concat: {
      params: [],
      variadic: 'any',
      fn: (ls, ctx) => {
        const out: unknown[] = [];
        for (const l of ls) out.push(...listOf(l, 'concat'));
        checkCount(ctx, out.length, 'concat');
        return out;
      },
    },
    dig: { params: [], variadic: 'any', fn: (a) => dig(a) },
    chunk: {
      params: ['int', 'any'],
      fn: ([size, l]) => {
        const n = Number((size as GoInt).value);
        const items = listOf(l, 'chunk');
        if (n <= 0) throw new FuncError('runtime error: integer divide by zero');
        const out: unknown[][] = [];
        for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
        return out;
      },
    },

    // crypto (placeholders: no keys or secrets are generated during static analysis)
    bcrypt: s1(() => '$2a$10$MLCOSTPLACEHOLDERHASHMLCOSTPLACEHOLDERHASHMLCOSTPL'),
    htpasswd: s2((user) => (user.includes(':') ? 'invalid username: ' + user : `${user}:$2a$10$MLCOSTPLACEHOLDERHASHMLCOSTPLACEHOLDERHASHMLCOSTPL`)),
    genPrivateKey: s1(privateKey),
    derivePassword: { params: ['any', 'string', 'string', 'string', 'string'], fn: () => 'mlcost-placeholder-password' },
    buildCustomCert: s2((c, k) => certificate(fromBase64Loose(c), fromBase64Loose(k))),
    genCA: { params: ['string', 'int'], fn: () => certificate() },
    genCAWithKey: { params: ['string', 'int', 'string'], fn: ([, , k]) => certificate(PLACEHOLDER_CERT, k as string) },
    genSelfSignedCert: { params: ['string', 'list', 'list', 'int'], fn: () => certificate() },
    genSelfSignedCertWithKey: { params: ['string', 'list', 'list', 'int', 'string'], fn: ([, , , , k]) => certificate(PLACEHOLDER_CERT, k as string) },
    genSignedCert: { params: ['string', 'list', 'list', 'int', 'any'], fn: () => certificate() },
    genSignedCertWithKey: { params: ['string', 'list', 'list', 'int', 'any', 'string'], fn: ([, , , , , k]) => certificate(PLACEHOLDER_CERT, k as string) },
    encryptAES: s2(() => 'TUxDT1NULVBMQUNFSE9MREVSLUNJUEhFUlRFWFQ='),
    decryptAES: s2(() => ''),
    randBytes: { params: ['int'], fn: ([n], ctx) => { const c = Math.max(0, Number((n as GoInt).value)); checkCount(ctx, c, 'randBytes'); return Buffer.from(new Uint8Array(c).fill(0x6d)).toString('base64'); } },

    uuidv4: { params: [], fn: () => '00000000-0000-4000-8000-000000000000' },

    // semver
    semver: {
      params: ['string'],
      fn: ([s]) => {
        try { return semverObject(parseVersion(s as string)); } catch (e) { throw new FuncError((e as Error).message); }
      },
    },
    semverCompare: {
      params: ['string', 'string'],
      fn: ([c, v]) => {
        try { return satisfies(c as string, v as string); } catch (e) {
          if (e instanceof SemverError) throw new FuncError(e.message);
          throw e;
        }
      },
    },

    fail: { params: ['string'], fn: ([m]) => { throw new FuncError(m as string, 'fail'); } },

    // regular expressions (RE2 syntax, linear time)
    regexMatch: { params: ['string', 'string'], fn: ([r, s], ctx) => withRegex(ctx, r as string, (re) => regexMatch(re, s as string)) },
    mustRegexMatch: { params: ['string', 'string'], fn: ([r, s], ctx) => withRegex(ctx, r as string, (re) => regexMatch(re, s as string)) },
    regexFindAll: { params: ['string', 'string', 'int'], fn: ([r, s, n], ctx) => withRegex(ctx, r as string, (re) => stringList(regexFindAll(re, s as string, Number((n as GoInt).value)))) },
    mustRegexFindAll: { params: ['string', 'string', 'int'], fn: ([r, s, n], ctx) => withRegex(ctx, r as string, (re) => stringList(regexFindAll(re, s as string, Number((n as GoInt).value)))) },
    regexFind: { params: ['string', 'string'], fn: ([r, s], ctx) => withRegex(ctx, r as string, (re) => regexFind(re, s as string)) },
    mustRegexFind: { params: ['string', 'string'], fn: ([r, s], ctx) => withRegex(ctx, r as string, (re) => regexFind(re, s as string)) },
    regexReplaceAll: { params: ['string', 'string', 'string'], fn: ([r, s, x], ctx) => withRegex(ctx, r as string, (re) => regexReplaceAll(re, s as string, x as string, false)) },
    mustRegexReplaceAll: { params: ['string', 'string', 'string'], fn: ([r, s, x], ctx) => withRegex(ctx, r as string, (re) => regexReplaceAll(re, s as string, x as string, false)) },
    regexReplaceAllLiteral: { params: ['string', 'string', 'string'], fn: ([r, s, x], ctx) => withRegex(ctx, r as string, (re) => regexReplaceAll(re, s as string, x as string, true)) },
    mustRegexReplaceAllLiteral: { params: ['string', 'string', 'string'], fn: ([r, s, x], ctx) => withRegex(ctx, r as string, (re) => regexReplaceAll(re, s as string, x as string, true)) },
    regexSplit: { params: ['string', 'string', 'int'], fn: ([r, s, n], ctx) => withRegex(ctx, r as string, (re) => stringList(regexSplit(re, s as string, Number((n as GoInt).value)))) },
    mustRegexSplit: { params: ['string', 'string', 'int'], fn: ([r, s, n], ctx) => withRegex(ctx, r as string, (re) => stringList(regexSplit(re, s as string, Number((n as GoInt).value)))) },
    regexQuoteMeta: s1(quoteMeta),

    urlParse: s1(urlParse),
    urlJoin: { params: ['map'], fn: ([d]) => urlJoin(mapArg(d) ?? {}) },
  };
  // Aliases Sprig keeps for compatibility.
  f.date_in_zone = f.dateInZone!;
  f.date_modify = f.dateModify!;
  f.must_date_modify = f.mustDateModify!;
  f.biggest = f.max!;
  return f;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function formatQuoted(s: string): string {
  if (isAscii(s) && !/[\x00-\x1f"\\\x7f]/.test(s)) return `"${s}"`;
  return goQuote(s);
}

function trimCutset(s: string, cutset: string): string {
  if (cutset === '') return s;
  const set = new Set(Array.from(cutset));
  const cps = Array.from(s);
  let a = 0;
  let b = cps.length;
  while (a < b && set.has(cps[a] as string)) a++;
  while (b > a && set.has(cps[b - 1] as string)) b--;
  return cps.slice(a, b).join('');
}

function goSplit(s: string, sep: string): string[] {
  if (sep === '') return Array.from(s);
  return s.split(sep);
}

function goSplitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (n < 0) return goSplit(s, sep);
  if (sep === '') {
    const cps = Array.from(s);
    if (cps.length <= n) return cps;
    return [...cps.slice(0, n - 1), cps.slice(n - 1).join('')];
  }
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

function uniq(items: unknown[], ctx: CallContext): unknown[] {
  const out: unknown[] = [];
  for (const x of items) {
    ctx.charge(out.length / 16);
    if (!out.some((y) => deepEqual(x, y))) out.push(x);
  }
  return out;
}

function without(items: unknown[], omit: unknown[], ctx: CallContext): unknown[] {
  ctx.charge((items.length * (omit.length + 1)) / 16);
  return items.filter((x) => !omit.some((y) => deepEqual(x, y)));
}

/** deepCopy, counted against the budget by the number of values copied. */
function chargedCopy(v: unknown, ctx: CallContext): unknown {
  let nodes = 0;
  const count = (x: unknown, depth: number): void => {
    if (depth > 1000) throw new RangeError('value nesting too deep to copy (a cycle?)');
    nodes++;
    if (nodes % 4096 === 0) ctx.charge(2048);
    if (Array.isArray(x)) for (const y of x) count(y, depth + 1);
    else if (isPlainMap(x)) for (const k of Object.keys(x)) count(x[k], depth + 1);
  };
  count(v, 0);
  return deepCopy(v);
}

function mergeAll(d: unknown, srcs: unknown[], overwrite: boolean, ctx: CallContext): unknown {
  const dst = mapArg(d);
  if (!dst) throw new FuncError('mergo: dst must not be nil');
  for (const s of srcs) {
    const src = mapArg(s);
    if (src) mergeInto(dst, src, overwrite, (n) => ctx.charge(n));
  }
  return dst;
}

function safeJson(v: unknown, opts: { escapeHtml: boolean; indent?: string }): string {
  try {
    return toJsonString(v, opts);
  } catch (e) {
    if (e instanceof RangeError) throw e;
    return '';
  }
}

function mustJson(v: unknown, opts: { escapeHtml: boolean; indent?: string }): string {
  try {
    return toJsonString(v, opts);
  } catch (e) {
    if (e instanceof RangeError) throw e;
    throw new FuncError((e as Error).message);
  }
}

function fromBase64Loose(s: string): string {
  try {
    return fromBytes(new Uint8Array(Buffer.from(s, 'base64')));
  } catch {
    return s;
  }
}
