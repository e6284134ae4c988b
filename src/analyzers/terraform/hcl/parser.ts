/**
 * Recursive-descent parser for HCL native syntax (the `.tf` language). Produces the tree in
 * ast.ts with a position on every node, records syntax errors instead of throwing, and keeps
 * going after them so that the rest of the file is still returned.
 */

import type {
  Attribute,
  BinaryOp,
  Block,
  Body,
  Expr,
  ForExpr,
  ObjectItem,
  ParseResult,
  Pos,
  Range,
  TemplateExpr,
  TemplatePart,
} from './ast.js';
import {
  Lexer,
  T_AND, T_ARROW, T_ASSIGN, T_BANG, T_COLON, T_COMMA, T_DCOLON, T_DOT, T_ELLIPSIS, T_EOF, T_EQ, T_GE,
  T_GT, T_HEREDOC, T_IDENT, T_INVALID, T_LBRACE, T_LBRACK, T_LE, T_LPAREN, T_LT, T_MINUS, T_NE,
  T_NEWLINE, T_NUMBER, T_OQUOTE, T_OR, T_PERCENT, T_PLUS, T_QUESTION, T_RBRACE, T_RBRACK, T_RPAREN,
  T_SLASH, T_STAR, T_STRIP_RBRACE,
  TPL_END, TPL_INTERP, TPL_LINE, TPL_UNTERMINATED,
} from './lexer.js';

export interface ParseOptions {
  /** Deepest nesting of blocks and expressions accepted before reporting an error (default 256). */
  maxDepth?: number;
}

export function parseHcl(text: string, options?: ParseOptions): ParseResult {
  const maxDepth = Math.max(1, Math.floor(options?.maxDepth ?? 256));
  const p = new Parser(text, maxDepth);
  try {
    const body = p.parseFile();
    return { body, errors: p.lx.errors };
  } catch (e) {
    // Safety net only: the parser is written not to throw, but a caller-supplied huge maxDepth
    // can still exhaust the native stack. Return what was read so far.
    const lx = p.lx;
    const msg = e instanceof RangeError ? 'nesting too deep for the parser' : `internal parser error: ${String(e)}`;
    lx.error(lx.tokLine, lx.tokCol, msg);
    const zero: Pos = { line: 1, col: 1, offset: 0 };
    return {
      body: { attributes: p.rootAttributes, blocks: p.rootBlocks, range: { start: zero, end: lx.tokStartPos() } },
      errors: lx.errors,
    };
  }
}

// Binary operator precedence by token kind (0 = not a binary operator).
const PREC = new Uint8Array(40);
const OPS: (BinaryOp | undefined)[] = [];
function defineOp(kind: number, prec: number, op: BinaryOp): void {
  PREC[kind] = prec;
  OPS[kind] = op;
}
defineOp(T_OR, 1, '||');
defineOp(T_AND, 2, '&&');
defineOp(T_EQ, 3, '==');
defineOp(T_NE, 3, '!=');
defineOp(T_LT, 4, '<');
defineOp(T_LE, 4, '<=');
defineOp(T_GT, 4, '>');
defineOp(T_GE, 4, '>=');
defineOp(T_PLUS, 5, '+');
defineOp(T_MINUS, 5, '-');
defineOp(T_STAR, 6, '*');
defineOp(T_SLASH, 6, '/');
defineOp(T_PERCENT, 6, '%');

// recoverTo outcomes.
const CLOSED = 0;
const AT_EOF = 1;
const STOPPED = 2;

// recoverTo modes: when to stop early at the start of a line that looks like the next body item.
const STOP_NEVER = 0;
/** `name =`, `name {` or `name "label"`: inside brackets and parentheses. */
const STOP_ITEM = 1;
/** `name {` or `name "label"` only: inside objects, where `name =` is ordinary content. */
const STOP_BLOCK = 2;

// Template sequence outcomes.
const SEQ_CONTINUE = 0;
const SEQ_ENDED = 1;
const SEQ_UNTERMINATED = 2;

// Flat template items, before directives are nested.
const I_LIT = 0;
const I_INTERP = 1;
const I_IF = 2;
const I_ELSE = 3;
const I_ENDIF = 4;
const I_FOR = 5;
const I_ENDFOR = 6;

const DIRECTIVE_NAMES = ['', '', 'if', 'else', 'endif', 'for', 'endfor'];

class TItem {
  t: number;
  v: string;
  expr: Expr | null = null;
  sl = false;
  sr = false;
  line = 0;
  col = 0;
  keyVar: string | undefined = undefined;
  valueVar = '';
  constructor(t: number, v: string) {
    this.t = t;
    this.v = v;
  }
}

interface Frame {
  item: TItem;
  part: TemplatePart & { kind: 'if' | 'for' };
  outer: TemplatePart[];
  inElse: boolean;
}

function range(start: Pos, end: Pos): Range {
  return { start, end };
}

function isUniSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0x85 || c === 0xa0 || c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

class Parser {
  readonly lx: Lexer;
  private readonly maxDepth: number;
  private depth = 0;
  /** Inside (), [], for-expressions and interpolations newlines are insignificant. */
  private ignoreNl = false;
  // End of the last consumed token.
  private prevLine = 1;
  private prevCol = 1;
  private prevOff = 0;
  rootAttributes: Attribute[] = [];
  rootBlocks: Block[] = [];
  /**
   * Characters we may still re-read after rewinding from a failed heredoc or interpolation.
   * Bounds the total work on hostile input, where each rewind could otherwise rescan the file.
   */
  private rescanBudget: number;
  /** Lazily built: for each identifier that stands alone on a line, the offsets of those lines. */
  private markerLines: Map<string, number[]> | null = null;

  constructor(src: string, maxDepth: number) {
    this.lx = new Lexer(src);
    this.maxDepth = maxDepth;
    this.rescanBudget = 4 * src.length + 1_000_000;
  }

  /** Whether a line holding only `marker` (a heredoc terminator) starts at or after `from`. */
  private hasMarkerLine(marker: string, from: number): boolean {
    this.markerLines ??= indexMarkerLines(this.lx.src);
    const lines = this.markerLines.get(marker);
    if (lines === undefined) return false;
    const last = lines[lines.length - 1];
    return last !== undefined && last >= from;
  }

  // ---- token helpers ----

  private peek(): number {
    const lx = this.lx;
    if (lx.kind === T_NEWLINE && this.ignoreNl) {
      do lx.next(); while (lx.kind === T_NEWLINE);
    }
    return lx.kind;
  }

  /** The current token kind, read fresh (TypeScript would otherwise keep an earlier narrowing). */
  private tok(): number {
    return this.lx.kind;
  }

  private advance(): void {
    const lx = this.lx;
    this.prevOff = lx.end;
    this.prevLine = lx.tokLine;
    this.prevCol = lx.tokCol + (lx.end - lx.start);
    lx.next();
  }

  private prevEnd(): Pos {
    return { line: this.prevLine, col: this.prevCol, offset: this.prevOff };
  }

  private setPrev(p: Pos): void {
    this.prevLine = p.line;
    this.prevCol = p.col;
    this.prevOff = p.offset;
  }

  private isKeyword(word: string): boolean {
    const lx = this.lx;
    return lx.kind === T_IDENT && lx.end - lx.start === word.length && lx.src.startsWith(word, lx.start);
  }

  private err(message: string): void {
    const lx = this.lx;
    lx.error(lx.tokLine, lx.tokCol, message);
  }

  private errAt(p: Pos, message: string): void {
    this.lx.error(p.line, p.col, message);
  }

  /** Reports at the current token unless an error was already reported since `mark`. */
  private errOnce(mark: number, message: string): void {
    if (this.lx.errorCount === mark) this.err(message);
  }

  private found(): string {
    const lx = this.lx;
    if (lx.kind === T_INVALID) return `found ${lx.describe()} (${lx.invalidMessage})`;
    return `found ${lx.describe()}`;
  }

  /**
   * Error recovery inside brackets: skips tokens up to and including the `closer` that matches
   * the bracket already opened, keeping nested brackets balanced. Stops without consuming at
   * end of file, at a closer that belongs to an enclosing construct, or (per `mode`) at a line
   * that starts like the next attribute or block.
   */
  private recoverTo(closer: number, mode: number): number {
    const lx = this.lx;
    const stack: number[] = [];
    // The current token may already sit on a new line (newlines before it were skipped).
    let lineStart = lx.tokLine > this.prevLine;
    for (;;) {
      const k = lx.kind;
      switch (k) {
        case T_EOF:
          return AT_EOF;
        case T_NEWLINE:
          lineStart = true;
          lx.next();
          continue;
        case T_LBRACE:
          stack.push(T_RBRACE);
          break;
        case T_LBRACK:
          stack.push(T_RBRACK);
          break;
        case T_LPAREN:
          stack.push(T_RPAREN);
          break;
        case T_RBRACE:
        case T_RBRACK:
        case T_RPAREN: {
          const at = stack.lastIndexOf(k);
          if (at >= 0) {
            stack.length = at;
          } else if (k === closer) {
            this.advance();
            return CLOSED;
          } else if (stack.length === 0) {
            return STOPPED;
          }
          break;
        }
        case T_OQUOTE:
          lx.skipQuoted();
          this.setPrev(lx.here());
          lx.next();
          lineStart = false;
          continue;
        case T_HEREDOC:
          this.skipHeredocToken();
          lineStart = false;
          continue;
        case T_IDENT:
          if (lineStart && mode !== STOP_NEVER && stack.length === 0 && this.looksLikeItem(mode)) return STOPPED;
          break;
        default:
          break;
      }
      lineStart = false;
      this.advance();
    }
  }

  /** At an identifier starting a line: does the next token make it look like a body item? */
  private looksLikeItem(mode: number): boolean {
    const lx = this.lx;
    lx.mark();
    lx.next();
    const k = lx.kind;
    lx.reset();
    return k === T_LBRACE || k === T_OQUOTE || (mode === STOP_ITEM && k === T_ASSIGN);
  }

  private skipHeredocToken(): void {
    const lx = this.lx;
    const opened = lx.tokEndPos();
    // The marker index saves a scan to the end of the file when there is no terminator.
    if (this.hasMarkerLine(lx.heredocMarker, lx.pos) && lx.skipHeredoc(lx.heredocMarker)) this.setPrev(lx.here());
    else this.setPrev(opened);
    lx.next();
  }

  /** Body-level recovery: skips to the end of the line, passing over bracketed groups whole. */
  private skipLine(): void {
    const lx = this.lx;
    const stack: number[] = [];
    for (;;) {
      const k = lx.kind;
      switch (k) {
        case T_EOF:
          return;
        case T_NEWLINE:
          if (stack.length === 0) return;
          lx.next();
          continue;
        case T_LBRACE:
          stack.push(T_RBRACE);
          break;
        case T_LBRACK:
          stack.push(T_RBRACK);
          break;
        case T_LPAREN:
          stack.push(T_RPAREN);
          break;
        case T_RBRACE:
        case T_RBRACK:
        case T_RPAREN: {
          const at = stack.lastIndexOf(k);
          if (at >= 0) stack.length = at;
          else if (k === T_RBRACE && stack.length === 0) return; // closes the enclosing block
          break;
        }
        case T_OQUOTE:
          lx.skipQuoted();
          this.setPrev(lx.here());
          lx.next();
          continue;
        case T_HEREDOC:
          this.skipHeredocToken();
          continue;
        default:
          break;
      }
      this.advance();
    }
  }

  // ---- structure ----

  parseFile(): Body {
    const lx = this.lx;
    const start = lx.here();
    lx.next();
    this.parseBodyItems(this.rootAttributes, this.rootBlocks, null, '');
    return { attributes: this.rootAttributes, blocks: this.rootBlocks, range: range(start, lx.tokStartPos()) };
  }

  /**
   * Reads attributes and blocks until end of file or, inside a block (`blockStart` set), the
   * closing brace, which is left as the current token.
   */
  private parseBodyItems(attributes: Attribute[], blocks: Block[], blockStart: Pos | null, blockType: string): void {
    const lx = this.lx;
    const seen = new Map<string, Attribute>();
    for (const a of attributes) seen.set(a.name, a);
    for (;;) {
      const k = lx.kind;
      if (k === T_NEWLINE) {
        lx.next();
        continue;
      }
      if (k === T_IDENT) {
        this.parseItem(attributes, blocks, seen);
        continue;
      }
      if (k === T_EOF) {
        if (blockStart !== null) {
          this.errAt(blockStart, `unclosed block "${blockType}": no matching "}" before the end of the file`);
        }
        return;
      }
      if (k === T_RBRACE) {
        if (blockStart !== null) return;
        this.err('unexpected "}": there is no open block to close');
        this.advance();
        continue;
      }
      this.err(`expected an attribute or block name, ${this.found()}`);
      this.skipLine();
      if (lx.kind === T_RBRACE && blockStart === null) this.advance();
    }
  }

  private addAttribute(attr: Attribute, attributes: Attribute[], seen: Map<string, Attribute>): void {
    const first = seen.get(attr.name);
    if (first !== undefined) {
      const at = first.nameRange.start;
      this.errAt(attr.nameRange.start,
        `attribute "${attr.name}" is already defined at line ${at.line}, column ${at.col}; each attribute may be set only once`);
      return;
    }
    seen.set(attr.name, attr);
    attributes.push(attr);
  }

  private parseItem(attributes: Attribute[], blocks: Block[], seen: Map<string, Attribute>): void {
    const lx = this.lx;
    const name = lx.text();
    const nameStart = lx.tokStartPos();
    const nameEnd = lx.tokEndPos();
    this.advance();
    const k = lx.kind;
    if (k === T_ASSIGN) {
      this.advance();
      const mark = lx.errorCount;
      const expr = this.parseExpr();
      this.addAttribute(
        { name, expr, range: range(nameStart, expr.range.end), nameRange: range(nameStart, nameEnd) },
        attributes, seen,
      );
      this.endOfItem(mark, `the value of "${name}"`);
      return;
    }
    if (k === T_LBRACE || k === T_IDENT || k === T_OQUOTE) {
      const block = this.parseBlock(name, nameStart);
      if (block !== null) blocks.push(block);
      return;
    }
    this.err(`expected "=" or "{" after "${name}", ${this.found()}`);
    this.skipLine();
  }

  /** An attribute or block must be followed by a newline (or end of file). */
  private endOfItem(mark: number, what: string): void {
    const lx = this.lx;
    const k = lx.kind;
    if (k === T_NEWLINE || k === T_EOF) return;
    if (lx.errorCount !== mark) {
      // Already reported; recovery may have moved on to a later line.
      if (lx.tokLine > this.prevLine) return;
      this.skipLine();
      return;
    }
    this.err(`expected a newline after ${what}, ${this.found()}`);
    this.skipLine();
  }

  private parseBlock(type: string, typeStart: Pos): Block | null {
    const lx = this.lx;
    const labels: string[] = [];
    let firstLabel: Pos | null = null;
    for (;;) {
      const k = lx.kind;
      if (k === T_IDENT) {
        if (firstLabel === null) firstLabel = lx.tokStartPos();
        labels.push(lx.text());
        this.advance();
      } else if (k === T_OQUOTE) {
        if (firstLabel === null) firstLabel = lx.tokStartPos();
        labels.push(this.parseLabel());
      } else {
        break;
      }
    }
    if (lx.kind !== T_LBRACE) {
      if (labels.length === 1 && firstLabel !== null && (lx.kind === T_NEWLINE || lx.kind === T_EOF)) {
        // `instance_type "t3.micro"`: most likely a forgotten "=".
        this.errAt(firstLabel, `expected "=" or "{" after "${type}", found a value`);
      } else {
        this.err(`expected "{" to open block "${type}", ${this.found()}`);
      }
      this.skipLine();
      return null;
    }
    const openStart = lx.tokStartPos();
    const openEnd = lx.tokEndPos();
    this.advance();
    const attributes: Attribute[] = [];
    const blocks: Block[] = [];
    let close: Pos;
    if (this.depth >= this.maxDepth) {
      this.errAt(openStart, `nesting is deeper than ${this.maxDepth} levels`);
      this.recoverTo(T_RBRACE, STOP_NEVER);
      close = this.prevEnd();
    } else {
      this.depth++;
      close = this.parseBlockBody(type, typeStart, openEnd, attributes, blocks);
      this.depth--;
    }
    const k = this.tok();
    if (k !== T_NEWLINE && k !== T_EOF) {
      if (lx.tokLine === this.prevLine) {
        this.err(`expected a newline after the "}" that closes block "${type}", ${this.found()}`);
        this.skipLine();
      }
    }
    return {
      type,
      labels,
      body: { attributes, blocks, range: range(openStart, close) },
      range: range(typeStart, close),
    };
  }

  /** After the opening brace; returns the end of the closing brace (or of what was read). */
  private parseBlockBody(type: string, typeStart: Pos, openEnd: Pos, attributes: Attribute[], blocks: Block[]): Pos {
    const lx = this.lx;
    const k = lx.kind;
    if (k === T_NEWLINE || k === T_EOF) {
      this.parseBodyItems(attributes, blocks, typeStart, type);
      return this.closeBrace(openEnd);
    }
    // Single-line block: `name {}` or `name { attr = value }`.
    if (k === T_RBRACE) return this.closeBrace(openEnd);
    if (k === T_IDENT) {
      const name = lx.text();
      const nameStart = lx.tokStartPos();
      const nameEnd = lx.tokEndPos();
      this.advance();
      if (lx.kind === T_ASSIGN) {
        this.advance();
        const mark = lx.errorCount;
        const expr = this.parseExpr();
        attributes.push({ name, expr, range: range(nameStart, expr.range.end), nameRange: range(nameStart, nameEnd) });
        if (this.tok() === T_RBRACE) return this.closeBrace(openEnd);
        if (this.tok() === T_NEWLINE && lx.errorCount === mark) {
          // Content continues on the next lines: report, then read the rest as a normal body.
          this.err(`a single-line block must be closed on the same line: put "}" right after the value of "${name}", ` +
            'or start the block\'s content on a new line');
          this.parseBodyItems(attributes, blocks, typeStart, type);
          return this.closeBrace(openEnd);
        }
        this.errOnce(mark, `expected "}" to close the single-line block "${type}", ${this.found()}`);
      } else {
        this.errAt(nameStart, `a single-line block can only contain one "name = value" argument; ` +
          'put nested blocks and further arguments on their own lines');
      }
    } else {
      this.err(`expected an argument or "}" in block "${type}", ${this.found()}`);
    }
    if (this.recoverTo(T_RBRACE, STOP_NEVER) !== CLOSED) {
      this.errAt(typeStart, `unclosed block "${type}": no matching "}"`);
    }
    return this.prevEnd();
  }

  private closeBrace(fallback: Pos): Pos {
    const lx = this.lx;
    if (lx.kind === T_RBRACE) {
      this.advance();
      return this.prevEnd();
    }
    return lx.kind === T_EOF ? lx.tokStartPos() : fallback;
  }

  /** A quoted block label: a plain string without interpolation. */
  private parseLabel(): string {
    const start = this.lx.tokStartPos();
    const tpl = this.parseQuoted();
    let out = '';
    let plain = true;
    for (const part of tpl.parts) {
      if (part.kind === 'literal') out += part.value;
      else plain = false;
    }
    if (!plain) this.errAt(start, 'block labels must be plain strings: "${" and "%{" sequences are not allowed here');
    return out;
  }

  // ---- expressions ----

  private parseExpr(): Expr {
    if (this.depth >= this.maxDepth) return this.tooDeep();
    this.depth++;
    const e = this.parseConditional();
    this.depth--;
    return e;
  }

  /** Reports excessive nesting and skips the construct at the current token without recursing. */
  private tooDeep(): Expr {
    const lx = this.lx;
    const start = lx.tokStartPos();
    this.err(`nesting is deeper than ${this.maxDepth} levels`);
    const k = lx.kind;
    if (k === T_LBRACK || k === T_LPAREN || k === T_LBRACE) {
      this.advance();
      this.recoverTo(k === T_LBRACK ? T_RBRACK : k === T_LPAREN ? T_RPAREN : T_RBRACE, STOP_NEVER);
    } else if (k === T_OQUOTE) {
      lx.skipQuoted();
      this.setPrev(lx.here());
      lx.next();
    } else if (k === T_HEREDOC) {
      this.skipHeredocToken();
    } else if (k !== T_EOF && k !== T_NEWLINE) {
      this.advance();
    }
    return { type: 'invalid', range: range(start, k === T_EOF || k === T_NEWLINE ? start : this.prevEnd()) };
  }

  private parseConditional(): Expr {
    const cond = this.parseBinary(1);
    if (this.peek() !== T_QUESTION) return cond;
    this.advance();
    const mark = this.lx.errorCount;
    const then = this.parseExpr();
    let otherwise: Expr;
    if (this.peek() === T_COLON) {
      this.advance();
      otherwise = this.parseExpr();
    } else {
      this.errOnce(mark, `expected ":" in the conditional expression, ${this.found()}`);
      const here = this.lx.tokStartPos();
      otherwise = { type: 'invalid', range: range(here, here) };
    }
    return { type: 'conditional', cond, then, else: otherwise, range: range(cond.range.start, otherwise.range.end) };
  }

  private parseBinary(minPrec: number): Expr {
    let left = this.parseUnary();
    for (;;) {
      const k = this.peek();
      const prec = PREC[k] ?? 0;
      if (prec === 0 || prec < minPrec) return left;
      const op = OPS[k] as BinaryOp;
      this.advance();
      const right = this.parseBinary(prec + 1);
      left = { type: 'binary', op, left, right, range: range(left.range.start, right.range.end) };
    }
  }

  private parseUnary(): Expr {
    const k = this.peek();
    if (k !== T_MINUS && k !== T_BANG) return this.parsePostfix(this.parsePrimary());
    if (this.depth >= this.maxDepth) return this.tooDeep();
    this.depth++;
    const start = this.lx.tokStartPos();
    this.advance();
    const operand = this.parseUnary();
    this.depth--;
    return { type: 'unary', op: k === T_MINUS ? '-' : '!', operand, range: range(start, operand.range.end) };
  }

  private parsePostfix(target: Expr): Expr {
    const lx = this.lx;
    let expr = target;
    for (;;) {
      const k = this.peek();
      if (k === T_DOT) {
        const dotStart = lx.tokStartPos();
        this.advance();
        const k2 = this.peek();
        if (k2 === T_IDENT) {
          const name = lx.text();
          this.advance();
          expr = { type: 'getattr', target: expr, name, range: range(expr.range.start, this.prevEnd()) };
        } else if (k2 === T_NUMBER) {
          expr = this.legacyIndex(expr, expr);
        } else if (k2 === T_STAR) {
          this.advance();
          expr = this.parseSplat(expr, false, dotStart);
        } else {
          this.err(`expected an attribute name after ".", ${this.found()}`);
          return expr;
        }
      } else if (k === T_LBRACK) {
        const open = lx.tokStartPos();
        this.advance();
        const saved = this.ignoreNl;
        this.ignoreNl = true;
        if (this.peek() === T_STAR) {
          this.advance();
          if (this.peek() === T_RBRACK) {
            this.advance();
          } else {
            this.err(`expected "]" after "[*", ${this.found()}`);
            this.recoverTo(T_RBRACK, STOP_ITEM);
          }
          this.ignoreNl = saved;
          expr = this.parseSplat(expr, true, open);
        } else {
          expr = this.finishIndex(expr, expr, open);
          this.ignoreNl = saved;
        }
      } else {
        return expr;
      }
    }
  }

  /** `.0` after a dot: the legacy index form. The current token is the number. */
  private legacyIndex(target: Expr, rangeFrom: Expr): Expr {
    const lx = this.lx;
    const text = lx.text();
    const keyStart = lx.tokStartPos();
    const keyEnd = lx.tokEndPos();
    if (text.indexOf('.') >= 0) {
      const [a, b] = text.split('.');
      this.err(`legacy index syntax cannot be chained like ".${text}"; write [${a ?? text}][${b ?? '0'}] instead`);
    }
    this.advance();
    return {
      type: 'index',
      target,
      key: { type: 'literal', value: Number(text), range: range(keyStart, keyEnd) },
      range: range(rangeFrom.range.start, keyEnd),
    };
  }

  /** After `[` (newlines already ignored): the key and the closing bracket. */
  private finishIndex(target: Expr, rangeFrom: Expr, open: Pos): Expr {
    const mark = this.lx.errorCount;
    const key = this.parseExpr();
    if (this.lx.errorCount !== mark) {
      if (this.recoverTo(T_RBRACK, STOP_ITEM) !== CLOSED) this.errAt(open, 'unclosed "[": no matching "]"');
    } else if (this.peek() === T_RBRACK) {
      this.advance();
    } else {
      this.err(`expected "]" to close the index, ${this.found()}`);
      if (this.recoverTo(T_RBRACK, STOP_ITEM) !== CLOSED) this.errAt(open, 'unclosed "[": no matching "]"');
    }
    return { type: 'index', target, key, range: range(rangeFrom.range.start, this.prevEnd()) };
  }

  /**
   * After `[*]` or `.*`: gathers the traversal applied to each element. An attribute-only splat
   * takes only `.name` steps; a full splat also takes `[key]`. Another splat ends this one.
   */
  private parseSplat(target: Expr, full: boolean, markerStart: Pos): Expr {
    const lx = this.lx;
    let each: Expr = { type: 'splat-anchor', range: range(markerStart, this.prevEnd()) };
    const anchor = each;
    for (;;) {
      const k = this.peek();
      if (k === T_DOT) {
        const pl = this.prevLine;
        const pc = this.prevCol;
        const po = this.prevOff;
        lx.mark();
        this.advance();
        const k2 = this.peek();
        if (k2 === T_IDENT) {
          const name = lx.text();
          this.advance();
          each = { type: 'getattr', target: each, name, range: range(anchor.range.start, this.prevEnd()) };
        } else if (k2 === T_NUMBER) {
          each = this.legacyIndex(each, anchor);
        } else {
          lx.reset();
          this.prevLine = pl;
          this.prevCol = pc;
          this.prevOff = po;
          break;
        }
      } else if (k === T_LBRACK && full) {
        const pl = this.prevLine;
        const pc = this.prevCol;
        const po = this.prevOff;
        const open = lx.tokStartPos();
        lx.mark();
        this.advance();
        const saved = this.ignoreNl;
        this.ignoreNl = true;
        if (this.peek() === T_STAR) {
          this.ignoreNl = saved;
          lx.reset();
          this.prevLine = pl;
          this.prevCol = pc;
          this.prevOff = po;
          break;
        }
        each = this.finishIndex(each, anchor, open);
        this.ignoreNl = saved;
      } else {
        break;
      }
    }
    return { type: 'splat', target, each, full, range: range(target.range.start, this.prevEnd()) };
  }

  private parsePrimary(): Expr {
    const lx = this.lx;
    const k = this.peek();
    switch (k) {
      case T_NUMBER: {
        const start = lx.tokStartPos();
        const end = lx.tokEndPos();
        const text = lx.text();
        const value = Number(text);
        if (Number.isNaN(value)) this.err(`invalid number literal "${text}"`);
        this.advance();
        return { type: 'literal', value, range: range(start, end) };
      }
      case T_IDENT: {
        const start = lx.tokStartPos();
        if (this.ignoreNl && lx.tokLine > this.prevLine && this.looksLikeItem(STOP_ITEM)) {
          // `name =`, `name {` or `name "label"` can't be inside brackets: one was left open above.
          this.err(`expected an expression, found the start of a new attribute or block "${lx.text()}" ` +
            '(is a bracket left unclosed above?)');
          return { type: 'invalid', range: range(start, start) };
        }
        const name = lx.text();
        const end = lx.tokEndPos();
        this.advance();
        const k2 = this.peek();
        if (k2 === T_LPAREN || k2 === T_DCOLON) return this.parseCall(name, start);
        if (name === 'true') return { type: 'literal', value: true, range: range(start, end) };
        if (name === 'false') return { type: 'literal', value: false, range: range(start, end) };
        if (name === 'null') return { type: 'literal', value: null, range: range(start, end) };
        return { type: 'variable', name, range: range(start, end) };
      }
      case T_OQUOTE:
        return this.parseQuoted();
      case T_HEREDOC:
        return this.parseHeredoc();
      case T_LPAREN:
        return this.parseParen();
      case T_LBRACK:
        return this.parseTuple();
      case T_LBRACE:
        return this.parseObject();
      default: {
        const here = lx.tokStartPos();
        this.err(k === T_INVALID ? lx.invalidMessage : `expected an expression, ${this.found()}`);
        return { type: 'invalid', range: range(here, here) };
      }
    }
  }

  private parseParen(): Expr {
    const lx = this.lx;
    const start = lx.tokStartPos();
    this.advance();
    const saved = this.ignoreNl;
    this.ignoreNl = true;
    const mark = lx.errorCount;
    const expr = this.parseExpr();
    if (lx.errorCount === mark && this.peek() === T_RPAREN) {
      this.advance();
    } else {
      if (lx.errorCount !== mark || !this.unclosedHere(T_RPAREN, STOP_ITEM, start, '(')) {
        this.errOnce(mark, `expected ")" to close the "(" at line ${start.line}, column ${start.col}, ${this.found()}`);
        if (this.recoverTo(T_RPAREN, STOP_ITEM) !== CLOSED) this.errAt(start, 'unclosed "(": no matching ")"');
      }
    }
    this.ignoreNl = saved;
    return { type: 'paren', expr, range: range(start, this.prevEnd()) };
  }

  private parseCall(name: string, start: Pos): Expr {
    const lx = this.lx;
    let fullName = name;
    while (this.peek() === T_DCOLON) {
      this.advance();
      if (this.peek() !== T_IDENT) {
        this.err(`expected a function name after "::", ${this.found()}`);
        return { type: 'invalid', range: range(start, this.prevEnd()) };
      }
      fullName += '::' + lx.text();
      this.advance();
    }
    if (this.peek() !== T_LPAREN) {
      this.err(`expected "(" after the function name "${fullName}", ${this.found()}`);
      return { type: 'invalid', range: range(start, this.prevEnd()) };
    }
    const open = lx.tokStartPos();
    this.advance();
    const saved = this.ignoreNl;
    this.ignoreNl = true;
    const args: Expr[] = [];
    let expandFinal = false;
    for (;;) {
      const k = this.peek();
      if (k === T_RPAREN) {
        this.advance();
        break;
      }
      if (k === T_EOF) {
        this.errAt(open, `unclosed "(" in the call to "${fullName}": no matching ")" before the end of the file`);
        break;
      }
      const mark = lx.errorCount;
      args.push(this.parseExpr());
      if (lx.errorCount !== mark) {
        this.closeAfterError(T_RPAREN, STOP_ITEM, open, '(');
        break;
      }
      const sep = this.peek();
      if (sep === T_COMMA) {
        this.advance();
        continue;
      }
      if (sep === T_RPAREN) {
        this.advance();
        break;
      }
      if (sep === T_ELLIPSIS) {
        this.advance();
        expandFinal = true;
        if (this.peek() === T_RPAREN) {
          this.advance();
        } else {
          this.err(`expected ")" right after "..." in the call to "${fullName}", ${this.found()}`);
          this.closeAfterError(T_RPAREN, STOP_ITEM, open, '(');
        }
        break;
      }
      if (this.unclosedHere(T_RPAREN, STOP_ITEM, open, '(')) break;
      this.err(`expected "," or ")" after an argument of "${fullName}", ${this.found()}`);
      this.closeAfterError(T_RPAREN, STOP_ITEM, open, '(');
      break;
    }
    this.ignoreNl = saved;
    return { type: 'call', name: fullName, args, expandFinal, range: range(start, this.prevEnd()) };
  }

  /**
   * Where a separator was expected: if the current token closes an enclosing construct, or
   * starts a line that looks like the next body item, the bracket was simply never closed.
   * Reports that at the opener and returns true, consuming nothing.
   */
  private unclosedHere(closer: number, mode: number, open: Pos, opener: string): boolean {
    const lx = this.lx;
    const k = lx.kind;
    const foreign = (k === T_RBRACE || k === T_RBRACK || k === T_RPAREN) && k !== closer;
    if (!foreign && !(k === T_IDENT && lx.tokLine > this.prevLine && this.looksLikeItem(mode))) return false;
    const want = closer === T_RPAREN ? ')' : closer === T_RBRACK ? ']' : '}';
    this.errAt(open, `unclosed "${opener}": no matching "${want}"`);
    return true;
  }

  private closeAfterError(closer: number, mode: number, open: Pos, opener: string): void {
    if (this.recoverTo(closer, mode) !== CLOSED) {
      const want = closer === T_RPAREN ? ')' : closer === T_RBRACK ? ']' : '}';
      this.errAt(open, `unclosed "${opener}": no matching "${want}"`);
    }
  }

  private parseTuple(): Expr {
    const lx = this.lx;
    const start = lx.tokStartPos();
    this.advance();
    const saved = this.ignoreNl;
    this.ignoreNl = true;
    this.peek();
    if (this.isKeyword('for')) {
      const e = this.parseFor(start, false);
      this.ignoreNl = saved;
      return e;
    }
    const items: Expr[] = [];
    for (;;) {
      const k = this.peek();
      if (k === T_RBRACK) {
        this.advance();
        break;
      }
      if (k === T_EOF) {
        this.errAt(start, 'unclosed "[": no matching "]" before the end of the file');
        break;
      }
      const mark = lx.errorCount;
      items.push(this.parseExpr());
      if (lx.errorCount !== mark) {
        this.closeAfterError(T_RBRACK, STOP_ITEM, start, '[');
        break;
      }
      const sep = this.peek();
      if (sep === T_COMMA) {
        this.advance();
        continue;
      }
      if (sep === T_RBRACK) {
        this.advance();
        break;
      }
      if (sep === T_EOF) {
        this.errAt(start, 'unclosed "[": no matching "]" before the end of the file');
        break;
      }
      if (this.unclosedHere(T_RBRACK, STOP_ITEM, start, '[')) break;
      this.err(`expected "," or "]" after a tuple item, ${this.found()}`);
      this.closeAfterError(T_RBRACK, STOP_ITEM, start, '[');
      break;
    }
    this.ignoreNl = saved;
    return { type: 'tuple', items, range: range(start, this.prevEnd()) };
  }

  private parseObject(): Expr {
    const lx = this.lx;
    const start = lx.tokStartPos();
    this.advance();
    const saved = this.ignoreNl;
    this.ignoreNl = true;
    this.peek();
    if (this.isKeyword('for')) {
      const e = this.parseFor(start, true);
      this.ignoreNl = saved;
      return e;
    }
    // Object items are separated by commas or newlines, so newlines count here.
    this.ignoreNl = false;
    const items: ObjectItem[] = [];
    for (;;) {
      const k = lx.kind;
      if (k === T_NEWLINE) {
        lx.next();
        continue;
      }
      if (k === T_RBRACE) {
        this.advance();
        break;
      }
      if (k === T_EOF) {
        this.errAt(start, 'unclosed "{": no matching "}" before the end of the file');
        break;
      }
      if (k === T_IDENT && lx.tokLine > this.prevLine && this.looksLikeItem(STOP_BLOCK)) {
        this.errAt(start, 'unclosed "{": no matching "}"');
        break;
      }
      const mark = lx.errorCount;
      const key = this.parseExpr();
      if (lx.errorCount !== mark) {
        this.closeAfterError(T_RBRACE, STOP_BLOCK, start, '{');
        break;
      }
      const eq = lx.kind;
      if (eq !== T_ASSIGN && eq !== T_COLON) {
        this.err(`expected "=" or ":" after the object key, ${this.found()}`);
        this.closeAfterError(T_RBRACE, STOP_BLOCK, start, '{');
        break;
      }
      this.advance();
      const value = this.parseExpr();
      if (key.type === 'variable') {
        const bare: TemplateExpr = {
          type: 'template', parts: [{ kind: 'literal', value: key.name }], heredoc: false, range: key.range,
        };
        items.push({ key: bare, bareKey: true, value });
      } else {
        items.push({ key, bareKey: false, value });
      }
      if (lx.errorCount !== mark) {
        this.closeAfterError(T_RBRACE, STOP_BLOCK, start, '{');
        break;
      }
      const sep = lx.kind;
      if (sep === T_COMMA) {
        this.advance();
        continue;
      }
      if (sep === T_NEWLINE) continue;
      if (sep === T_RBRACE) {
        this.advance();
        break;
      }
      if (sep === T_EOF) {
        this.errAt(start, 'unclosed "{": no matching "}" before the end of the file');
        break;
      }
      if (this.unclosedHere(T_RBRACE, STOP_BLOCK, start, '{')) break;
      this.err(`expected "," or a newline after an object item, ${this.found()}`);
      this.closeAfterError(T_RBRACE, STOP_BLOCK, start, '{');
      break;
    }
    this.ignoreNl = saved;
    return { type: 'object', items, range: range(start, this.prevEnd()) };
  }

  /** `for` expressions; the current token is the `for` keyword and newlines are ignored. */
  private parseFor(start: Pos, isObject: boolean): Expr {
    const lx = this.lx;
    const closer = isObject ? T_RBRACE : T_RBRACK;
    const opener = isObject ? '{' : '[';
    const mark = lx.errorCount;
    const fail = (message: string): Expr => {
      this.errOnce(mark, message);
      this.closeAfterError(closer, isObject ? STOP_BLOCK : STOP_ITEM, start, opener);
      return { type: 'invalid', range: range(start, this.prevEnd()) };
    };
    this.advance();
    if (this.peek() !== T_IDENT) return fail(`expected a variable name after "for", ${this.found()}`);
    let valueVar = lx.text();
    let keyVar: string | undefined;
    this.advance();
    if (this.peek() === T_COMMA) {
      this.advance();
      if (this.peek() !== T_IDENT) return fail(`expected a second variable name after ",", ${this.found()}`);
      keyVar = valueVar;
      valueVar = lx.text();
      this.advance();
    }
    this.peek();
    if (!this.isKeyword('in')) return fail(`expected "in" after the "for" variables, ${this.found()}`);
    this.advance();
    const collection = this.parseExpr();
    if (lx.errorCount !== mark) return fail('');
    if (this.peek() !== T_COLON) return fail(`expected ":" after the "for" collection, ${this.found()}`);
    this.advance();
    let keyExpr: Expr | undefined;
    if (isObject) {
      keyExpr = this.parseExpr();
      if (lx.errorCount !== mark) return fail('');
      if (this.peek() !== T_ARROW) return fail(`expected "=>" after the key of an object "for", ${this.found()}`);
      this.advance();
    }
    const valueExpr = this.parseExpr();
    if (lx.errorCount !== mark) return fail('');
    let grouping = false;
    if (!isObject && this.peek() === T_ELLIPSIS) {
      return fail('the grouping "..." is only allowed in an object "for" expression ({for ...}), not in a tuple');
    }
    if (isObject && this.peek() === T_ELLIPSIS) {
      this.advance();
      grouping = true;
    }
    let cond: Expr | undefined;
    this.peek();
    if (this.isKeyword('if')) {
      this.advance();
      cond = this.parseExpr();
      if (lx.errorCount !== mark) return fail('');
    }
    if (this.peek() !== closer) {
      return fail(`expected "${isObject ? '}' : ']'}" to close the "for" expression, ${this.found()}`);
    }
    this.advance();
    const e: ForExpr = {
      type: 'for', valueVar, collection, valueExpr, grouping, isObject, range: range(start, this.prevEnd()),
    };
    if (keyVar !== undefined) e.keyVar = keyVar;
    if (keyExpr !== undefined) e.keyExpr = keyExpr;
    if (cond !== undefined) e.cond = cond;
    return e;
  }

  // ---- templates ----

  /** A quoted string; the current token is the opening quote. */
  private parseQuoted(): TemplateExpr {
    const lx = this.lx;
    const start = lx.tokStartPos();
    const items: TItem[] = [];
    for (;;) {
      const r = lx.scanQuoted();
      if (lx.lit.length > 0) items.push(new TItem(I_LIT, lx.lit));
      if (r === TPL_END) break;
      if (r === TPL_UNTERMINATED) {
        this.errAt(start, 'unterminated string: no closing quote (") on this line');
        break;
      }
      const seq = this.parseSequence(items, r === TPL_INTERP, true);
      if (seq === SEQ_ENDED) break;
      if (seq === SEQ_UNTERMINATED) {
        this.errAt(start, 'unterminated string: no closing quote (") on this line');
        break;
      }
    }
    const end = lx.here();
    const parts = this.buildTemplate(items, false);
    this.setPrev(end);
    lx.next();
    return { type: 'template', parts, heredoc: false, range: range(start, end) };
  }

  /** A heredoc; the current token is its introducer (`<<EOT` / `<<-EOT`). */
  private parseHeredoc(): Expr {
    const lx = this.lx;
    const start = lx.tokStartPos();
    const openerEnd = lx.tokEndPos();
    const marker = lx.heredocMarker;
    const flush = lx.heredocFlush;
    // Step over the newline that ends the introducer.
    let p = lx.pos;
    if (lx.src.charCodeAt(p) === 13) p++;
    const errorsBefore = lx.errors.length;
    let ok = false;
    const items: TItem[] = [];
    if (p < lx.len && this.hasMarkerLine(marker, p + 1)) {
      const bodyStart = p + 1;
      lx.rewind(bodyStart, lx.line + 1, bodyStart);
      lx.atLineStart = true;
      for (;;) {
        const r = lx.scanHeredoc(marker);
        if (lx.lit.length > 0) items.push(new TItem(I_LIT, lx.lit));
        if (r === TPL_END) {
          ok = true;
          break;
        }
        if (r === TPL_LINE) continue;
        if (r === TPL_UNTERMINATED) break;
        const seq = this.parseSequence(items, r === TPL_INTERP, false);
        if (seq !== SEQ_CONTINUE) break;
        lx.atLineStart = false;
      }
    }
    if (!ok) {
      // Do not let a missing marker swallow the rest of the file: report at the introducer and
      // resume right after its line.
      lx.errors.length = errorsBefore;
      this.errAt(start, `unterminated heredoc: no line with the closing marker "${marker}"`);
      const nl = lx.src.indexOf('\n', openerEnd.offset);
      const resume = nl < 0 ? lx.len : nl;
      const cost = lx.pos - resume;
      if (cost > this.rescanBudget) {
        // Out of rescan budget (hostile input): leave the rest of the file swallowed.
        const end = lx.here();
        this.setPrev(end);
        lx.next();
        return { type: 'invalid', range: range(start, end) };
      }
      if (cost > 0) this.rescanBudget -= cost;
      lx.rewind(resume, openerEnd.line, openerEnd.offset - openerEnd.col + 1);
      this.setPrev(openerEnd);
      lx.next();
      return { type: 'invalid', range: range(start, openerEnd) };
    }
    const end = lx.here();
    const parts = this.buildTemplate(items, flush);
    this.setPrev(end);
    lx.next();
    return { type: 'template', parts, heredoc: true, range: range(start, end) };
  }

  /**
   * An interpolation (`${...}`) or directive (`%{...}`) whose opener was just consumed by the
   * template scan. Appends a flat item; returns how the template goes on.
   */
  private parseSequence(items: TItem[], interp: boolean, quoted: boolean): number {
    const lx = this.lx;
    const openLine = lx.line;
    const openLineStart = lx.lineStart;
    const openCol = lx.pos - lx.lineStart - 1;
    let stripLeft = false;
    if (lx.src.charCodeAt(lx.pos) === 126) {
      stripLeft = true;
      lx.pos++;
    }
    lx.next();
    const saved = this.ignoreNl;
    this.ignoreNl = true;
    const mark = lx.errorCount;
    let item: TItem;
    if (interp) {
      item = new TItem(I_INTERP, '');
      item.expr = this.parseExpr();
    } else {
      const made = this.parseDirectiveHead(mark);
      if (made === null) {
        this.ignoreNl = saved;
        return this.resyncTemplate(quoted, openLine, openLineStart);
      }
      item = made;
    }
    item.sl = stripLeft;
    item.line = openLine;
    item.col = openCol;
    const k = this.peek();
    this.ignoreNl = saved;
    if (k === T_RBRACE || k === T_STRIP_RBRACE) {
      // The cursor is already just past the brace: carry on scanning template text from there.
      item.sr = k === T_STRIP_RBRACE;
      this.setPrev(lx.tokEndPos());
      items.push(item);
      return SEQ_CONTINUE;
    }
    const opener = interp ? '${' : '%{';
    this.errOnce(mark, `expected "}" to close the "${opener}" at line ${openLine}, column ${openCol}, ${this.found()}`);
    items.push(item);
    return this.resyncTemplate(quoted, openLine, openLineStart);
  }

  /** The keyword and operands of a `%{ ... }` directive, up to (not including) its closing brace. */
  private parseDirectiveHead(mark: number): TItem | null {
    const lx = this.lx;
    if (this.peek() !== T_IDENT) {
      this.errOnce(mark, `expected "if", "else", "endif", "for" or "endfor" after "%{", ${this.found()}`);
      return null;
    }
    const word = lx.text();
    const t = DIRECTIVE_NAMES.indexOf(word);
    if (t < I_IF) {
      this.err(`unknown template directive "${word}"; expected "if", "else", "endif", "for" or "endfor"`);
      return null;
    }
    this.advance();
    const item = new TItem(t, '');
    if (t === I_IF) {
      item.expr = this.parseExpr();
    } else if (t === I_FOR) {
      if (this.peek() !== T_IDENT) {
        this.err(`expected a variable name after "for", ${this.found()}`);
        return null;
      }
      item.valueVar = lx.text();
      this.advance();
      if (this.peek() === T_COMMA) {
        this.advance();
        if (this.peek() !== T_IDENT) {
          this.err(`expected a second variable name after ",", ${this.found()}`);
          return null;
        }
        item.keyVar = item.valueVar;
        item.valueVar = lx.text();
        this.advance();
      }
      this.peek();
      if (!this.isKeyword('in')) {
        this.err(`expected "in" after the "for" variables, ${this.found()}`);
        return null;
      }
      this.advance();
      item.expr = this.parseExpr();
    }
    return item;
  }

  /** After a broken sequence: find its closing brace, or give up on the template. */
  private resyncTemplate(quoted: boolean, openLine: number, openLineStart: number): number {
    const lx = this.lx;
    if (quoted && lx.tokLine > openLine) {
      // The broken interpolation ran over lines: end the string on its own line, so that
      // the lines after it are read normally.
      const nl = lx.src.indexOf('\n', openLineStart);
      const resume = nl < 0 ? lx.len : nl;
      const cost = lx.start - resume;
      if (cost <= this.rescanBudget) {
        this.rescanBudget -= cost;
        lx.rewind(resume, openLine, openLineStart);
        return SEQ_UNTERMINATED;
      }
    }
    for (;;) {
      const k = lx.kind;
      if (k === T_RBRACE || k === T_STRIP_RBRACE) {
        this.setPrev(lx.tokEndPos());
        return SEQ_CONTINUE;
      }
      if (k === T_EOF) return SEQ_UNTERMINATED;
      if (k === T_NEWLINE) {
        // Put the newline back: it ends a quoted string, or is heredoc text.
        lx.rewind(lx.start, lx.tokLine, lx.start - lx.tokCol + 1);
        return quoted ? SEQ_UNTERMINATED : SEQ_CONTINUE;
      }
      if (k === T_OQUOTE) {
        if (quoted) return SEQ_ENDED;
        lx.skipQuoted();
      }
      lx.next();
    }
  }

  /**
   * Applies strip markers, then `<<-` indentation removal (in that order, as HCL does: a line
   * whose leading text was stripped away no longer counts as indented), then nests directives.
   */
  private buildTemplate(items: TItem[], flush: boolean): TemplatePart[] {
    const n = items.length;
    for (let i = 0; i < n; i++) {
      const it = items[i] as TItem;
      if (it.t === I_LIT) continue;
      if (it.sl && i > 0) {
        const prev = items[i - 1] as TItem;
        if (prev.t === I_LIT) prev.v = prev.v.trimEnd();
      }
      if (it.sr && i + 1 < n) {
        const next = items[i + 1] as TItem;
        if (next.t === I_LIT) next.v = next.v.trimStart();
      }
    }
    if (flush) flushIndent(items);
    const root: TemplatePart[] = [];
    const stack: Frame[] = [];
    let target = root;
    for (let i = 0; i < n; i++) {
      const it = items[i] as TItem;
      switch (it.t) {
        case I_LIT: {
          if (it.v.length === 0) break;
          const last = target[target.length - 1];
          if (last !== undefined && last.kind === 'literal') last.value += it.v;
          else target.push({ kind: 'literal', value: it.v });
          break;
        }
        case I_INTERP:
          target.push({ kind: 'interp', expr: it.expr as Expr, stripLeft: it.sl, stripRight: it.sr });
          break;
        case I_IF: {
          const part: TemplatePart & { kind: 'if' } = { kind: 'if', cond: it.expr as Expr, then: [] };
          target.push(part);
          stack.push({ item: it, part, outer: target, inElse: false });
          target = part.then;
          break;
        }
        case I_FOR: {
          const part: TemplatePart & { kind: 'for' } = {
            kind: 'for', valueVar: it.valueVar, collection: it.expr as Expr, body: [],
          };
          if (it.keyVar !== undefined) part.keyVar = it.keyVar;
          target.push(part);
          stack.push({ item: it, part, outer: target, inElse: false });
          target = part.body;
          break;
        }
        case I_ELSE: {
          const top = stack[stack.length - 1];
          if (top !== undefined && top.part.kind === 'if' && !top.inElse) {
            top.inElse = true;
            top.part.else = [];
            target = top.part.else;
          } else {
            this.lx.error(it.line, it.col, '"%{ else }" without a matching "%{ if }"');
          }
          break;
        }
        case I_ENDIF:
        case I_ENDFOR: {
          const want = it.t === I_ENDIF ? 'if' : 'for';
          const top = stack[stack.length - 1];
          if (top !== undefined && top.part.kind === want) {
            stack.pop();
            target = top.outer;
          } else {
            const name = DIRECTIVE_NAMES[it.t] ?? '';
            this.lx.error(it.line, it.col, `"%{ ${name} }" without a matching "%{ ${want} }"`);
          }
          break;
        }
        default:
          break;
      }
    }
    for (const f of stack) {
      const kw = f.part.kind;
      this.lx.error(f.item.line, f.item.col, `"%{ ${kw} }" is never closed by "%{ end${kw} }"`);
    }
    if (root.length === 0) root.push({ kind: 'literal', value: '' });
    return root;
  }
}

/** Offsets of the lines that consist of one identifier (possibly indented): heredoc terminators. */
function indexMarkerLines(src: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const len = src.length;
  let ls = 0;
  while (ls < len) {
    let q = ls;
    let c = src.charCodeAt(q);
    while (c === 32 || c === 9) c = src.charCodeAt(++q);
    const nameStart = q;
    while (q < len && c !== 10 && c !== 13 && c !== 32 && c !== 9) c = src.charCodeAt(++q);
    const nameEnd = q;
    let nl = q;
    if (c === 13 && src.charCodeAt(q + 1) === 10) nl = q + 1;
    if (nameEnd > nameStart && (nl >= len || src.charCodeAt(nl) === 10)) {
      const name = src.slice(nameStart, nameEnd);
      const list = out.get(name);
      if (list === undefined) out.set(name, [ls]);
      else list.push(ls);
    }
    const next = src.indexOf('\n', q);
    if (next < 0) break;
    ls = next + 1;
  }
  return out;
}

/**
 * `<<-` heredocs: removes from every line-leading literal the smallest indentation found on
 * a non-blank line. A line starting with an interpolation counts as indentation 0; lines that
 * are only whitespace are neither counted nor changed (this is what HCL does).
 */
function flushIndent(items: TItem[]): void {
  let min = Infinity;
  let newline = true;
  const adjust: TItem[] = [];
  for (const it of items) {
    if (newline) {
      newline = false;
      if (it.t === I_LIT) {
        const v = it.v;
        let n = 0;
        while (n < v.length && isUniSpace(v.charCodeAt(n))) n++;
        if (!(n === v.length && v.charCodeAt(v.length - 1) === 10)) {
          adjust.push(it);
          if (n < min) min = n;
        }
      } else {
        min = 0;
      }
    }
    if (it.t === I_LIT && it.v.charCodeAt(it.v.length - 1) === 10) newline = true;
  }
  if (min === Infinity || min === 0) return;
  for (const it of adjust) it.v = it.v.slice(min);
}
