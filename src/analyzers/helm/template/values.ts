/**
 * How Go values are represented while a template runs.
 *
 *   Go                          JavaScript
 *   invalid reflect.Value       undefined   (a pipeline that produced nil; prints "<no value>")
 *   nil interface{}             null        (a missing or null map entry, an untyped nil)
 *   bool                        boolean
 *   string                      string
 *   float64                     number      (every number that comes from YAML or JSON, as in Helm)
 *   int, int64, uint64          GoInt       (template literals, len, add, until, int...)
 *   []interface{}               Array       (a WeakMap tag may say []string or []int)
 *   map[string]interface{}      plain object (a WeakMap tag may say map[string]string, chartutil.Values)
 *   []byte                      Uint8Array
 *   structs, time, *Version...  GoObject    (fields, methods, an optional String())
 *
 * Keeping int and float64 apart is what lets the engine reproduce Helm's observable behaviour:
 * `{{ .Values.big }}` prints 1e+06 for 1000000 from values.yaml, `eq 1 .Values.one` is an
 * "incompatible types for comparison" error, `trunc (sub 63 5) $s` wants an int and gets int64.
 */

export type IntKind = 'int' | 'int64' | 'uint64' | 'int32' | 'uint8';

/** A Go integer of a given type. */
export class GoInt {
  constructor(readonly value: bigint, readonly kind: IntKind = 'int') {}
  toString(): string {
    return this.value.toString();
  }
}

const INT64_MIN = -(1n << 63n);

/** Wraps to the type's width, as Go's arithmetic does. */
export function goInt(n: number | bigint, kind: IntKind = 'int'): GoInt {
  let v = typeof n === 'bigint' ? n : BigInt(Math.trunc(Number.isFinite(n) ? n : 0));
  if (kind === 'uint64') v = BigInt.asUintN(64, v);
  else if (kind === 'int32') v = BigInt.asIntN(32, v);
  else if (kind === 'uint8') v = BigInt.asUintN(8, v);
  else v = BigInt.asIntN(64, v);
  return new GoInt(v, kind);
}

/** Converts a float64 to int64 the way Go's conversion does on amd64 (out of range: min int64). */
export function floatToInt64(f: number): bigint {
  if (!Number.isFinite(f)) return INT64_MIN;
  const t = Math.trunc(f);
  if (t >= 9223372036854775807 || t < -9223372036854775808) return INT64_MIN;
  return BigInt(t);
}

/** A function or method signature, with Go's parameter types (used to convert arguments). */
export type ParamType =
  | 'any' // interface{}
  | 'value' // reflect.Value (builtins): no conversion, nil allowed
  | 'string'
  | 'int'
  | 'int64'
  | 'float64'
  | 'bool'
  | 'map' // map[string]interface{}
  | 'list' // []interface{}
  | 'strings'; // []string

export interface GoMethod {
  params: ParamType[];
  variadic?: ParamType;
  call: (args: unknown[]) => unknown;
}

export type GoObjectKind = 'struct' | 'map' | 'slice';

/**
 * A Go value with a named type: a struct (fields in declaration order), or a named map or slice
 * type with methods (Helm's Files, VersionSet). `pointer` marks *T (kind "ptr", prints &{...}).
 */
export class GoObject {
  constructor(
    readonly typeName: string,
    readonly kind: GoObjectKind,
    readonly data: Record<string, unknown> | unknown[],
    readonly methods: Record<string, GoMethod> = {},
    readonly options: {
      stringer?: () => string;
      pointer?: boolean;
      /** JSON field names (struct) for toJson/toYaml; a field absent from the map is skipped. */
      json?: Record<string, { name: string; omitEmpty?: boolean }>;
      /** How toJson/toYaml encode the whole value, when it has its own marshaller. */
      marshal?: () => unknown;
      /** A map whose string values are []byte to templates (Helm's Files). */
      byteValues?: boolean;
    } = {},
  ) {}

  get fields(): Record<string, unknown> {
    return this.data as Record<string, unknown>;
  }
}

export function isPlainMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoObject)
    && !(v instanceof GoInt) && !(v instanceof Uint8Array);
}

/** Own-property lookup that ignores the prototype chain ("constructor", "__proto__" are plain keys). */
export function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

export function mapSet(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}

export function newMap(): Record<string, unknown> {
  return {};
}

// ---- type tags ----

const typeTags = new WeakMap<object, string>();

/** Records the Go type of a list or map the engine created ([]string, map[string]string, ...). */
export function tagType<T extends object>(v: T, typeName: string): T {
  typeTags.set(v, typeName);
  return v;
}

export function typeTag(v: object): string | undefined {
  return typeTags.get(v);
}

export function stringList(items: string[]): string[] {
  return tagType(items, '[]string');
}

export function intList(items: GoInt[]): GoInt[] {
  return tagType(items, '[]int');
}

/** Go's %T of a value. */
export function goTypeName(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  switch (typeof v) {
    case 'boolean': return 'bool';
    case 'string': return 'string';
    case 'number': return 'float64';
    case 'bigint': return 'int64';
    default: break;
  }
  if (v instanceof GoInt) return v.kind;
  if (v instanceof GoObject) return v.typeName;
  if (v instanceof Uint8Array) return '[]uint8';
  if (Array.isArray(v)) return typeTags.get(v) ?? '[]interface {}';
  if (typeof v === 'object') return typeTags.get(v) ?? 'map[string]interface {}';
  return 'func()';
}

/** Go's reflect Kind name of a value (sprig kindOf). */
export function goKindName(v: unknown): string {
  if (v === undefined || v === null) return 'invalid';
  switch (typeof v) {
    case 'boolean': return 'bool';
    case 'string': return 'string';
    case 'number': return 'float64';
    case 'bigint': return 'int64';
    default: break;
  }
  if (v instanceof GoInt) return v.kind;
  if (v instanceof GoObject) return v.options.pointer ? 'ptr' : v.kind;
  if (v instanceof Uint8Array || Array.isArray(v)) return 'slice';
  if (typeof v === 'object') return 'map';
  return 'func';
}

// ---- basic predicates ----

export function isNil(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

/** Length of a collection or string (in bytes, as Go counts), or undefined if it has none. */
export function goLen(v: unknown): number | undefined {
  if (typeof v === 'string') return utf8Length(v);
  if (Array.isArray(v)) return v.length;
  if (v instanceof Uint8Array) return v.length;
  if (v instanceof GoObject) {
    if (v.kind === 'slice') return (v.data as unknown[]).length;
    if (v.kind === 'map') return Object.keys(v.data).length;
    return undefined;
  }
  if (isPlainMap(v)) return Object.keys(v).length;
  return undefined;
}

/** Go's truth: false, 0, nil and empty strings, lists and maps are false; structs are true. */
export function truth(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  switch (typeof v) {
    case 'boolean': return v;
    case 'string': return v.length > 0;
    case 'number': return v !== 0;
    case 'bigint': return v !== 0n;
    default: break;
  }
  if (v instanceof GoInt) return v.value !== 0n;
  if (v instanceof GoObject) {
    if (v.kind === 'struct') return true;
    return (goLen(v) ?? 0) > 0;
  }
  if (v instanceof Uint8Array) return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') {
    for (const k in v) if (hasOwn(v, k)) return true;
    return false;
  }
  return true;
}

// ---- strings and bytes ----

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n += 4; i++; } else n += 3;
    } else n += 3;
  }
  return n;
}

export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

export function toBytes(s: string): Uint8Array {
  return encoder.encode(s);
}

export function fromBytes(b: Uint8Array): string {
  return decoder.decode(b);
}

/** s[start:end] on the UTF-8 bytes of s, as Go slices strings. */
export function byteSlice(s: string, start: number, end?: number): string {
  if (isAscii(s)) return s.slice(start, end);
  const b = toBytes(s);
  return fromBytes(b.subarray(start, end ?? b.length));
}

/** Compares strings in Go's order (UTF-8 bytes, i.e. code points). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (astral code points) sort after the rest of the BMP in UTF-8.
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1;
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

export function sortedKeys(o: object): string[] {
  return Object.keys(o).sort(compareStrings);
}

// ---- equality and copies ----

/** reflect.DeepEqual over the engine's values. */
export function deepEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (depth > 10_000) return false;
  if (a === b) return true;
  if (isNil(a) || isNil(b)) return isNil(a) && isNil(b);
  if (goTypeName(a) !== goTypeName(b)) return false;
  if (a instanceof GoInt && b instanceof GoInt) return a.value === b.value;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i], depth + 1));
  }
  if (a instanceof GoObject && b instanceof GoObject) {
    if (a.options.pointer) return false;
    return deepEqual(a.data, b.data, depth + 1);
  }
  if (isPlainMap(a) && isPlainMap(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => hasOwn(b, k) && deepEqual(a[k], b[k], depth + 1));
  }
  return false;
}

/** A deep copy of maps and lists (sprig deepCopy; also used to isolate the caller's values). */
export function deepCopy(v: unknown, depth = 0): unknown {
  if (depth > 1000) throw new RangeError('value nesting too deep to copy (a cycle?)');
  if (Array.isArray(v)) {
    const out = v.map((x) => deepCopy(x, depth + 1));
    const tag = typeTags.get(v);
    return tag ? tagType(out, tag) : out;
  }
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (isPlainMap(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) mapSet(out, k, deepCopy(v[k], depth + 1));
    const tag = typeTags.get(v);
    return tag ? tagType(out, tag) : out;
  }
  return v;
}

/** Normalises caller-supplied data: undefined members become null, bigint becomes int64. */
export function importValue(v: unknown, depth = 0): unknown {
  if (depth > 1000) throw new RangeError('values nested too deeply (a cycle?)');
  if (v === undefined) return null;
  if (typeof v === 'bigint') return new GoInt(BigInt.asIntN(64, v), 'int64');
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map((x) => importValue(x, depth + 1));
  if (isPlainMap(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) mapSet(out, k, importValue(v[k], depth + 1));
    return out;
  }
  return v;
}
