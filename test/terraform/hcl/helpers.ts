import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Expr, ParseResult, Pos, Range } from '../../../src/analyzers/terraform/hcl/ast.js';
import { parseHcl } from '../../../src/analyzers/terraform/hcl/parser.js';

export const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'terraform-corpus');

export interface CorpusFile {
  /** Path relative to the corpus folder, with forward slashes. */
  name: string;
  text: string;
}

export function corpusFiles(): CorpusFile[] {
  const out: CorpusFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.tf')) {
        out.push({ name: relative(CORPUS_DIR, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
      }
    }
  };
  walk(CORPUS_DIR);
  return out;
}

/** Parses and fails the test with the error list if there is any error. */
export function parseOk(src: string): ParseResult {
  const r = parseHcl(src);
  if (r.errors.length > 0) throw new Error(`unexpected errors: ${JSON.stringify(r.errors)}`);
  return r;
}

/** The expression of the first attribute of a clean parse. */
export function exprOf(src: string): Expr {
  const a = parseOk(src).body.attributes[0];
  if (a === undefined) throw new Error('no attribute');
  return a.expr;
}

/** `expr` narrowed to one node type, failing when it is another. */
export function as<T extends Expr['type']>(e: Expr | undefined, type: T): Extract<Expr, { type: T }> {
  if (e === undefined || e.type !== type) throw new Error(`expected ${type}, got ${e === undefined ? 'nothing' : e.type}`);
  return e as Extract<Expr, { type: T }>;
}

/** `L:C-L:C` for compact position assertions. */
export function span(r: Range): string {
  return `${r.start.line}:${r.start.col}-${r.end.line}:${r.end.col}`;
}

/**
 * Returns a checker telling whether a position is consistent with the text: its offset lies
 * on its line (up to the newline) and its column matches the offset.
 */
export function positionChecker(src: string): (p: Pos) => boolean {
  const starts = [0];
  for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) starts.push(i + 1);
  return (p) => {
    const ls = starts[p.line - 1];
    if (ls === undefined || p.col < 1 || p.offset < 0 || p.offset > src.length) return false;
    const next = starts[p.line];
    const lineEnd = next === undefined ? src.length : next - 1;
    return p.offset === ls + p.col - 1 && p.offset <= lineEnd;
  };
}

/** Whether an error position names a real place in the text (a column up to one past the line end). */
export function errorPosChecker(src: string): (line: number, col: number) => boolean {
  const check = positionChecker(src);
  const starts = [0];
  for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) starts.push(i + 1);
  return (line, col) => {
    const ls = starts[line - 1];
    return ls !== undefined && check({ line, col, offset: ls + col - 1 });
  };
}

/** A rough structural reduction of an expression, for readable assertions. */
export function show(e: Expr): string {
  switch (e.type) {
    case 'literal':
      return JSON.stringify(e.value);
    case 'template':
      return e.parts.map((p) => (p.kind === 'literal' ? JSON.stringify(p.value) : p.kind === 'interp' ? `\${${show(p.expr)}}` : `%{${p.kind}}`)).join('');
    case 'tuple':
      return `[${e.items.map(show).join(', ')}]`;
    case 'object':
      return `{${e.items.map((i) => `${show(i.key)}=${show(i.value)}`).join(', ')}}`;
    case 'variable':
      return e.name;
    case 'getattr':
      return `${show(e.target)}.${e.name}`;
    case 'index':
      return `${show(e.target)}[${show(e.key)}]`;
    case 'splat':
      return `splat${e.full ? '[*]' : '.*'}(${show(e.target)} -> ${show(e.each)})`;
    case 'splat-anchor':
      return '@';
    case 'call':
      return `${e.name}(${e.args.map(show).join(', ')}${e.expandFinal ? '...' : ''})`;
    case 'unary':
      return `(${e.op}${show(e.operand)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'conditional':
      return `(${show(e.cond)} ? ${show(e.then)} : ${show(e.else)})`;
    case 'for':
      return `for(${e.keyVar ?? ''},${e.valueVar} in ${show(e.collection)}: ${e.keyExpr ? show(e.keyExpr) + ' => ' : ''}${show(e.valueExpr)}${e.grouping ? '...' : ''}${e.cond ? ' if ' + show(e.cond) : ''})`;
    case 'paren':
      return `(${show(e.expr)})`;
    case 'invalid':
      return '<invalid>';
  }
}

/** Every range in the tree, for position sanity checks. */
export function allRanges(r: ParseResult): Range[] {
  const out: Range[] = [];
  const expr = (e: Expr): void => {
    out.push(e.range);
    switch (e.type) {
      case 'template':
        for (const p of e.parts) part(p);
        break;
      case 'tuple':
        e.items.forEach(expr);
        break;
      case 'object':
        for (const i of e.items) {
          expr(i.key);
          expr(i.value);
        }
        break;
      case 'getattr':
        expr(e.target);
        break;
      case 'index':
        expr(e.target);
        expr(e.key);
        break;
      case 'splat':
        expr(e.target);
        expr(e.each);
        break;
      case 'call':
        e.args.forEach(expr);
        break;
      case 'unary':
        expr(e.operand);
        break;
      case 'binary':
        expr(e.left);
        expr(e.right);
        break;
      case 'conditional':
        expr(e.cond);
        expr(e.then);
        expr(e.else);
        break;
      case 'for':
        expr(e.collection);
        if (e.keyExpr) expr(e.keyExpr);
        expr(e.valueExpr);
        if (e.cond) expr(e.cond);
        break;
      case 'paren':
        expr(e.expr);
        break;
      default:
        break;
    }
  };
  const part = (p: import('../../../src/analyzers/terraform/hcl/ast.js').TemplatePart): void => {
    if (p.kind === 'interp') expr(p.expr);
    else if (p.kind === 'if') {
      expr(p.cond);
      p.then.forEach(part);
      p.else?.forEach(part);
    } else if (p.kind === 'for') {
      expr(p.collection);
      p.body.forEach(part);
    }
  };
  const body = (b: ParseResult['body']): void => {
    out.push(b.range);
    for (const a of b.attributes) {
      out.push(a.range, a.nameRange);
      expr(a.expr);
    }
    for (const bl of b.blocks) {
      out.push(bl.range);
      body(bl.body);
    }
  };
  body(r.body);
  return out;
}
