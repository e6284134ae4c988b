/**
 * Variable type constraints, as far as they change values: `optional(type, default)` attributes
 * of `object(...)` types get their defaults, through `map`, `list`, `set` and `tuple` nesting.
 * Other conversions are left to the places that read the values (they convert leniently).
 */
import type { Value } from '../../core/types.js';
import { isUnknown } from '../../core/types.js';
import type { Expr } from './hcl/ast.js';
import { evaluate, isObject } from './evaluate.js';

const noScope = { root: () => undefined, warn: () => undefined };

function keyName(e: Expr): string | undefined {
  if (e.type === 'template' && e.parts.length === 1 && e.parts[0]?.kind === 'literal') return e.parts[0].value;
  if (e.type === 'variable') return e.name;
  return undefined;
}

export function applyTypeDefaults(type: Expr, value: Value): Value {
  if (value === null || isUnknown(value) || type.type !== 'call') return value;
  const [arg] = type.args;
  switch (type.name) {
    case 'object': {
      if (!isObject(value) || arg?.type !== 'object') return value;
      const out: Record<string, Value> = { ...value };
      for (const item of arg.items) {
        const name = keyName(item.key);
        if (!name) continue;
        let attrType = item.value;
        let fallback: Value | undefined;
        if (attrType.type === 'call' && attrType.name === 'optional') {
          const [inner, def] = attrType.args;
          fallback = def ? evaluate(def, noScope) : null;
          attrType = inner ?? attrType;
        }
        if (out[name] === undefined || out[name] === null) {
          if (fallback !== undefined) out[name] = applyTypeDefaults(attrType, fallback);
        } else out[name] = applyTypeDefaults(attrType, out[name] as Value);
      }
      return out;
    }
    case 'map':
      if (!isObject(value) || !arg) return value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, applyTypeDefaults(arg, v)]));
    case 'list':
    case 'set':
      if (!Array.isArray(value) || !arg) return value;
      return value.map((v) => applyTypeDefaults(arg, v));
    case 'tuple':
      if (!Array.isArray(value) || arg?.type !== 'tuple') return value;
      return value.map((v, i) => (arg.items[i] ? applyTypeDefaults(arg.items[i], v) : v));
    default:
      return value;
  }
}
