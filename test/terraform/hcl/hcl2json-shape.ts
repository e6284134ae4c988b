/**
 * Differential-test helpers: renders our AST in the shape HashiCorp's hcl2json produces, so the
 * two can be compared. Literal values are rendered as values; anything else becomes a marker
 * that only requires hcl2json to have produced a string (it renders expressions as "${...}").
 */

import type { Body, Expr, TemplateExpr } from '../../../src/analyzers/terraform/hcl/ast.js';

/** An expression hcl2json renders as a `${...}` (or template) string. */
export const EXPR = Symbol('expr');

/** An object whose keys are not all literal: only its size can be compared. */
export class LooseObject {
  constructor(readonly size: number) {}
}

export interface ShapeStats {
  attributes: number;
  literals: number;
  expressions: number;
  blocks: number;
}

export function newStats(): ShapeStats {
  return { attributes: 0, literals: 0, expressions: 0, blocks: 0 };
}

function literalString(t: TemplateExpr): string | null {
  let out = '';
  for (const part of t.parts) {
    if (part.kind !== 'literal') return null;
    out += part.value;
  }
  return out;
}

/**
 * How hcl2json writes a template that is not a plain string: literal text (with `${` escaped
 * again) and `${source}` for each interpolation. Templates with directives return null.
 */
function renderTemplate(t: TemplateExpr, src: string): string | null {
  let out = '';
  for (const part of t.parts) {
    if (part.kind === 'literal') out += part.value.replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
    else if (part.kind !== 'interp') return null;
    else {
      // hcl2json folds an interpolated constant into the text.
      const e = part.expr;
      const inner = e.type === 'template' ? renderTemplate(e, src) : e.type === 'literal' ? String(e.value) : null;
      if (inner !== null && !/[$%]\{/.test(inner)) out += inner;
      else out += '${' + src.slice(part.expr.range.start.offset, part.expr.range.end.offset).trim() + '}';
    }
  }
  return out;
}

/**
 * With `src`, expressions are rendered the way hcl2json writes them (`${` + their source text +
 * `}`), which also checks our source ranges; without it they are only checked to be strings.
 */
export function exprToShape(e: Expr, stats: ShapeStats, src?: string): unknown {
  const expression = (): unknown => {
    stats.expressions++;
    if (src === undefined) return EXPR;
    if (e.type === 'template') return renderTemplate(e, src) ?? EXPR;
    return '${' + src.slice(e.range.start.offset, e.range.end.offset) + '}';
  };
  switch (e.type) {
    case 'literal':
      stats.literals++;
      return e.value;
    case 'unary':
      // hcl2json folds an operator applied directly to a literal.
      if (e.operand.type === 'literal') {
        const v = e.operand.value;
        if (e.op === '-' && typeof v === 'number') {
          stats.literals++;
          return -v;
        }
        if (e.op === '!' && typeof v === 'boolean') {
          stats.literals++;
          return !v;
        }
      }
      return expression();
    case 'template': {
      // A string that is exactly one interpolation stands for the interpolated value.
      const only = e.parts.length === 1 ? e.parts[0] : undefined;
      if (only !== undefined && only.kind === 'interp' && !e.heredoc) return exprToShape(only.expr, stats, src);
      const s = literalString(e);
      if (s === null) return expression();
      stats.literals++;
      return s;
    }
    case 'tuple':
      return e.items.map((item) => exprToShape(item, stats, src));
    case 'object': {
      const out: Record<string, unknown> = {};
      let loose = false;
      for (const item of e.items) {
        const key = item.key.type === 'template' ? literalString(item.key) : null;
        const value = exprToShape(item.value, stats, src);
        if (key === null) loose = true;
        else out[key] = value;
      }
      return loose ? new LooseObject(e.items.length) : out;
    }
    default:
      return expression();
  }
}

export function bodyToShape(body: Body, stats: ShapeStats, src?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of body.attributes) {
    stats.attributes++;
    out[a.name] = exprToShape(a.expr, stats, src);
  }
  for (const b of body.blocks) {
    stats.blocks++;
    let holder: Record<string, unknown> = out;
    let key = b.type;
    for (const label of b.labels) {
      const next = (holder[key] ??= {}) as Record<string, unknown>;
      holder = next;
      key = label;
    }
    const list = (holder[key] ??= []) as unknown[];
    list.push(bodyToShape(b.body, stats, src));
  }
  return out;
}

/** hcl2json writes a literal `${` / `%{` back in its escaped form. */
function unescapeTheirs(s: string): string {
  return s.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

function show(v: unknown): string {
  if (v === EXPR) return '<expression>';
  if (v instanceof LooseObject) return `<object with ${v.size} items, non-literal keys>`;
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 200 ? s.slice(0, 200) + '...' : s;
}

/** Appends one line per difference: `path: ours=... hcl2json=...`. */
export function compareShape(ours: unknown, theirs: unknown, path: string, out: string[]): void {
  const diff = (why: string): void => {
    out.push(`${path}: ${why}; ours=${show(ours)} hcl2json=${show(theirs)}`);
  };
  if (ours === EXPR) {
    if (typeof theirs !== 'string') diff('expression expected to be rendered as a string');
    return;
  }
  if (ours instanceof LooseObject) {
    if (typeof theirs !== 'object' || theirs === null || Array.isArray(theirs)) diff('object expected');
    return;
  }
  if (Array.isArray(ours)) {
    if (!Array.isArray(theirs)) return diff('array expected');
    if (ours.length !== theirs.length) return diff(`length ${ours.length} vs ${theirs.length}`);
    ours.forEach((v, i) => compareShape(v, theirs[i], `${path}[${i}]`, out));
    return;
  }
  if (typeof ours === 'object' && ours !== null) {
    if (typeof theirs !== 'object' || theirs === null || Array.isArray(theirs)) return diff('object expected');
    const a = Object.keys(ours).sort();
    const b = Object.keys(theirs).sort();
    if (a.join('\u0000') !== b.join('\u0000')) {
      const missing = b.filter((k) => !a.includes(k));
      const extra = a.filter((k) => !b.includes(k));
      return diff(`keys differ (only hcl2json: ${JSON.stringify(missing)}, only ours: ${JSON.stringify(extra)})`);
    }
    const o = ours as Record<string, unknown>;
    const t = theirs as Record<string, unknown>;
    for (const k of a) compareShape(o[k], t[k], `${path}.${k}`, out);
    return;
  }
  if (typeof ours === 'string' && typeof theirs === 'string') {
    if (ours !== theirs && ours !== unescapeTheirs(theirs)) diff('string differs');
    return;
  }
  if (!Object.is(ours, theirs)) diff('value differs');
}
