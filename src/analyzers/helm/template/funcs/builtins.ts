/**
 * text/template's predefined functions: and, or, not, len, index, slice, print, printf,
 * println, html, js, urlquery, call, and the comparisons eq, ne, lt, le, gt, ge (ints of any
 * size compare by value; int against float is "incompatible types for comparison", as in Go).
 */
import { FuncError } from '../errors.js';
import type { FuncDef } from '../exec.js';
import { formatV, sprint, sprintf, sprintln } from '../format.js';
import {
  GoInt, GoObject, byteSlice, compareStrings, goInt, goLen, goTypeName, hasOwn, isPlainMap, toBytes, truth, typeTag, utf8Length,
} from '../values.js';

type BasicKind = 'bool' | 'int' | 'uint' | 'float' | 'string' | 'invalid';

function basicKind(v: unknown): BasicKind {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'bigint') return 'int';
  if (v instanceof GoInt) return v.kind === 'uint64' || v.kind === 'uint8' ? 'uint' : 'int';
  return 'invalid';
}

function intOf(v: unknown): bigint {
  return typeof v === 'bigint' ? v : (v as GoInt).value;
}

const BAD_TYPE = 'invalid type for comparison';
const INCOMPATIBLE = 'incompatible types for comparison';

function isNilValue(v: unknown): boolean {
  return v === null || v === undefined;
}

export function goEq(a: unknown, others: unknown[]): boolean {
  if (others.length === 0) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of others) {
    const k2 = basicKind(b);
    let t = false;
    if (k1 !== k2) {
      if ((k1 === 'int' || k1 === 'uint') && (k2 === 'int' || k2 === 'uint')) t = intOf(a) === intOf(b);
      else if (!isNilValue(a) && !isNilValue(b)) throw new FuncError(INCOMPATIBLE);
    } else {
      switch (k1) {
        case 'bool': case 'string': case 'float': t = a === b; break;
        case 'int': case 'uint': t = intOf(a) === intOf(b); break;
        default:
          if (isNilValue(a) || isNilValue(b)) t = isNilValue(a) === isNilValue(b);
          else if (Array.isArray(b) || isPlainMap(b) || b instanceof Uint8Array || (b instanceof GoObject && b.kind !== 'struct')) {
            throw new FuncError(`non-comparable type ${formatV(b)}: ${goTypeName(b)}`);
          } else t = a === b;
      }
    }
    if (t) return true;
  }
  return false;
}

export function goLt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'invalid' || k2 === 'invalid') throw new FuncError(BAD_TYPE);
  if (k1 !== k2) {
    if ((k1 === 'int' || k1 === 'uint') && (k2 === 'int' || k2 === 'uint')) return intOf(a) < intOf(b);
    throw new FuncError(INCOMPATIBLE);
  }
  switch (k1) {
    case 'bool': throw new FuncError(BAD_TYPE);
    case 'float': return (a as number) < (b as number);
    case 'string': return compareStrings(a as string, b as string) < 0;
    default: return intOf(a) < intOf(b);
  }
}

function goLe(a: unknown, b: unknown): boolean {
  return goLt(a, b) || goEq(a, [b]);
}

/** Index of a list for `index`/`slice` arguments: an integer, as Go requires. */
function indexArg(i: unknown, cap: number): number {
  if (i instanceof GoInt || typeof i === 'bigint') {
    const x = intOf(i);
    if (x < 0n || x > BigInt(cap)) throw new FuncError(`index out of range: ${x}`);
    return Number(x);
  }
  if (isNilValue(i)) throw new FuncError('cannot index slice/array with nil');
  throw new FuncError(`cannot index slice/array with type ${goTypeName(i)}`);
}

function goIndex(item: unknown, indexes: unknown[]): unknown {
  if (isNilValue(item)) throw new FuncError('index of untyped nil');
  let cur = item;
  for (const ix of indexes) {
    if (isNilValue(cur)) throw new FuncError('index of nil pointer');
    if (typeof cur === 'string' || cur instanceof Uint8Array) {
      const bytes = typeof cur === 'string' ? toBytes(cur) : cur;
      const x = indexArg(ix, bytes.length);
      if (x >= bytes.length) throw new FuncError(`index out of range: ${x}`);
      cur = goInt(bytes[x] ?? 0, 'uint8');
    } else if (Array.isArray(cur) || (cur instanceof GoObject && cur.kind === 'slice')) {
      const list = Array.isArray(cur) ? cur : (cur.data as unknown[]);
      const x = indexArg(ix, list.length);
      if (x >= list.length) throw new FuncError(`index out of range: ${x}`);
      cur = list[x] ?? null;
    } else if (isPlainMap(cur) || (cur instanceof GoObject && cur.kind === 'map')) {
      if (typeof ix !== 'string') {
        if (isNilValue(ix)) throw new FuncError('value is nil; should be of type string');
        throw new FuncError(`value has type ${goTypeName(ix)}; should be string`);
      }
      const m = (cur instanceof GoObject ? cur.data : cur) as Record<string, unknown>;
      const bytes = cur instanceof GoObject && cur.options.byteValues;
      const v = hasOwn(m, ix) ? m[ix] : undefined;
      if (v === undefined) cur = typeTag(m) === 'map[string]string' ? '' : null;
      else cur = bytes && typeof v === 'string' ? toBytes(v) : v;
    } else {
      throw new FuncError(`can't index item of type ${goTypeName(cur)}`);
    }
  }
  return cur;
}

function toIntLoose(v: unknown): number {
  if (v instanceof GoInt || typeof v === 'bigint') return Number(intOf(v));
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim())) return Number(v.trim());
  return 0;
}

/** Sprig's slice (which Helm uses instead of Go's), also accepting strings as Go's does. */
function goSlice(item: unknown, indexes: unknown[]): unknown {
  if (typeof item === 'string') {
    const n = utf8Length(item);
    const start = indexes.length > 0 ? toIntLoose(indexes[0]) : 0;
    const end = indexes.length > 1 ? toIntLoose(indexes[1]) : n;
    if (start < 0 || end < start || end > n) throw new FuncError(`slice bounds out of range [${start}:${end}] with length ${n}`);
    return byteSlice(item, start, end);
  }
  const list = Array.isArray(item) ? item : item instanceof GoObject && item.kind === 'slice' ? (item.data as unknown[]) : undefined;
  if (!list) throw new FuncError(`list should be type of slice or array but ${isNilValue(item) ? 'invalid' : goTypeName(item)}`);
  if (list.length === 0) return null;
  const start = indexes.length > 0 ? toIntLoose(indexes[0]) : 0;
  const end = indexes.length > 1 ? toIntLoose(indexes[1]) : list.length;
  if (start < 0 || end < start || end > list.length) throw new FuncError(`reflect: slice index out of range`);
  return list.slice(start, end);
}

function goLength(v: unknown): GoInt {
  if (isNilValue(v)) throw new FuncError('len of nil pointer');
  const n = goLen(v);
  if (n === undefined) throw new FuncError(`len of type ${goTypeName(v)}`);
  return goInt(n);
}

/** The text html/js/urlquery escape: one string argument, or fmt.Sprint of all. */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args);
}

export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ '\0': '\uFFFD', '"': '&#34;', '\'': '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' } as Record<string, string>)[c] ?? c);
}

const PRINT = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    switch (ch) {
      case '\\': out += '\\\\'; continue;
      case '\'': out += '\\\''; continue;
      case '"': out += '\\"'; continue;
      case '<': out += '\\u003C'; continue;
      case '>': out += '\\u003E'; continue;
      case '&': out += '\\u0026'; continue;
      case '=': out += '\\u003D'; continue;
      default: break;
    }
    if (c < 0x80) {
      out += c < 0x20 ? `\\u${c.toString(16).toUpperCase().padStart(4, '0')}` : ch;
    } else if (PRINT.test(ch)) out += ch;
    else out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

export function queryEscape(s: string): string {
  let out = '';
  for (const b of toBytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export const builtins: Record<string, FuncDef> = {
  and: { params: ['value'], variadic: 'value', fn: (a) => a[a.length - 1] },
  or: { params: ['value'], variadic: 'value', fn: (a) => a[a.length - 1] },
  not: { params: ['value'], fn: ([v]) => !truth(v) },
  len: { params: ['value'], fn: ([v]) => goLength(v) },
  index: { params: ['value'], variadic: 'value', fn: ([item, ...ix]) => goIndex(item, ix) },
  slice: { params: ['any'], variadic: 'any', fn: ([item, ...ix]) => goSlice(item, ix) },
  print: { params: [], variadic: 'any', fn: (a) => sprint(a) },
  println: { params: [], variadic: 'any', fn: (a) => sprintln(a) },
  printf: {
    params: ['string'],
    variadic: 'any',
    fn: ([f, ...a], ctx) => {
      const s = sprintf(f as string, a);
      ctx.charge(s.length / 256);
      return s;
    },
  },
  html: { params: [], variadic: 'any', fn: (a) => htmlEscape(evalArgs(a)) },
  js: { params: [], variadic: 'any', fn: (a) => jsEscape(evalArgs(a)) },
  urlquery: { params: [], variadic: 'any', fn: (a) => queryEscape(evalArgs(a)) },
  call: {
    params: ['value'],
    variadic: 'value',
    fn: ([f]) => {
      throw new FuncError(`non-function ${isNilValue(f) ? 'nil' : formatV(f)} of type ${isNilValue(f) ? '<nil>' : goTypeName(f)} (templates here cannot hold functions)`);
    },
  },
  eq: { params: ['value'], variadic: 'value', fn: ([a, ...b]) => goEq(a, b) },
  ne: { params: ['value', 'value'], fn: ([a, b]) => !goEq(a, [b]) },
  lt: { params: ['value', 'value'], fn: ([a, b]) => goLt(a, b) },
  le: { params: ['value', 'value'], fn: ([a, b]) => goLe(a, b) },
  gt: { params: ['value', 'value'], fn: ([a, b]) => !goLe(a, b) },
  ge: { params: ['value', 'value'], fn: ([a, b]) => !goLt(a, b) },
};
