/**
 * Terraform's built-in functions, evaluated statically. Functions that read files, the clock,
 * randomness or the network return Unknown (nothing outside the expression is read or run).
 */
import { parse as parseYaml } from 'yaml';
import type { Value } from '../../core/types.js';
import { isUnknown, unknown } from '../../core/types.js';
import type { CallExpr, Expr } from './hcl/ast.js';
import type { Scope } from './evaluate.js';
import {
  EvalError,
  containsUnknown,
  firstUnknown,
  isObject,
  toBool,
  toNum,
  toStr,
  typeName,
  valuesEqual,
} from './evaluate.js';

type Evaluator = (e: Expr, s?: Scope) => Value;
type Fn = (args: Value[], call: CallExpr) => Value;

const UNKNOWN_AT_PLAN: Record<string, string> = {
  file: 'reads a file', fileexists: 'reads the file system', fileset: 'reads the file system',
  filebase64: 'reads a file', filemd5: 'reads a file', filesha1: 'reads a file', filesha256: 'reads a file',
  filesha512: 'reads a file', templatefile: 'reads a template file', timestamp: 'depends on the clock',
  plantimestamp: 'depends on the clock', uuid: 'is random', bcrypt: 'is random', uuidv5: 'is not evaluated',
  pathexpand: 'depends on the environment', abspath: 'depends on the environment', sensitive: '', nonsensitive: '',
  ephemeralasnull: '',
};

function list(v: Value, name: string): Value[] {
  if (Array.isArray(v)) return v;
  throw new EvalError(`${name}: a list is required, got ${typeName(v)}`);
}

function obj(v: Value, name: string): Record<string, Value> {
  if (isObject(v)) return v;
  throw new EvalError(`${name}: a map or object is required, got ${typeName(v)}`);
}

function distinct(items: Value[]): Value[] {
  const out: Value[] = [];
  for (const v of items) if (!out.some((o) => valuesEqual(o, v))) out.push(v);
  return out;
}

function jsonToValue(v: unknown): Value {
  if (v === undefined) return null;
  if (Array.isArray(v)) return v.map(jsonToValue);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v)) out[k] = jsonToValue(x);
    return out;
  }
  return v as Value;
}

/** IPv4 cidrsubnet(prefix, newbits, netnum). */
function cidrsubnet(prefix: string, newbits: number, netnum: number): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(prefix);
  if (!m) throw new EvalError(`cidrsubnet: invalid IPv4 prefix "${prefix}"`);
  const [a, b, c, d, len] = m.slice(1).map(Number) as [number, number, number, number, number];
  const newLen = len + newbits;
  if (newLen > 32) throw new EvalError(`cidrsubnet: ${newbits} new bits on a /${len} exceed 32 bits`);
  if (netnum < 0 || netnum >= 2 ** newbits) throw new EvalError(`cidrsubnet: netnum ${netnum} does not fit in ${newbits} bits`);
  const base = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  const addr = ((base & mask) >>> 0) + netnum * 2 ** (32 - newLen);
  const parts = [addr >>> 24, (addr >>> 16) & 255, (addr >>> 8) & 255, addr & 255];
  return `${parts.join('.')}/${newLen}`;
}

/** Go-style format verbs used in Terraform's format(): %s %d %f %.Nf %v %q %t %x %%, with width and flags. */
function format(spec: string, args: Value[]): string {
  let i = 0;
  return spec.replace(/%([-+0 ]*)(\d*)(?:\.(\d+))?([sdfvqtx%])/g, (_m, flags: string, width: string, prec: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) throw new EvalError(`format: not enough arguments for "${spec}"`);
    const v = args[i++] as Value;
    let text: string;
    switch (verb) {
      case 'd': {
        const n = Math.trunc(toNum(v));
        text = `${n < 0 ? '-' : flags.includes('+') ? '+' : ''}${Math.abs(n)}`;
        break;
      }
      case 'f':
        text = toNum(v).toFixed(prec === undefined ? 6 : Number(prec));
        break;
      case 'q':
        text = JSON.stringify(toStr(v));
        break;
      case 't':
        text = String(toBool(v));
        break;
      case 'x':
        text = typeof v === 'number' ? v.toString(16) : Buffer.from(toStr(v)).toString('hex');
        break;
      case 'v':
        text = typeof v === 'object' && v !== null ? JSON.stringify(v) : toStr(v);
        break;
      default:
        text = prec === undefined ? toStr(v) : toStr(v).slice(0, Number(prec));
    }
    const w = Number(width || 0);
    if (text.length >= w) return text;
    if (flags.includes('-')) return text.padEnd(w, ' ');
    if (flags.includes('0') && /[dfx]/.test(verb)) {
      const sign = /^[-+]/.test(text) ? (text[0] as string) : '';
      return sign + text.slice(sign.length).padStart(w - sign.length, '0');
    }
    return text.padStart(w, ' ');
  });
}

const fns: Record<string, Fn> = {
  // collections
  length: ([arg]) => {
    const v = arg ?? null;
    if (typeof v === 'string') return [...v].length;
    if (Array.isArray(v)) return v.length;
    if (isObject(v)) return Object.keys(v).length;
    throw new EvalError(`length: cannot take the length of a ${typeName(v)}`);
  },
  lookup: ([m, k, d], call) => {
    const map = obj(m as Value, 'lookup');
    const key = toStr(k as Value);
    if (Object.prototype.hasOwnProperty.call(map, key)) return map[key] as Value;
    if (call.args.length >= 3) return d as Value;
    throw new EvalError(`lookup: the map has no key "${key}" and no default was given`);
  },
  merge: (args) => {
    const out: Record<string, Value> = {};
    for (const a of args) if (a !== null) Object.assign(out, obj(a, 'merge'));
    return out;
  },
  concat: (args) => args.flatMap((a) => list(a, 'concat')),
  keys: ([m]) => Object.keys(obj(m as Value, 'keys')).sort(),
  values: ([m]) => {
    const map = obj(m as Value, 'values');
    return Object.keys(map).sort().map((k) => map[k] as Value);
  },
  element: ([l, i]) => {
    const items = list(l as Value, 'element');
    if (items.length === 0) throw new EvalError('element: cannot use element function with an empty list');
    const n = Math.floor(toNum(i as Value));
    return items[((n % items.length) + items.length) % items.length] as Value;
  },
  index: ([l, v]) => {
    const i = list(l as Value, 'index').findIndex((x) => valuesEqual(x, v as Value));
    if (i < 0) throw new EvalError('index: the given value is not in the list');
    return i;
  },
  contains: ([l, v]) => list(l as Value, 'contains').some((x) => valuesEqual(x, v as Value)),
  coalesce: (args) => {
    for (const a of args) if (a !== null && a !== '') return a;
    throw new EvalError('coalesce: no non-null, non-empty argument');
  },
  coalescelist: (args) => {
    for (const a of args) if (list(a, 'coalescelist').length > 0) return a;
    throw new EvalError('coalescelist: no non-empty list argument');
  },
  compact: ([l]) => list(l as Value, 'compact').filter((x) => x !== null && x !== ''),
  flatten: ([l]) => {
    const out: Value[] = [];
    const walk = (v: Value) => (Array.isArray(v) ? v.forEach(walk) : out.push(v));
    list(l as Value, 'flatten').forEach(walk);
    return out;
  },
  distinct: ([l]) => distinct(list(l as Value, 'distinct')),
  reverse: ([l]) => [...list(l as Value, 'reverse')].reverse(),
  slice: ([l, s, e]) => list(l as Value, 'slice').slice(toNum(s as Value), toNum(e as Value)),
  sort: ([l]) => list(l as Value, 'sort').map((x) => toStr(x)).sort(),
  sum: ([l]) => list(l as Value, 'sum').reduce<number>((a, x) => a + toNum(x), 0),
  one: ([l]) => {
    const items = list(l as Value, 'one');
    if (items.length > 1) throw new EvalError('one: the list has more than one element');
    return items[0] ?? null;
  },
  zipmap: ([k, v]) => {
    const ks = list(k as Value, 'zipmap');
    const vs = list(v as Value, 'zipmap');
    if (ks.length !== vs.length) throw new EvalError('zipmap: the lists have different lengths');
    const out: Record<string, Value> = {};
    ks.forEach((key, i) => (out[toStr(key)] = vs[i] as Value));
    return out;
  },
  range: (args) => {
    const [a, b, c] = args.map((x) => toNum(x));
    const [start, end, step] = args.length === 1 ? [0, a as number, 1] : [a as number, b as number, c ?? ((a as number) <= (b as number) ? 1 : -1)];
    if (step === 0) throw new EvalError('range: step must not be zero');
    const out: number[] = [];
    for (let x = start; step > 0 ? x < end : x > end; x += step) {
      out.push(x);
      if (out.length > 1024) throw new EvalError('range: more than 1024 elements');
    }
    return out;
  },
  setunion: (args) => distinct(args.flatMap((a) => list(a, 'setunion'))),
  setintersection: (args) => {
    const [first, ...rest] = args.map((a) => list(a, 'setintersection'));
    return distinct((first ?? []).filter((x) => rest.every((r) => r.some((y) => valuesEqual(x, y)))));
  },
  setsubtract: ([a, b]) => list(a as Value, 'setsubtract').filter((x) => !list(b as Value, 'setsubtract').some((y) => valuesEqual(x, y))),
  transpose: ([m]) => {
    const out: Record<string, Value[]> = {};
    for (const [k, vs] of Object.entries(obj(m as Value, 'transpose'))) for (const v of list(vs, 'transpose')) (out[toStr(v)] ??= []).push(k);
    return out;
  },
  chunklist: ([l, n]) => {
    const items = list(l as Value, 'chunklist');
    const size = toNum(n as Value);
    if (size <= 0) return [items];
    const out: Value[] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
  },
  // type conversions
  tostring: ([v]) => (v === null ? null : toStr(v as Value)),
  tonumber: ([v]) => (v === null ? null : toNum(v as Value)),
  tobool: ([v]) => (v === null ? null : toBool(v as Value)),
  tolist: ([v]) => (isObject(v as Value) ? Object.values(v as Record<string, Value>) : list(v as Value, 'tolist')),
  toset: ([v]) => distinct(list(v as Value, 'toset')).sort((a, b) => (typeof a === 'string' && typeof b === 'string' ? (a < b ? -1 : a > b ? 1 : 0) : 0)),
  tomap: ([v]) => obj(v as Value, 'tomap'),
  // strings
  format: ([f, ...rest]) => format(toStr(f as Value), rest),
  formatlist: ([f, ...rest]) => {
    const n = Math.max(1, ...rest.map((r) => (Array.isArray(r) ? r.length : 1)));
    return Array.from({ length: n }, (_, i) => format(toStr(f as Value), rest.map((r) => (Array.isArray(r) ? (r[i] as Value) : r))));
  },
  join: ([sep, ...ls]) => ls.flatMap((l) => list(l, 'join')).map((x) => toStr(x)).join(toStr(sep as Value)),
  split: ([sep, s]) => toStr(s as Value).split(toStr(sep as Value)),
  replace: ([s, from, to]) => {
    const str = toStr(s as Value);
    const f = toStr(from as Value);
    const t = toStr(to as Value);
    const re = /^\/(.*)\/$/.exec(f);
    if (re) return str.replace(new RegExp(re[1] as string, 'g'), t.replace(/\$\{(\d+)\}/g, '$$$1'));
    return str.split(f).join(t);
  },
  lower: ([s]) => toStr(s as Value).toLowerCase(),
  upper: ([s]) => toStr(s as Value).toUpperCase(),
  title: ([s]) => toStr(s as Value).replace(/\b\w/g, (c) => c.toUpperCase()),
  trimspace: ([s]) => toStr(s as Value).trim(),
  trim: ([s, c]) => {
    const chars = new Set(toStr(c as Value));
    const str = [...toStr(s as Value)];
    while (str.length && chars.has(str[0] as string)) str.shift();
    while (str.length && chars.has(str[str.length - 1] as string)) str.pop();
    return str.join('');
  },
  trimprefix: ([s, p]) => {
    const str = toStr(s as Value);
    const pre = toStr(p as Value);
    return str.startsWith(pre) ? str.slice(pre.length) : str;
  },
  trimsuffix: ([s, p]) => {
    const str = toStr(s as Value);
    const suf = toStr(p as Value);
    return suf && str.endsWith(suf) ? str.slice(0, -suf.length) : str;
  },
  substr: ([s, o, l]) => {
    const chars = [...toStr(s as Value)];
    let off = toNum(o as Value);
    if (off < 0) off = chars.length + off;
    const len = toNum(l as Value);
    return chars.slice(off, len < 0 ? undefined : off + len).join('');
  },
  startswith: ([s, p]) => toStr(s as Value).startsWith(toStr(p as Value)),
  endswith: ([s, p]) => toStr(s as Value).endsWith(toStr(p as Value)),
  strcontains: ([s, p]) => toStr(s as Value).includes(toStr(p as Value)),
  strrev: ([s]) => [...toStr(s as Value)].reverse().join(''),
  regex: ([p, s]) => {
    const m = new RegExp(toStr(p as Value)).exec(toStr(s as Value));
    if (!m) throw new EvalError('regex: pattern did not match');
    return m.length > 1 ? m.slice(1).map((x) => x ?? null) : m[0];
  },
  indent: ([n, s]) => toStr(s as Value).replace(/\n/g, `\n${' '.repeat(toNum(n as Value))}`),
  chomp: ([s]) => toStr(s as Value).replace(/(\r?\n)+$/, ''),
  basename: ([p]) => toStr(p as Value).replace(/\/+$/, '').split('/').pop() ?? '',
  dirname: ([p]) => {
    const str = toStr(p as Value).replace(/\/+$/, '');
    const i = str.lastIndexOf('/');
    return i < 0 ? '.' : i === 0 ? '/' : str.slice(0, i);
  },
  regexall: ([p, s]) => [...toStr(s as Value).matchAll(new RegExp(toStr(p as Value), 'g'))].map((m) => (m.length > 1 ? m.slice(1).map((x) => x ?? null) : m[0])),
  urlencode: ([s]) => encodeURIComponent(toStr(s as Value)),
  alltrue: ([l]) => list(l as Value, 'alltrue').every((x) => toBool(x)),
  anytrue: ([l]) => list(l as Value, 'anytrue').some((x) => toBool(x)),
  matchkeys: ([vals, ks, search]) => {
    const v = list(vals as Value, 'matchkeys');
    const k = list(ks as Value, 'matchkeys');
    const want = list(search as Value, 'matchkeys');
    return v.filter((_, i) => want.some((w) => valuesEqual(w, k[i] as Value)));
  },
  // numbers
  min: (args) => Math.min(...args.map((a) => toNum(a))),
  max: (args) => Math.max(...args.map((a) => toNum(a))),
  ceil: ([n]) => Math.ceil(toNum(n as Value)),
  floor: ([n]) => Math.floor(toNum(n as Value)),
  abs: ([n]) => Math.abs(toNum(n as Value)),
  pow: ([a, b]) => toNum(a as Value) ** toNum(b as Value),
  signum: ([n]) => Math.sign(toNum(n as Value)),
  parseint: ([s, b]) => {
    const n = parseInt(toStr(s as Value), toNum(b as Value));
    if (Number.isNaN(n)) throw new EvalError('parseint: cannot parse');
    return n;
  },
  log: ([n, b]) => Math.log(toNum(n as Value)) / Math.log(toNum(b as Value)),
  // encoding
  jsondecode: ([s]) => {
    try {
      return jsonToValue(JSON.parse(toStr(s as Value)));
    } catch (e) {
      throw new EvalError(`jsondecode: ${(e as Error).message}`);
    }
  },
  jsonencode: ([v]) => JSON.stringify(v),
  yamldecode: ([s]) => {
    try {
      return jsonToValue(parseYaml(toStr(s as Value)));
    } catch (e) {
      throw new EvalError(`yamldecode: ${(e as Error).message}`);
    }
  },
  base64encode: ([s]) => Buffer.from(toStr(s as Value), 'utf8').toString('base64'),
  base64decode: ([s]) => Buffer.from(toStr(s as Value), 'base64').toString('utf8'),
  cidrsubnet: ([p, b, n]) => cidrsubnet(toStr(p as Value), toNum(b as Value), toNum(n as Value)),
  cidrsubnets: ([p, ...bits]) => {
    // Consecutive allocation, as Terraform does, for IPv4.
    const prefix = toStr(p as Value);
    const len = Number(prefix.split('/')[1]);
    let next = 0;
    return bits.map((b) => {
      const nb = toNum(b);
      const size = 2 ** (32 - len - nb);
      const start = Math.ceil(next / size) * size;
      next = start + size;
      return cidrsubnet(prefix, nb, start / size);
    });
  },
};

/**
 * Functions that only rearrange collections: an unknown element inside an argument stays an
 * unknown element of the result (Terraform keeps a map's keys known when only values are not).
 */
const STRUCTURAL = new Set([
  'chunklist', 'coalescelist', 'compact', 'concat', 'element', 'flatten', 'keys', 'length', 'lookup', 'merge', 'one',
  'reverse', 'setunion', 'slice', 'tolist', 'tomap', 'values', 'zipmap',
]);

/** Unknown arguments make most results unknown; these functions inspect arguments themselves. */
function anyUnknownArg(args: Value[]): Value | undefined {
  for (const a of args) if (containsUnknown(a)) return isUnknown(a) ? a : unknown('depends on a value known only after apply');
  return undefined;
}

export function callFunction(call: CallExpr, scope: Scope, ev: Evaluator): Value {
  const name = call.name;
  if (name === 'try') {
    for (const a of call.args) {
      try {
        return ev(a);
      } catch (e) {
        if (!(e instanceof EvalError)) throw e;
      }
    }
    throw new EvalError('try: no argument could be evaluated without errors', call.range);
  }
  if (name === 'can') {
    try {
      const v = ev(call.args[0] as Expr);
      return isUnknown(v) ? v : true;
    } catch (e) {
      if (!(e instanceof EvalError)) throw e;
      return false;
    }
  }
  if (name in UNKNOWN_AT_PLAN) {
    const why = UNKNOWN_AT_PLAN[name];
    if (!why) return call.args[0] ? ev(call.args[0]) : null; // sensitive(), nonsensitive(): identity
    return unknown(`${name}() ${why}; mlcost does not evaluate it`);
  }
  if (name.startsWith('provider::')) return unknown(`provider function ${name}() is not evaluated`);
  const fn = Object.prototype.hasOwnProperty.call(fns, name) ? fns[name] : undefined;
  if (!fn) {
    scope.warn(`unknown function ${name}(); its result is treated as unknown`, call.range);
    return unknown(`unknown function ${name}()`);
  }
  let args = call.args.map((a) => ev(a));
  if (call.expandFinal && args.length > 0) {
    const last = args[args.length - 1] as Value;
    if (isUnknown(last)) return last;
    args = [...args.slice(0, -1), ...list(last, `${name}(...)`)];
  }
  const u = STRUCTURAL.has(name) ? firstUnknown(args) : anyUnknownArg(args);
  if (u !== undefined) return u;
  try {
    return fn(args, call);
  } catch (e) {
    if (e instanceof EvalError && !e.range) throw new EvalError(e.message.startsWith(`${name}:`) ? e.message : `${name}(): ${e.message}`, call.range);
    throw e;
  }
}

export const SUPPORTED_FUNCTIONS = Object.keys(fns).concat(['try', 'can']).sort();
