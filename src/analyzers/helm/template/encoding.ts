/**
 * Encoders and decoders with Helm's observable output:
 *
 * - toJson: Go's encoding/json (sorted map keys, HTML escaping, float formatting).
 * - toYaml: sigs.k8s.io/yaml, i.e. JSON first, then go-yaml v2's emitter: keys in go-yaml's
 *   "natural" order, sequences not indented under their key, strings quoted only when they would
 *   read back as another type, multi-line strings as literal blocks, long lines folded at 80
 *   columns (re-implemented here so that indentation matches `helm template` byte for byte).
 * - toYamlPretty: go-yaml v3 with indent 2 (sequences indented, no folding).
 * - fromYaml/fromJson: parsed the way Helm's helpers parse (numbers become float64, YAML 1.1
 *   booleans, errors returned in an "Error" key).
 */
import { parseAllDocuments } from 'yaml';
import { formatFloatG } from './format.js';
import {
  GoInt, GoObject, isPlainMap, mapSet, newMap, sortedKeys, utf8Length,
} from './values.js';

// ---- the JSON data model ----

export class JInt {
  constructor(readonly v: bigint) {}
}
export class JFloat {
  constructor(readonly v: number) {}
}
export class JMap {
  constructor(readonly entries: [string, JValue][]) {}
}
export type JValue = null | boolean | string | JInt | JFloat | JValue[] | JMap;

export class EncodeError extends Error {}

function base64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i] as number);
  return btoa(s);
}

function isEmptyJson(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (v === false || v === 0 || v === '') return true;
  if (v instanceof GoInt) return v.value === 0n;
  if (Array.isArray(v)) return v.length === 0;
  if (isPlainMap(v)) return Object.keys(v).length === 0;
  return false;
}

/** Converts a template value to what encoding/json would see. */
export function toJsonValue(v: unknown, depth = 0): JValue {
  if (depth > 1000) throw new EncodeError('json: unsupported value: encountered a cycle');
  if (v === undefined || v === null) return null;
  switch (typeof v) {
    case 'boolean':
    case 'string':
      return v;
    case 'number':
      if (!Number.isFinite(v)) throw new EncodeError(`json: unsupported value: ${formatFloatG(v)}`);
      return new JFloat(v);
    case 'bigint':
      return new JInt(v);
    default:
      break;
  }
  if (v instanceof GoInt) return new JInt(v.value);
  if (v instanceof Uint8Array) return base64(v);
  if (Array.isArray(v)) return v.map((x) => toJsonValue(x, depth + 1));
  if (v instanceof GoObject) {
    if (v.options.marshal) return toJsonValue(v.options.marshal(), depth + 1);
    if (v.kind === 'slice') return (v.data as unknown[]).map((x) => toJsonValue(x, depth + 1));
    if (v.kind === 'map') {
      const d = v.data as Record<string, unknown>;
      return new JMap(sortedKeys(d).map((k) => {
        const x = d[k];
        return [k, toJsonValue(v.options.byteValues && typeof x === 'string' ? new TextEncoder().encode(x) : x, depth + 1)];
      }));
    }
    const entries: [string, JValue][] = [];
    for (const [k, x] of Object.entries(v.fields)) {
      const spec = v.options.json ? v.options.json[k] : { name: k };
      if (!spec) continue;
      if (spec.omitEmpty && isEmptyJson(x)) continue;
      entries.push([spec.name, toJsonValue(x, depth + 1)]);
    }
    return new JMap(entries);
  }
  if (isPlainMap(v)) return new JMap(sortedKeys(v).map((k) => [k, toJsonValue(v[k], depth + 1)]));
  return String(v);
}

// ---- JSON text ----

function jsonString(s: string, escapeHtml: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i] as string;
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c < 0x7f && !(escapeHtml && (c === 0x3c || c === 0x3e || c === 0x26))) {
      out += ch;
      continue;
    }
    switch (c) {
      case 0x22: out += '\\"'; continue;
      case 0x5c: out += '\\\\'; continue;
      case 0x0a: out += '\\n'; continue;
      case 0x0d: out += '\\r'; continue;
      case 0x09: out += '\\t'; continue;
      case 0x08: out += '\\b'; continue;
      case 0x0c: out += '\\f'; continue;
      default: break;
    }
    if (c < 0x20 || (escapeHtml && (c === 0x3c || c === 0x3e || c === 0x26))) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
      continue;
    }
    if (c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16)}`;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += ch + s[i + 1];
        i++;
        continue;
      }
      out += '\\ufffd';
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      out += '\\ufffd';
      continue;
    }
    out += ch;
  }
  return `${out}"`;
}

function jsonNumber(f: number): string {
  if (Object.is(f, -0)) return '-0';
  return String(f);
}

/** encoding/json's Marshal (indent: MarshalIndent with prefix "" and this indent). */
export function encodeJson(v: JValue, opts: { escapeHtml: boolean; indent?: string } = { escapeHtml: true }): string {
  const ind = opts.indent;
  const write = (x: JValue, level: number): string => {
    if (x === null) return 'null';
    if (typeof x === 'boolean') return x ? 'true' : 'false';
    if (typeof x === 'string') return jsonString(x, opts.escapeHtml);
    if (x instanceof JInt) return x.v.toString();
    if (x instanceof JFloat) return jsonNumber(x.v);
    const nl = ind === undefined ? '' : `\n${ind.repeat(level + 1)}`;
    const end = ind === undefined ? '' : `\n${ind.repeat(level)}`;
    if (Array.isArray(x)) {
      if (x.length === 0) return '[]';
      return `[${x.map((e) => nl + write(e, level + 1)).join(',')}${end}]`;
    }
    if (x.entries.length === 0) return '{}';
    const sep = ind === undefined ? ':' : ': ';
    return `{${x.entries.map(([k, e]) => nl + jsonString(k, opts.escapeHtml) + sep + write(e, level + 1)).join(',')}${end}}`;
  };
  return write(v, 0);
}

export function toJsonString(v: unknown, opts: { escapeHtml: boolean; indent?: string } = { escapeHtml: true }): string {
  return encodeJson(toJsonValue(v), opts);
}

// ---- go-yaml's view of scalars ----

const V2_RESOLVE = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  '', '~', 'null', 'Null', 'NULL',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '<<',
]);

const OLD_BOOLS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);

function daysIn(month: number, year: number): number {
  return [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

function looksLikeTimestamp(s: string): boolean {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y)) return false;
  if (m[4] === undefined) return true;
  if (Number(m[5]) > 23 || Number(m[6]) > 59 || Number(m[7]) > 59) return false;
  // With a T the zone is required; with a space there is none.
  if (m[4] === ' ') return m[9] === undefined;
  return m[9] !== undefined;
}

function parsesAsGoInt(plain: string): boolean {
  return /^[+-]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/.test(plain);
}

/** Whether go-yaml v2 would read this plain scalar as something other than a string. */
export function v2ResolvesToNonString(s: string): boolean {
  if (V2_RESOLVE.has(s)) return true;
  const c = s[0] as string;
  if (c === '.') return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s);
  if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
    if (looksLikeTimestamp(s)) return true;
    const plain = s.replace(/_/g, '');
    if (parsesAsGoInt(plain)) return true;
    if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(plain)) return true;
  }
  return false;
}

function isBase60Float(s: string): boolean {
  return /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s);
}

/** Whether go-yaml v3 would read this plain scalar as something other than a string. */
function v3ResolvesToNonString(s: string): boolean {
  if (s === '' || s === '~' || /^(null|Null|NULL|true|True|TRUE|false|False|FALSE)$/.test(s)) return true;
  if (/^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$|^<<$/.test(s)) return true;
  const c = s[0] as string;
  if (c === '.' || c === '+' || c === '-' || (c >= '0' && c <= '9')) {
    if (looksLikeTimestamp(s)) return true;
    const plain = s.replace(/_/g, '');
    if (parsesAsGoInt(plain)) return true;
    if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(plain)) return true;
  }
  return false;
}

// ---- the emitter ----

type Style = 'plain' | 'single' | 'double' | 'literal';

/** Code points of a string (fast for ASCII). */
function codePoints(s: string): number[] {
  const out = new Array<number>(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out[n++] = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
        i++;
        continue;
      }
    }
    out[n++] = c;
  }
  out.length = n;
  return out;
}

function isPrintable(cp: number): boolean {
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

function isBreakCp(cp: number | undefined): boolean {
  return cp === 0x0a || cp === 0x0d || cp === 0x85 || cp === 0x2028 || cp === 0x2029;
}

function isSpaceCp(cp: number | undefined): boolean {
  return cp === 0x20;
}

function isBlankZ(cp: number | undefined): boolean {
  return cp === undefined || cp === 0x20 || cp === 0x09 || isBreakCp(cp) || cp === 0;
}

interface Analysis {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  single: boolean;
  block: boolean;
}

const FIRST_INDICATORS = new Set(Array.from('#,[]{}&*!|>\'"%@`', (c) => c.charCodeAt(0)));

function analyze(cps: number[], v3: boolean): Analysis {
  if (cps.length === 0) return { multiline: false, flowPlain: false, blockPlain: true, single: true, block: false };
  let blockInd = false;
  let flowInd = false;
  let lineBreaks = false;
  let special = false;
  let tabs = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let precededByWs = true;
  let prevSpace = false;
  let prevBreak = false;
  const n = cps.length;
  if (n >= 3 && ((cps[0] === 0x2d && cps[1] === 0x2d && cps[2] === 0x2d) || (cps[0] === 0x2e && cps[1] === 0x2e && cps[2] === 0x2e))) {
    blockInd = true;
    flowInd = true;
  }
  for (let i = 0; i < n; i++) {
    const c = cps[i] as number;
    const followedByWs = i + 1 >= n || isBlankZ(cps[i + 1]);
    if (i === 0) {
      if (FIRST_INDICATORS.has(c)) {
        flowInd = true;
        blockInd = true;
      } else if (c === 0x3f || c === 0x3a) {
        flowInd = true;
        if (followedByWs) blockInd = true;
      } else if (c === 0x2d && followedByWs) {
        flowInd = true;
        blockInd = true;
      }
    } else if (c === 0x2c || c === 0x3f || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d) {
      flowInd = true;
    } else if (c === 0x3a) {
      flowInd = true;
      if (followedByWs) blockInd = true;
    } else if (c === 0x23 && precededByWs) {
      flowInd = true;
      blockInd = true;
    }
    if (v3 && c === 0x09) tabs = true;
    else if (!isPrintable(c)) special = true;
    if (isSpaceCp(c)) {
      if (i === 0) leadingSpace = true;
      if (i === n - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreakCp(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === n - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWs = isBlankZ(c);
  }
  const a: Analysis = { multiline: lineBreaks, flowPlain: true, blockPlain: true, single: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.flowPlain = false;
    a.blockPlain = false;
  }
  if (trailingSpace) a.block = false;
  if (breakSpace) {
    a.flowPlain = false;
    a.blockPlain = false;
    a.single = false;
  }
  if (spaceBreak || tabs || special) {
    a.flowPlain = false;
    a.blockPlain = false;
    a.single = false;
  }
  if (spaceBreak || special) a.block = false;
  if (lineBreaks) {
    a.flowPlain = false;
    a.blockPlain = false;
  }
  if (flowInd) a.flowPlain = false;
  if (blockInd) a.blockPlain = false;
  return a;
}

interface Ctx {
  root: boolean;
  seq: boolean;
  map: boolean;
  key: boolean;
}

export interface YamlStyle {
  /** go-yaml v3 (toYamlPretty) rather than v2 (toYaml). */
  v3: boolean;
  /** Column after which plain and quoted scalars are folded (v2: 80). */
  width: number;
}

class Emitter {
  out = '';
  column = 0;
  whitespace = true;
  indention = true;
  indent = -1;
  indents: number[] = [];
  flowLevel = 0;

  constructor(private readonly style: YamlStyle) {}

  private put(ch: string): void {
    this.out += ch;
    this.column++;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
    this.indention = true;
  }

  private writeCp(cp: number): void {
    this.out += String.fromCodePoint(cp);
    this.column++;
  }

  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(ind: string, needWs: boolean, isWs: boolean, isIndention: boolean): void {
    if (needWs && !this.whitespace) this.put(' ');
    for (const ch of ind) this.put(ch);
    this.whitespace = isWs;
    this.indention = this.indention && isIndention;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? 2 : 0;
    else if (!indentless) this.indent += 2;
  }

  private popIndent(): void {
    this.indent = this.indents.pop() ?? -1;
  }

  emitNode(v: JValue, ctx: Ctx): void {
    if (Array.isArray(v)) {
      if (v.length === 0 || this.flowLevel > 0) this.emitEmpty('[', ']');
      else this.emitBlockSequence(v, ctx);
      return;
    }
    if (v instanceof JMap) {
      if (v.entries.length === 0 || this.flowLevel > 0) this.emitEmpty('{', '}');
      else this.emitBlockMapping(v, ctx);
      return;
    }
    this.emitScalar(v, ctx);
  }

  private emitEmpty(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.increaseIndent(true, false);
    this.popIndent();
    this.writeIndicator(close, false, false, false);
  }

  private emitBlockSequence(items: JValue[], ctx: Ctx): void {
    const indentless = this.style.v3 ? false : ctx.map && !this.indention;
    this.increaseIndent(false, indentless);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.emitNode(item, { root: false, seq: true, map: false, key: false });
    }
    this.popIndent();
  }

  private emitBlockMapping(m: JMap, _ctx: Ctx): void {
    this.increaseIndent(false, false);
    for (const [k, v] of m.entries) {
      this.writeIndent();
      const simple = utf8Length(k) <= 128 && !/[\n\r\u0085\u2028\u2029]/.test(k);
      if (simple) {
        this.emitScalar(k, { root: false, seq: false, map: true, key: true });
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.emitScalar(k, { root: false, seq: false, map: true, key: false });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.emitNode(v, { root: false, seq: false, map: true, key: false });
    }
    this.popIndent();
  }

  private emitScalar(v: JValue, ctx: Ctx): void {
    let text: string;
    let requested: Style = 'plain';
    if (v === null) text = 'null';
    else if (typeof v === 'boolean') text = v ? 'true' : 'false';
    else if (v instanceof JInt) text = v.v.toString();
    else if (v instanceof JFloat) text = yamlFloat(v.v);
    else if (typeof v === 'string') {
      text = v;
      const nonString = this.style.v3 ? v3ResolvesToNonString(v) || isBase60Float(v) || OLD_BOOLS.has(v) : v2ResolvesToNonString(v) || isBase60Float(v);
      if (v.includes('\n')) requested = 'literal';
      else requested = nonString ? 'double' : 'plain';
    } else text = '';
    const cps = codePoints(text);
    let style = requested as Style;
    if (typeof v === 'string') {
      const a = analyze(cps, this.style.v3);
      if (ctx.key && a.multiline) style = 'double';
      if (style === 'plain') {
        if ((this.flowLevel > 0 && !a.flowPlain) || (this.flowLevel === 0 && !a.blockPlain)) style = 'single';
        if (cps.length === 0 && (this.flowLevel > 0 || ctx.key)) style = 'single';
      }
      if (style === 'single' && !a.single) style = 'double';
      if (style === 'literal' && (!a.block || this.flowLevel > 0 || ctx.key)) style = 'double';
    }
    this.increaseIndent(true, false);
    const allowBreaks = !ctx.key;
    switch (style) {
      case 'plain': this.writePlain(cps, allowBreaks, text); break;
      case 'single': this.writeSingle(cps, allowBreaks); break;
      case 'double': this.writeDouble(cps, allowBreaks); break;
      case 'literal': this.writeLiteral(cps); break;
      default: break;
    }
    this.popIndent();
  }

  private writePlain(cps: number[], allowBreaks: boolean, text?: string): void {
    if (!this.whitespace && (cps.length > 0 || !this.style.v3)) this.put(' ');
    if (text !== undefined && (!allowBreaks || this.column + cps.length <= this.style.width + 1)) {
      // Nothing can fold: no space is reached past the width.
      this.out += text;
      this.column += cps.length;
      if (cps.length > 0 || !this.style.v3) this.whitespace = false;
      this.indention = false;
      return;
    }
    let spaces = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i] as number;
      if (isSpaceCp(c)) {
        if (allowBreaks && !spaces && this.column > this.style.width && !isSpaceCp(cps[i + 1])) this.writeIndent();
        else this.writeCp(c);
        spaces = true;
      } else {
        this.writeCp(c);
        this.indention = false;
        spaces = false;
      }
    }
    if (cps.length > 0 || !this.style.v3) this.whitespace = false;
    this.indention = false;
  }

  private writeSingle(cps: number[], allowBreaks: boolean): void {
    this.writeIndicator('\'', true, false, false);
    let spaces = false;
    const n = cps.length;
    for (let i = 0; i < n; i++) {
      const c = cps[i] as number;
      if (isSpaceCp(c)) {
        if (allowBreaks && !spaces && this.column > this.style.width && i > 0 && i < n - 1 && !isSpaceCp(cps[i + 1])) this.writeIndent();
        else this.writeCp(c);
        spaces = true;
      } else {
        if (c === 0x27) this.put('\'');
        this.writeCp(c);
        this.indention = false;
        spaces = false;
      }
    }
    this.writeIndicator('\'', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDouble(cps: number[], allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    let spaces = false;
    const n = cps.length;
    for (let i = 0; i < n; i++) {
      const c = cps[i] as number;
      if (!isPrintable(c) || c === 0xfeff || isBreakCp(c) || c === 0x22 || c === 0x5c) {
        this.put('\\');
        const simple: Record<number, string> = {
          0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e',
          0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
        };
        const e = simple[c];
        if (e !== undefined) this.put(e);
        else {
          const [p, w] = c <= 0xff ? ['x', 2] : c <= 0xffff ? ['u', 4] : ['U', 8];
          this.put(p as string);
          for (const d of c.toString(16).toUpperCase().padStart(w as number, '0')) this.put(d);
        }
        spaces = false;
      } else if (isSpaceCp(c)) {
        if (allowBreaks && !spaces && this.column > this.style.width && i > 0 && i < n - 1) {
          this.writeIndent();
          if (isSpaceCp(cps[i + 1])) this.put('\\');
        } else this.writeCp(c);
        spaces = true;
      } else {
        this.writeCp(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(cps: number[]): void {
    this.writeIndicator('|', true, false, false);
    if (isSpaceCp(cps[0]) || isBreakCp(cps[0])) this.writeIndicator('2', false, false, false);
    let chomp = '';
    const n = cps.length;
    if (n === 0 || !isBreakCp(cps[n - 1])) chomp = '-';
    else if (n === 1) chomp = '+';
    else if (isBreakCp(cps[n - 2])) chomp = '+';
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of cps) {
      if (isBreakCp(c)) {
        if (c === 0x0a) this.putBreak();
        else {
          this.writeCp(c);
          this.column = 0;
        }
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) {
          this.writeIndent();
          breaks = false;
        }
        this.writeCp(c);
        this.indention = false;
      }
    }
  }
}

/** How go-yaml prints a float64 (strconv 'g', shortest). */
function yamlFloat(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  return formatFloatG(f);
}

/** go-yaml v2's order of map keys: letters after other characters, digit runs by value. */
export function v2KeyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  const isLetter = (c: string): boolean => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined): boolean => c !== undefined && /\p{Nd}/u.test(c);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const x = ar[i] as string;
    const y = br[i] as string;
    if (x === y) continue;
    const al = isLetter(x);
    const bl = isLetter(y);
    if (al && bl) return (x.codePointAt(0) ?? 0) < (y.codePointAt(0) ?? 0);
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (x === '0' || y === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + ((ar[ai] as string).codePointAt(0)! - 48);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + ((br[bi] as string).codePointAt(0)! - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return (x.codePointAt(0) ?? 0) < (y.codePointAt(0) ?? 0);
  }
  return ar.length < br.length;
}

/** The JSON value as go-yaml v2 reads it back (sigs.k8s.io/yaml's JSON-to-YAML step). */
function jsonToYamlModel(v: JValue): JValue {
  if (v instanceof JFloat) {
    const f = v.v;
    if (Number.isInteger(f)) {
      if (Math.abs(f) < 2 ** 63 || (f >= 0 && f < 2 ** 64)) return new JInt(BigInt(f));
    }
    return v;
  }
  if (Array.isArray(v)) return v.map(jsonToYamlModel);
  if (v instanceof JMap) {
    const entries = v.entries.map(([k, x]): [string, JValue] => [k, jsonToYamlModel(x)]);
    const dedup = new Map(entries);
    const keys = [...dedup.keys()].sort((p, q) => (v2KeyLess(p, q) ? -1 : v2KeyLess(q, p) ? 1 : 0));
    return new JMap(keys.map((k) => [k, dedup.get(k) as JValue]));
  }
  return v;
}

function sortForV3(v: JValue): JValue {
  if (Array.isArray(v)) return v.map(sortForV3);
  if (v instanceof JMap) {
    const keys = v.entries.map(([k]) => k).sort((p, q) => (v2KeyLess(p, q) ? -1 : v2KeyLess(q, p) ? 1 : 0));
    const m = new Map(v.entries);
    return new JMap(keys.map((k) => [k, sortForV3(m.get(k) as JValue)]));
  }
  return v;
}

function emitYaml(v: JValue, style: YamlStyle): string {
  const e = new Emitter(style);
  e.emitNode(v, { root: true, seq: false, map: false, key: false });
  e.indent = -1;
  e.writeIndent();
  return e.out;
}

/** Helm's toYaml: "" on error, without the final newline. */
export function toYaml(v: unknown): string {
  try {
    const out = emitYaml(jsonToYamlModel(toJsonValue(v)), { v3: false, width: 80 });
    return out.endsWith('\n') ? out.slice(0, -1) : out;
  } catch (e) {
    if (e instanceof EncodeError) return '';
    throw e;
  }
}

/** Helm's toYamlPretty (go-yaml v3, indent 2). */
export function toYamlPretty(v: unknown): string {
  try {
    const out = emitYaml(sortForV3(toJsonValue(v)), { v3: true, width: Number.MAX_SAFE_INTEGER });
    return out.endsWith('\n') ? out.slice(0, -1) : out;
  } catch (e) {
    if (e instanceof EncodeError) return '';
    throw e;
  }
}

// ---- decoding ----

/** Plain JS data (from the yaml package or JSON.parse) as template values: numbers are float64. */
function importDecoded(v: unknown, depth = 0): unknown {
  if (depth > 1000) throw new EncodeError('document nested too deeply');
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map((x) => importDecoded(x, depth + 1));
  if (v instanceof Map) {
    const out = newMap();
    for (const [k, x] of v) mapSet(out, String(k), importDecoded(x, depth + 1));
    return out;
  }
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Uint8Array) return base64(v);
  if (typeof v === 'object') {
    const out = newMap();
    for (const k of Object.keys(v)) mapSet(out, k, importDecoded((v as Record<string, unknown>)[k], depth + 1));
    return out;
  }
  return v;
}

const DROPPED_TAGS = /timestamp|binary|omap|pairs|set$/;

function parseYamlFirst(text: string): unknown {
  const docs = parseAllDocuments(text, {
    version: '1.1',
    merge: true,
    uniqueKeys: false,
    prettyErrors: false,
    customTags: (tags) => tags.filter((t) => {
      if (typeof t === 'string') return !DROPPED_TAGS.test(t);
      return !DROPPED_TAGS.test(t.tag) && (t as { format?: string }).format !== 'TIME';
    }),
  });
  const list = Array.isArray(docs) ? docs : [docs];
  const doc = list[0];
  if (!doc) return null;
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0]?.line;
    throw new EncodeError(`error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${err.message.split('\n')[0]}`);
  }
  return importDecoded(doc.toJS({ maxAliasCount: 100 }));
}

function kindForUnmarshal(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'object';
}

/** Helm's fromYaml: a map, or {"Error": message}. */
export function fromYaml(text: string): Record<string, unknown> {
  try {
    const v = parseYamlFirst(text);
    if (v === null) return newMap();
    if (isPlainMap(v)) return v;
    return { Error: `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kindForUnmarshal(v)} into Go value of type map[string]interface {}` };
  } catch (e) {
    return { Error: e instanceof Error ? e.message : String(e) };
  }
}

/** Helm's fromYamlArray: a list, or [message]. */
export function fromYamlArray(text: string): unknown[] {
  try {
    const v = parseYamlFirst(text);
    if (v === null) return [];
    if (Array.isArray(v)) return v;
    return [`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kindForUnmarshal(v)} into Go value of type []interface {}`];
  } catch (e) {
    return [e instanceof Error ? e.message : String(e)];
  }
}

function jsonErrorMessage(text: string, e: unknown): string {
  if (text.trim() === '') return 'unexpected end of JSON input';
  const m = e instanceof Error ? e.message : String(e);
  if (/Unexpected end/i.test(m)) return 'unexpected end of JSON input';
  const tok = /Unexpected token '?(.)'?/.exec(m);
  return tok ? `invalid character '${tok[1]}' looking for beginning of value` : m;
}

/** Decodes JSON into template values; throws with Go's messages. */
export function decodeJson(text: string): unknown {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new EncodeError(jsonErrorMessage(text, e));
  }
  return importDecoded(v);
}

/** Helm's fromJson. */
export function fromJson(text: string): Record<string, unknown> {
  try {
    const v = decodeJson(text);
    if (v === null) return newMap();
    if (isPlainMap(v)) return v;
    return { Error: `json: cannot unmarshal ${kindForUnmarshal(v)} into Go value of type map[string]interface {}` };
  } catch (e) {
    return { Error: e instanceof Error ? e.message : String(e) };
  }
}

/** Helm's fromJsonArray. */
export function fromJsonArray(text: string): unknown[] {
  try {
    const v = decodeJson(text);
    if (v === null) return [];
    if (Array.isArray(v)) return v;
    return [`json: cannot unmarshal ${kindForUnmarshal(v)} into Go value of type []interface {}`];
  } catch (e) {
    return [e instanceof Error ? e.message : String(e)];
  }
}

// ---- TOML (BurntSushi/toml's encoder, the common cases) ----

function tomlKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : jsonString(k, false);
}

function tomlScalar(v: JValue): string {
  if (v === null) throw new EncodeError('toml: cannot encode a nil value');
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return jsonString(v, false);
  if (v instanceof JInt) return v.v.toString();
  if (v instanceof JFloat) {
    if (Number.isInteger(v.v)) return `${v.v}.0`;
    return String(v.v);
  }
  if (Array.isArray(v)) return `[${v.map(tomlScalar).join(', ')}]`;
  return `{${v.entries.map(([k, x]) => `${tomlKey(k)} = ${tomlScalar(x)}`).join(', ')}}`;
}

function isTable(v: JValue): v is JMap {
  return v instanceof JMap;
}

function isTableArray(v: JValue): v is JMap[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => x instanceof JMap);
}

/** Helm's toToml: the error text on failure. */
export function toToml(v: unknown): string {
  try {
    const root = toJsonValue(v);
    if (!(root instanceof JMap)) throw new EncodeError('toml: top-level values must be Go maps or structs');
    let out = '';
    const writeTable = (m: JMap, path: string[]): void => {
      const indent = '  '.repeat(path.length);
      const simple = m.entries.filter(([, x]) => x !== null && !isTable(x) && !isTableArray(x));
      for (const [k, x] of simple) out += `${indent}${tomlKey(k)} = ${tomlScalar(x)}\n`;
      for (const [k, x] of m.entries) {
        const p = [...path, tomlKey(k)];
        const headerIndent = '  '.repeat(path.length);
        if (isTable(x)) {
          out += `${out ? '\n' : ''}${headerIndent}[${p.join('.')}]\n`;
          writeTable(x, p);
        } else if (isTableArray(x)) {
          for (const t of x) {
            out += `${out ? '\n' : ''}${headerIndent}[[${p.join('.')}]]\n`;
            writeTable(t, p);
          }
        }
      }
    };
    writeTable(root, []);
    return out;
  } catch (e) {
    if (e instanceof EncodeError) return e.message;
    throw e;
  }
}

/**
 * Reads a YAML document the way Helm reads values files (sigs.k8s.io/yaml: YAML 1.1 booleans
 * such as yes/no/on/off, merge keys, numbers as float64, timestamps kept as strings). Throws on
 * a syntax error. For the chart loader, so that .Values match what Helm would see.
 */
export function parseHelmYaml(text: string): unknown {
  return parseYamlFirst(text);
}
