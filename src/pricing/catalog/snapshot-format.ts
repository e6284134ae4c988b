/**
 * The text form of a price snapshot, shared by the catalog build (scripts/build-price-catalog.ts)
 * and `mlcost prices update`: sorted keys; short containers of primitives on one line, other
 * containers one member per line without indentation (keeps the file small and its diffs
 * readable). Deterministic: the same snapshot always gives the same bytes. Pure.
 */
import type { Snapshot } from './price-book.js';

type Dict = Record<string, unknown>;

function sortedEntries<T>(obj: Record<string, T>): [string, T][] {
  return Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function isPrimitive(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

function isFlat(v: unknown): boolean {
  if (isPrimitive(v)) return true;
  if (Array.isArray(v)) return v.every((x) => isPrimitive(x) || (Array.isArray(x) && x.every(isPrimitive)));
  return Object.values(v as Dict).every((x) => isPrimitive(x) || (Array.isArray(x) && x.every(isPrimitive)));
}

const INLINE_MAX_MEMBERS = 16;
const INLINE_MAX_CHARS = 240;

function write(v: unknown, out: string[]): void {
  if (isPrimitive(v)) {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error('non-finite number in snapshot');
    out.push(JSON.stringify(v));
    return;
  }
  if (Array.isArray(v)) {
    if (isFlat(v)) {
      const inline = JSON.stringify(v);
      if (v.length <= INLINE_MAX_MEMBERS && inline.length <= INLINE_MAX_CHARS) {
        out.push(inline);
        return;
      }
    }
    out.push('[\n');
    v.forEach((x, i) => {
      write(x, out);
      out.push(i < v.length - 1 ? ',\n' : '\n');
    });
    out.push(']');
    return;
  }
  const entries = sortedEntries(v as Dict).filter(([, x]) => x !== undefined);
  if (isFlat(v) && entries.length <= INLINE_MAX_MEMBERS) {
    const inline = `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`).join(',')}}`;
    if (inline.length <= INLINE_MAX_CHARS) {
      out.push(inline);
      return;
    }
  }
  out.push('{\n');
  entries.forEach(([k, x], i) => {
    out.push(`${JSON.stringify(k)}:`);
    write(x, out);
    out.push(i < entries.length - 1 ? ',\n' : '\n');
  });
  out.push('}');
}

export function serializeSnapshot(snapshot: Snapshot): string {
  const out: string[] = [];
  write(snapshot, out);
  out.push('\n');
  return out.join('');
}
