/**
 * Static evaluation of HCL expressions the way Terraform evaluates them, over plain values.
 * Anything that cannot be known before apply (data sources, computed attributes, missing
 * variables) evaluates to an Unknown that carries its reason and propagates through operators.
 * Evaluation errors (type errors, unknown functions) are thrown as EvalError and turned into an
 * Unknown plus a reported error by the caller, so one bad expression never stops the analysis.
 */
import type { Value } from '../../core/types.js';
import { isUnknown, unknown } from '../../core/types.js';
import type { Expr, Range, TemplatePart } from './hcl/ast.js';
import { callFunction } from './functions.js';

export class EvalError extends Error {
  constructor(
    message: string,
    readonly range?: Range,
  ) {
    super(message);
  }
}

/** Resolves root names (`var`, `local`, `aws_instance`, `each`, for-variables, ...). */
export interface Scope {
  /** Returns undefined when the name is not defined at all. */
  root(name: string, range: Range): Value | undefined;
  /** Called for `a.b` on a root that wants to resolve lazily (resource types, `var`, `local`). */
  traverse?(path: string[], range: Range): Value | undefined;
  /** Warnings noticed while evaluating (unknown function, ...), reported with their position. */
  warn(message: string, range: Range): void;
}

export function childScope(parent: Scope, vars: Record<string, Value>): Scope {
  return {
    root: (name, range) => (Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : parent.root(name, range)),
    traverse: (path, range) =>
      path[0] !== undefined && Object.prototype.hasOwnProperty.call(vars, path[0]) ? undefined : parent.traverse?.(path, range),
    warn: (m, r) => parent.warn(m, r),
  };
}

export function typeName(v: Value): string {
  if (v === null) return 'null';
  if (isUnknown(v)) return 'unknown';
  if (Array.isArray(v)) return 'tuple';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

export function isObject(v: Value): v is { [k: string]: Value } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isUnknown(v);
}

/** Converts a value to a string as Terraform's automatic conversion does. */
export function toStr(v: Value, range?: Range): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  throw new EvalError(`cannot use a ${typeName(v)} value as a string`, range);
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  // Terraform prints decimals without exponent noise for ordinary values.
  return String(Number(n.toPrecision(15)));
}

export function toNum(v: Value, range?: Range): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  throw new EvalError(`a number is required, got ${typeName(v) === 'string' ? JSON.stringify(v) : typeName(v)}`, range);
}

export function toBool(v: Value, range?: Range): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new EvalError(`a bool is required, got ${typeName(v)}`, range);
}

/** The first Unknown among values, if any. */
export function firstUnknown(values: Value[]): Value | undefined {
  for (const v of values) if (isUnknown(v)) return v;
  return undefined;
}

/** Deep check: does the value contain an Unknown anywhere? */
export function containsUnknown(v: Value): boolean {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (isObject(v)) return Object.values(v).some(containsUnknown);
  return false;
}

export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => valuesEqual(x, b[i] as Value));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && valuesEqual(a[k] as Value, b[k] as Value));
  }
  return false;
}

export interface EvalOptions {
  /** Guards against runaway recursion in pathological expressions. */
  maxDepth?: number;
}

export function evaluate(expr: Expr, scope: Scope, depth = 0): Value {
  if (depth > 200) throw new EvalError('expression nested too deeply to evaluate', expr.range);
  const ev = (e: Expr, s: Scope = scope) => evaluate(e, s, depth + 1);
  switch (expr.type) {
    case 'literal':
      return expr.value;
    case 'template':
      return evalTemplate(expr.parts, scope, depth, expr.range);
    case 'tuple':
      return expr.items.map((e) => ev(e));
    case 'object': {
      const out: Record<string, Value> = {};
      for (const item of expr.items) {
        const key = ev(item.key);
        if (isUnknown(key)) return key;
        out[toStr(key, item.key.range)] = ev(item.value);
      }
      return out;
    }
    case 'paren':
      return ev(expr.expr);
    case 'variable': {
      const v = scope.root(expr.name, expr.range);
      if (v === undefined) throw new EvalError(`unknown name "${expr.name}"`, expr.range);
      return v;
    }
    case 'getattr':
    case 'index': {
      const path = traversalPath(expr);
      if (path && scope.traverse) {
        const resolved = scope.traverse(path, expr.range);
        if (resolved !== undefined) return resolved;
      }
      const target = ev(expr.target);
      if (expr.type === 'getattr') return getAttr(target, expr.name, expr.range);
      return index(target, ev(expr.key), expr.range);
    }
    case 'splat': {
      const target = ev(expr.target);
      if (isUnknown(target)) return target;
      if (target === null) return [];
      const items = Array.isArray(target) ? target : isObject(target) && !expr.full ? [target] : [target];
      return items.map((item) => evaluate(expr.each, anchorScope(scope, item), depth + 1));
    }
    case 'splat-anchor': {
      const v = scope.root('\0splat', expr.range);
      if (v === undefined) throw new EvalError('splat element used outside a splat', expr.range);
      return v;
    }
    case 'call':
      return callFunction(expr, scope, (e, s) => evaluate(e, s ?? scope, depth + 1));
    case 'unary': {
      const v = ev(expr.operand);
      if (isUnknown(v)) return v;
      return expr.op === '-' ? -toNum(v, expr.range) : !toBool(v, expr.range);
    }
    case 'binary':
      return evalBinary(expr.op, expr.left, expr.right, scope, depth, expr.range);
    case 'conditional': {
      const c = ev(expr.cond);
      if (isUnknown(c)) return unknown(`condition is unknown (${c.reason})`);
      return toBool(c, expr.cond.range) ? ev(expr.then) : ev(expr.else);
    }
    case 'for':
      return evalFor(expr, scope, depth);
    case 'invalid':
      throw new EvalError('invalid expression (syntax error)', expr.range);
  }
}

function anchorScope(scope: Scope, item: Value): Scope {
  return childScope(scope, { '\0splat': item });
}

/** `var.x.y` -> ['var','x','y'] when the traversal is only names and literal keys. */
function traversalPath(expr: Expr): string[] | null {
  const out: string[] = [];
  let e: Expr = expr;
  for (;;) {
    if (e.type === 'getattr') {
      out.push(e.name);
      e = e.target;
    } else if (e.type === 'index') {
      const k = e.key;
      if (k.type === 'literal' && typeof k.value === 'number') out.push(`[${k.value}]`);
      else if (k.type === 'template' && k.parts.length === 1 && k.parts[0]?.kind === 'literal') out.push(`[${JSON.stringify(k.parts[0].value)}]`);
      else return null;
      e = e.target;
    } else if (e.type === 'variable') {
      out.push(e.name);
      return out.reverse();
    } else return null;
  }
}

/**
 * Objects standing for resource instances: an attribute they do not set is computed by the
 * provider at apply time, so reading it yields Unknown instead of an error.
 */
const openObjects = new WeakMap<object, string>();

export function markOpen<T extends object>(value: T, address: string): T {
  openObjects.set(value, address);
  return value;
}

export function getAttr(target: Value, name: string, range?: Range): Value {
  if (isUnknown(target)) return target;
  if (isObject(target)) {
    if (Object.prototype.hasOwnProperty.call(target, name)) return target[name] as Value;
    const open = openObjects.get(target);
    if (open !== undefined) return unknown(`${open}.${name} is known only after apply`);
    throw new EvalError(`object has no attribute "${name}"`, range);
  }
  if (Array.isArray(target) && /^\d+$/.test(name)) return index(target, Number(name), range);
  if (target === null) throw new EvalError(`attempt to get attribute "${name}" from a null value`, range);
  throw new EvalError(`cannot get attribute "${name}" from a ${typeName(target)}`, range);
}

export function index(target: Value, key: Value, range?: Range): Value {
  if (isUnknown(target)) return target;
  if (isUnknown(key)) return unknown(`index is unknown (${key.reason})`);
  if (Array.isArray(target)) {
    const i = toNum(key, range);
    if (!Number.isInteger(i) || i < 0 || i >= target.length)
      throw new EvalError(`index ${formatNumber(i)} out of range for a list of ${target.length}`, range);
    return target[i] as Value;
  }
  if (isObject(target)) {
    const k = toStr(key, range);
    if (Object.prototype.hasOwnProperty.call(target, k)) return target[k] as Value;
    throw new EvalError(`the given key "${k}" does not identify an element in this map`, range);
  }
  if (target === null) throw new EvalError('cannot index a null value', range);
  throw new EvalError(`cannot index a ${typeName(target)}`, range);
}

function evalBinary(op: string, l: Expr, r: Expr, scope: Scope, depth: number, range: Range): Value {
  const left = evaluate(l, scope, depth + 1);
  // Terraform evaluates both sides of && and || (no short-circuit); an unknown on one side of
  // `false && x` still yields false, because the result cannot depend on x.
  const right = evaluate(r, scope, depth + 1);
  if (op === '&&' || op === '||') {
    const lb = isUnknown(left) ? left : toBool(left, l.range);
    const rb = isUnknown(right) ? right : toBool(right, r.range);
    if (op === '&&') {
      if (lb === false || rb === false) return false;
      return isUnknown(lb) ? lb : isUnknown(rb) ? rb : true;
    }
    if (lb === true || rb === true) return true;
    return isUnknown(lb) ? lb : isUnknown(rb) ? rb : false;
  }
  if (op === '==' || op === '!=') {
    if (isUnknown(left)) return left;
    if (isUnknown(right)) return right;
    const eq = valuesEqual(left, right);
    return op === '==' ? eq : !eq;
  }
  if (isUnknown(left)) return left;
  if (isUnknown(right)) return right;
  const a = toNum(left, l.range);
  const b = toNum(right, r.range);
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new EvalError('division by zero', range);
      return a / b;
    case '%':
      if (b === 0) throw new EvalError('modulo by zero', range);
      return a % b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
  throw new EvalError(`unsupported operator ${op}`, range);
}

function evalTemplate(parts: TemplatePart[], scope: Scope, depth: number, range: Range): Value {
  // A template that is a single interpolation yields the value itself, unconverted.
  if (parts.length === 1 && parts[0]?.kind === 'interp') return evaluate(parts[0].expr, scope, depth + 1);
  const out: string[] = [];
  const r = renderParts(parts, scope, depth, range, out);
  return r ?? out.join('');
}

/** Appends rendered text to `out`; returns an Unknown to abort when a part is unknown. */
function renderParts(parts: TemplatePart[], scope: Scope, depth: number, range: Range, out: string[]): Value | undefined {
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as TemplatePart;
    if (p.kind === 'literal') {
      let text = p.value;
      const next = parts[i + 1];
      const prev = parts[i - 1];
      if (next && next.kind === 'interp' && next.stripLeft) text = text.replace(/\s+$/, '');
      if (prev && prev.kind === 'interp' && prev.stripRight) text = text.replace(/^\s+/, '');
      out.push(text);
    } else if (p.kind === 'interp') {
      const v = evaluate(p.expr, scope, depth + 1);
      if (isUnknown(v)) return v;
      if (v === null) throw new EvalError('cannot include a null value in a string template', range);
      out.push(toStr(v, range));
    } else if (p.kind === 'if') {
      const c = evaluate(p.cond, scope, depth + 1);
      if (isUnknown(c)) return c;
      const branch = toBool(c, range) ? p.then : (p.else ?? []);
      const r = renderParts(branch, scope, depth + 1, range, out);
      if (r) return r;
    } else {
      const coll = evaluate(p.collection, scope, depth + 1);
      if (isUnknown(coll)) return coll;
      for (const [k, v] of entries(coll, range)) {
        const vars: Record<string, Value> = { [p.valueVar]: v };
        if (p.keyVar) vars[p.keyVar] = k;
        const r = renderParts(p.body, childScope(scope, vars), depth + 1, range, out);
        if (r) return r;
      }
    }
  }
  return undefined;
}

/** Key/value pairs of a collection: index for lists, key for maps (sorted, as Terraform does). */
export function entries(coll: Value, range?: Range): [Value, Value][] {
  if (Array.isArray(coll)) return coll.map((v, i) => [i, v]);
  if (isObject(coll)) return Object.keys(coll).sort().map((k) => [k, coll[k] as Value]);
  if (coll === null) throw new EvalError('cannot iterate over a null value', range);
  throw new EvalError(`cannot iterate over a ${typeName(coll)}`, range);
}

function evalFor(expr: Extract<Expr, { type: 'for' }>, scope: Scope, depth: number): Value {
  const coll = evaluate(expr.collection, scope, depth + 1);
  if (isUnknown(coll)) return coll;
  const pairs = entries(coll, expr.collection.range);
  const list: Value[] = [];
  const obj: Record<string, Value> = {};
  const groups: Record<string, Value[]> = {};
  for (const [k, v] of pairs) {
    const vars: Record<string, Value> = { [expr.valueVar]: v };
    if (expr.keyVar) vars[expr.keyVar] = k;
    const s = childScope(scope, vars);
    if (expr.cond) {
      const c = evaluate(expr.cond, s, depth + 1);
      if (isUnknown(c)) return c;
      if (!toBool(c, expr.cond.range)) continue;
    }
    const value = evaluate(expr.valueExpr, s, depth + 1);
    if (!expr.isObject) {
      list.push(value);
      continue;
    }
    const key = evaluate(expr.keyExpr as Expr, s, depth + 1);
    if (isUnknown(key)) return key;
    const ks = toStr(key, expr.keyExpr?.range);
    if (expr.grouping) (groups[ks] ??= []).push(value);
    else {
      if (Object.prototype.hasOwnProperty.call(obj, ks))
        throw new EvalError(`duplicate object key "${ks}" in for expression (use ... to group)`, expr.range);
      obj[ks] = value;
    }
  }
  if (!expr.isObject) return list;
  return expr.grouping ? groups : obj;
}
