/** Read-only accessors that let pricers read evaluated attributes without type noise. */
import type { Resource, Value } from '../core/types.js';
import { isUnknown } from '../core/types.js';
import type { ResourceView } from './types.js';

function walk(root: Record<string, Value>, path: string): Value | undefined {
  let cur: Value | undefined = root;
  for (const seg of path.split('.')) {
    if (cur === undefined || cur === null || isUnknown(cur)) return cur;
    if (Array.isArray(cur)) cur = /^\d+$/.test(seg) ? cur[Number(seg)] : undefined;
    else if (typeof cur === 'object') cur = Object.prototype.hasOwnProperty.call(cur, seg) ? (cur as Record<string, Value>)[seg] : undefined;
    else return undefined;
  }
  return cur;
}

export function viewOf(resource: Resource, attrs: Record<string, Value> = resource.attributes, prefix = ''): ResourceView {
  const lines = resource.attributeLines ?? {};
  const view: ResourceView = {
    resource,
    address: resource.address,
    region: resource.region,
    get: (path) => walk(attrs, path),
    str(path) {
      const v = walk(attrs, path);
      if (typeof v === 'string') return v;
      if (typeof v === 'number') return String(v);
      return undefined;
    },
    num(path: string, fallback?: number) {
      const v = walk(attrs, path);
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
      return fallback as number;
    },
    bool(path) {
      const v = walk(attrs, path);
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      return undefined;
    },
    list(path) {
      const v = walk(attrs, path);
      const items = Array.isArray(v) ? v : v && typeof v === 'object' && !isUnknown(v) ? [v] : [];
      return items
        .map((item, i) => ({ item, i }))
        .filter(({ item }) => item !== null && typeof item === 'object' && !Array.isArray(item) && !isUnknown(item))
        .map(({ item, i }) => viewOf(resource, item as Record<string, Value>, `${prefix}${path}.${i}.`));
    },
    line: (path) => (path && lines[prefix + path]) || (prefix && lines[prefix.replace(/\.$/, '')]) || resource.line,
    why(path) {
      const v = walk(attrs, path);
      if (v === undefined || v === null) return `${path} is not set`;
      if (isUnknown(v)) return `${path} is unknown: ${v.reason}`;
      return `${path} has an unexpected value (${Array.isArray(v) ? 'list' : typeof v})`;
    },
  };
  return view;
}
