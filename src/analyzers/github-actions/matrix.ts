/**
 * `strategy.matrix` -> its job combinations, as GitHub expands them: the product of the lists, less
 * `exclude` (an entry removes the combinations it matches on all its keys), plus `include` (an
 * entry is added to every combination it does not overwrite an original value of, else it becomes
 * a combination of its own). Lists may come from `fromJSON` of a literal (or of a literal `env`
 * value); a matrix computed at run time (`fromJSON(needs.x.outputs.m)`) is unknown, with why.
 * https://docs.github.com/en/actions/how-tos/write-workflows/choose-what-workflows-do/run-job-variations
 */
import type { ExprValue, Lookup } from './expressions.js';
import { interpolate, UNKNOWN } from './expressions.js';

export type Combination = Record<string, unknown>;

export type MatrixResult = { ok: true; combinations: Combination[]; tooMany?: number } | { ok: false; reason: string };

/** GitHub runs at most 256 jobs of one matrix. */
export const MATRIX_MAX = 256;
/** Combinations mlcost writes out; a larger product is counted without its include/exclude. */
const ENUMERATE_MAX = 4096;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A `${{ fromJSON(...) }}` (or any expression) string, resolved; UNKNOWN with the expression when it cannot be. */
function resolve(v: unknown, lookup: Lookup): { value: unknown } | { unknown: string } {
  if (typeof v !== 'string' || !v.includes('${{')) return { value: v };
  const r = interpolate(v, lookup);
  if (r === UNKNOWN) return { unknown: v.replace(/\s+/g, ' ').trim() };
  return { value: r as Exclude<ExprValue, typeof UNKNOWN> };
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function matches(combo: Combination, partial: Record<string, unknown>): boolean {
  return Object.entries(partial).every(([k, v]) => k in combo && (isObj(v) && isObj(combo[k]) ? matches(combo[k] as Combination, v) : sameValue(combo[k], v)));
}

function why(expr: string): string {
  return /needs\.|steps\.|github\.event|inputs\.|vars\./.test(expr)
    ? `matrix from ${expr}, which is computed when the workflow runs`
    : `matrix from ${expr}, which mlcost cannot evaluate`;
}

/** Combinations of a `strategy.matrix` value (undefined: no matrix, one job). */
export function expandMatrix(matrix: unknown, lookup: Lookup): MatrixResult {
  if (matrix === undefined || matrix === null) return { ok: true, combinations: [{}] };
  const top = resolve(matrix, lookup);
  if ('unknown' in top) return { ok: false, reason: why(top.unknown) };
  if (!isObj(top.value)) return { ok: false, reason: 'strategy.matrix is not a mapping' };
  const keys: [string, unknown[]][] = [];
  let include: unknown[] = [];
  let exclude: unknown[] = [];
  for (const [k, raw] of Object.entries(top.value)) {
    const r = resolve(raw, lookup);
    if ('unknown' in r) return { ok: false, reason: why(r.unknown) };
    const v = r.value;
    if (k === 'include' || k === 'exclude') {
      if (!Array.isArray(v)) return { ok: false, reason: `matrix ${k} is not a list` };
      const items: unknown[] = [];
      for (const item of v) {
        const ri = resolve(item, lookup);
        if ('unknown' in ri) return { ok: false, reason: why(ri.unknown) };
        items.push(ri.value);
      }
      if (k === 'include') include = items;
      else exclude = items;
      continue;
    }
    if (!Array.isArray(v)) return { ok: false, reason: `matrix key ${k} is not a list` };
    keys.push([k, v]);
  }
  const product = keys.reduce((n, [, v]) => n * v.length, 1);
  if (product > ENUMERATE_MAX) return { ok: true, combinations: [], tooMany: product };
  let combos: Combination[] = keys.length ? [{}] : [];
  for (const [k, values] of keys) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [k]: v })));
  combos = combos.filter((c) => !exclude.some((e) => isObj(e) && matches(c, e)));
  const original = combos.map((c) => new Set(Object.keys(c)));
  const added: Combination[] = [];
  for (const inc of include) {
    if (!isObj(inc)) continue;
    let merged = false;
    combos.forEach((c, i) => {
      const own = original[i] as Set<string>;
      // An include entry joins a combination when it changes none of its original matrix values.
      if (Object.entries(inc).every(([k, v]) => !own.has(k) || sameValue(c[k], v))) {
        combos[i] = { ...c, ...inc };
        merged = true;
      }
    });
    if (!merged) added.push({ ...inc });
  }
  return { ok: true, combinations: [...combos, ...added] };
}
