/**
 * Character-level scanner for HCL native syntax. It produces one token at a time (the parser
 * keeps a single token of lookahead) and scans template text on demand, because what a
 * character means inside a string depends on the parser's state.
 */

import type { ParseError, Pos } from './ast.js';

// Token kinds. Plain numbers rather than an enum so they compile the same under isolatedModules.
export const T_EOF = 0;
export const T_NEWLINE = 1;
export const T_IDENT = 2;
export const T_NUMBER = 3;
export const T_OQUOTE = 4;
export const T_HEREDOC = 5;
export const T_LBRACE = 6;
export const T_RBRACE = 7;
export const T_LBRACK = 8;
export const T_RBRACK = 9;
export const T_LPAREN = 10;
export const T_RPAREN = 11;
export const T_COMMA = 12;
export const T_DOT = 13;
export const T_ELLIPSIS = 14;
export const T_COLON = 15;
export const T_DCOLON = 16;
export const T_QUESTION = 17;
export const T_ASSIGN = 18;
export const T_ARROW = 19;
export const T_EQ = 20;
export const T_NE = 21;
export const T_LT = 22;
export const T_LE = 23;
export const T_GT = 24;
export const T_GE = 25;
export const T_PLUS = 26;
export const T_MINUS = 27;
export const T_STAR = 28;
export const T_SLASH = 29;
export const T_PERCENT = 30;
export const T_AND = 31;
export const T_OR = 32;
export const T_BANG = 33;
/** `~}`: closes an interpolation or directive and strips the whitespace after it. */
export const T_STRIP_RBRACE = 34;
export const T_INVALID = 35;

const TOKEN_NAMES: readonly string[] = [
  'end of file', 'end of line', 'identifier', 'number', '"\\""', 'heredoc', '"{"', '"}"', '"["', '"]"',
  '"("', '")"', '","', '"."', '"..."', '":"', '"::"', '"?"', '"="', '"=>"', '"=="', '"!="', '"<"', '"<="',
  '">"', '">="', '"+"', '"-"', '"*"', '"/"', '"%"', '"&&"', '"||"', '"!"', '"~}"', 'invalid character',
];

export function tokenName(kind: number): string {
  return TOKEN_NAMES[kind] ?? 'token';
}

// What stopped a template literal scan.
export const TPL_END = 0;
export const TPL_INTERP = 1;
export const TPL_DIRECTIVE = 2;
/** Quoted: newline or end of file before the closing quote. Heredoc: end of file before the marker. */
export const TPL_UNTERMINATED = 3;
/** Heredoc only: the literal ran up to and including a newline. */
export const TPL_LINE = 4;

const MAX_ERRORS = 1000;

// ASCII classes: bit 1 = identifier start, bit 2 = identifier continuation, bit 4 = digit.
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  const digit = c >= 48 && c <= 57;
  CLASS[c] = (letter ? 3 : 0) | (digit ? 6 : 0) | (c === 45 ? 2 : 0);
}

const UNI_ID_START = /^\p{ID_Start}$/u;
const UNI_ID_CONTINUE = /^\p{ID_Continue}$/u;

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

export class Lexer {
  readonly src: string;
  readonly len: number;
  readonly errors: ParseError[] = [];
  /** Counts every error reported, including suppressed duplicates; lets callers detect "an error happened". */
  errorCount = 0;

  /** Scan position: just after the current token. */
  pos = 0;
  line = 1;
  lineStart = 0;

  // Current token.
  kind = T_EOF;
  start = 0;
  end = 0;
  tokLine = 1;
  tokCol = 1;
  /** For T_HEREDOC: the closing marker and whether it is `<<-`. */
  heredocMarker = '';
  heredocFlush = false;
  /** For T_INVALID: a message describing the character. */
  invalidMessage = '';

  /** Value of the literal text read by the last template scan. */
  lit = '';
  /** Heredoc: whether the next template scan starts at the beginning of a line. */
  atLineStart = false;

  // One saved state for two-token lookahead.
  private sPos = 0;
  private sLine = 0;
  private sLineStart = 0;
  private sKind = 0;
  private sStart = 0;
  private sEnd = 0;
  private sTokLine = 0;
  private sTokCol = 0;

  constructor(src: string) {
    this.src = src;
    this.len = src.length;
    // A UTF-8 byte order mark is tolerated rather than reported.
    if (src.charCodeAt(0) === 0xfeff) {
      this.pos = 1;
      this.lineStart = 1;
    }
  }

  error(line: number, col: number, message: string): void {
    this.errorCount++;
    const errs = this.errors;
    const last = errs[errs.length - 1];
    if (last !== undefined && last.line === line && last.col === col) return;
    if (errs.length < MAX_ERRORS) {
      errs.push({ line, col, message });
    } else if (errs.length === MAX_ERRORS) {
      errs.push({ line, col, message: `too many errors (over ${MAX_ERRORS}); the rest are not reported` });
    }
  }

  errorAtToken(message: string): void {
    this.error(this.tokLine, this.tokCol, message);
  }

  /** Position of the scan cursor. */
  here(): Pos {
    return { line: this.line, col: this.pos - this.lineStart + 1, offset: this.pos };
  }

  tokStartPos(): Pos {
    return { line: this.tokLine, col: this.tokCol, offset: this.start };
  }

  /** Token end; every token but a newline lies on one line. */
  tokEndPos(): Pos {
    return { line: this.tokLine, col: this.tokCol + (this.end - this.start), offset: this.end };
  }

  text(): string {
    return this.src.slice(this.start, this.end);
  }

  /** Short quoted excerpt of the current token for messages. */
  describe(): string {
    const k = this.kind;
    if (k === T_EOF || k === T_NEWLINE) return tokenName(k);
    if (k === T_INVALID) return `"${this.text()}"`;
    if (k === T_HEREDOC) return 'a heredoc';
    if (k === T_OQUOTE) return 'a quoted string';
    const t = this.text();
    return `"${t.length > 30 ? t.slice(0, 30) + '...' : t}"`;
  }

  mark(): void {
    this.sPos = this.pos;
    this.sLine = this.line;
    this.sLineStart = this.lineStart;
    this.sKind = this.kind;
    this.sStart = this.start;
    this.sEnd = this.end;
    this.sTokLine = this.tokLine;
    this.sTokCol = this.tokCol;
  }

  reset(): void {
    this.pos = this.sPos;
    this.line = this.sLine;
    this.lineStart = this.sLineStart;
    this.kind = this.sKind;
    this.start = this.sStart;
    this.end = this.sEnd;
    this.tokLine = this.sTokLine;
    this.tokCol = this.sTokCol;
  }

  /** Moves the cursor (and the current token) back to a remembered place. */
  rewind(pos: number, line: number, lineStart: number): void {
    this.pos = pos;
    this.line = line;
    this.lineStart = lineStart;
  }

  /** Scans the next token in expression/structure mode. */
  next(): void {
    const src = this.src;
    const len = this.len;
    let p = this.pos;
    let c = 0;
    // Skip spaces and comments; newlines are tokens.
    for (;;) {
      if (p >= len) {
        this.setTok(T_EOF, p, p);
        return;
      }
      c = src.charCodeAt(p);
      if (c === 32 || c === 9 || c === 13) {
        p++;
      } else if (c === 35 || (c === 47 && src.charCodeAt(p + 1) === 47)) {
        const nl = src.indexOf('\n', p);
        p = nl < 0 ? len : nl;
      } else if (c === 47 && src.charCodeAt(p + 1) === 42) {
        p = this.skipBlockComment(p);
      } else {
        break;
      }
    }
    const start = p;
    switch (c) {
      case 10:
        this.setTok(T_NEWLINE, start, p + 1);
        this.line++;
        this.lineStart = p + 1;
        return;
      case 34:
        this.setTok(T_OQUOTE, start, p + 1);
        return;
      case 123:
        this.setTok(T_LBRACE, start, p + 1);
        return;
      case 125:
        this.setTok(T_RBRACE, start, p + 1);
        return;
      case 91:
        this.setTok(T_LBRACK, start, p + 1);
        return;
      case 93:
        this.setTok(T_RBRACK, start, p + 1);
        return;
      case 40:
        this.setTok(T_LPAREN, start, p + 1);
        return;
      case 41:
        this.setTok(T_RPAREN, start, p + 1);
        return;
      case 44:
        this.setTok(T_COMMA, start, p + 1);
        return;
      case 46:
        if (src.charCodeAt(p + 1) === 46 && src.charCodeAt(p + 2) === 46) this.setTok(T_ELLIPSIS, start, p + 3);
        else this.setTok(T_DOT, start, p + 1);
        return;
      case 58:
        if (src.charCodeAt(p + 1) === 58) this.setTok(T_DCOLON, start, p + 2);
        else this.setTok(T_COLON, start, p + 1);
        return;
      case 63:
        this.setTok(T_QUESTION, start, p + 1);
        return;
      case 61: {
        const d = src.charCodeAt(p + 1);
        if (d === 61) this.setTok(T_EQ, start, p + 2);
        else if (d === 62) this.setTok(T_ARROW, start, p + 2);
        else this.setTok(T_ASSIGN, start, p + 1);
        return;
      }
      case 33:
        if (src.charCodeAt(p + 1) === 61) this.setTok(T_NE, start, p + 2);
        else this.setTok(T_BANG, start, p + 1);
        return;
      case 60:
        if (src.charCodeAt(p + 1) === 60) {
          this.scanHeredocIntro(p);
          return;
        }
        if (src.charCodeAt(p + 1) === 61) this.setTok(T_LE, start, p + 2);
        else this.setTok(T_LT, start, p + 1);
        return;
      case 62:
        if (src.charCodeAt(p + 1) === 61) this.setTok(T_GE, start, p + 2);
        else this.setTok(T_GT, start, p + 1);
        return;
      case 43:
        this.setTok(T_PLUS, start, p + 1);
        return;
      case 45:
        this.setTok(T_MINUS, start, p + 1);
        return;
      case 42:
        this.setTok(T_STAR, start, p + 1);
        return;
      case 47:
        this.setTok(T_SLASH, start, p + 1);
        return;
      case 37:
        this.setTok(T_PERCENT, start, p + 1);
        return;
      case 38:
        if (src.charCodeAt(p + 1) === 38) {
          this.setTok(T_AND, start, p + 2);
        } else {
          this.invalid(start, p + 1, 'bitwise operators are not supported; did you mean "&&"?');
        }
        return;
      case 124:
        if (src.charCodeAt(p + 1) === 124) {
          this.setTok(T_OR, start, p + 2);
        } else {
          this.invalid(start, p + 1, 'bitwise operators are not supported; did you mean "||"?');
        }
        return;
      case 126:
        if (src.charCodeAt(p + 1) === 125) {
          this.setTok(T_STRIP_RBRACE, start, p + 2);
        } else {
          this.invalid(start, p + 1, '"~" is only valid as a strip marker next to "{" or "}" in a template');
        }
        return;
      case 39:
        this.invalid(start, p + 1, 'single quotes are not valid; use double quotes (") to enclose strings');
        return;
      default:
        break;
    }
    if (c < 128) {
      const cls = CLASS[c] ?? 0;
      if ((cls & 4) !== 0) {
        this.scanNumber(p);
        return;
      }
      if ((cls & 1) !== 0) {
        p++;
        while (p < len) {
          const d = src.charCodeAt(p);
          if (d < 128) {
            if (((CLASS[d] ?? 0) & 2) === 0) break;
            p++;
          } else {
            const w = this.uniIdentWidth(p, false);
            if (w === 0) break;
            p += w;
          }
        }
        this.setTok(T_IDENT, start, p);
        return;
      }
      this.invalid(start, p + 1, `invalid character ${describeChar(c)}`);
      return;
    }
    const w = this.uniIdentWidth(p, true);
    if (w > 0) {
      p += w;
      while (p < len) {
        const d = src.charCodeAt(p);
        if (d < 128) {
          if (((CLASS[d] ?? 0) & 2) === 0) break;
          p++;
        } else {
          const w2 = this.uniIdentWidth(p, false);
          if (w2 === 0) break;
          p += w2;
        }
      }
      this.setTok(T_IDENT, start, p);
      return;
    }
    const cp = src.codePointAt(p) ?? c;
    this.invalid(start, p + (cp > 0xffff ? 2 : 1), `invalid character ${describeChar(cp)}`);
  }

  private setTok(kind: number, start: number, end: number): void {
    this.kind = kind;
    this.start = start;
    this.end = end;
    this.tokLine = this.line;
    this.tokCol = start - this.lineStart + 1;
    this.pos = end;
  }

  private invalid(start: number, end: number, message: string): void {
    this.setTok(T_INVALID, start, end);
    this.invalidMessage = message;
  }

  /** Width in UTF-16 units of a non-ASCII identifier character at p, or 0. */
  private uniIdentWidth(p: number, first: boolean): number {
    const cp = this.src.codePointAt(p);
    if (cp === undefined) return 0;
    const ch = String.fromCodePoint(cp);
    const ok = first ? UNI_ID_START.test(ch) : UNI_ID_CONTINUE.test(ch);
    return ok ? ch.length : 0;
  }

  private skipBlockComment(p: number): number {
    const src = this.src;
    const startLine = this.line;
    const startCol = p - this.lineStart + 1;
    const close = src.indexOf('*/', p + 2);
    const stop = close < 0 ? this.len : close + 2;
    // Keep line bookkeeping right across the comment.
    let nl = src.indexOf('\n', p);
    while (nl >= 0 && nl < stop) {
      this.line++;
      this.lineStart = nl + 1;
      nl = src.indexOf('\n', nl + 1);
    }
    if (close < 0) this.error(startLine, startCol, 'unterminated comment: "/*" has no closing "*/"');
    return stop;
  }

  private scanNumber(p: number): void {
    const src = this.src;
    const start = p;
    p++;
    while (isDigit(src.charCodeAt(p))) p++;
    // Like HCL: `1.e3` is a number, and extra groups (`0.1.2`, `1.5.e3`) stay in the token so
    // the parser rejects it whole.
    while (src.charCodeAt(p) === 46) {
      const d = src.charCodeAt(p + 1);
      if (isDigit(d)) {
        p += 2;
        while (isDigit(src.charCodeAt(p))) p++;
        continue;
      }
      if (d === 101 || d === 69) {
        const s = src.charCodeAt(p + 2);
        if (isDigit(s) || ((s === 43 || s === 45) && isDigit(src.charCodeAt(p + 3)))) p++;
      }
      break;
    }
    const e = src.charCodeAt(p);
    if (e === 101 || e === 69) {
      const s = src.charCodeAt(p + 1);
      if (isDigit(s)) {
        p += 2;
        while (isDigit(src.charCodeAt(p))) p++;
      } else if ((s === 43 || s === 45) && isDigit(src.charCodeAt(p + 2))) {
        p += 3;
        while (isDigit(src.charCodeAt(p))) p++;
      }
    }
    this.setTok(T_NUMBER, start, p);
  }

  /** `<<EOT` or `<<-EOT` followed by a newline; the newline itself is left for the template scan. */
  private scanHeredocIntro(p: number): void {
    const src = this.src;
    const start = p;
    let q = p + 2;
    let flush = false;
    if (src.charCodeAt(q) === 45) {
      flush = true;
      q++;
    }
    const nameStart = q;
    const c = src.charCodeAt(q);
    if (c < 128 && ((CLASS[c] ?? 0) & 1) !== 0) {
      q++;
      while (q < this.len) {
        const d = src.charCodeAt(q);
        if (d >= 128 || ((CLASS[d] ?? 0) & 2) === 0) break;
        q++;
      }
    }
    let after = q;
    if (src.charCodeAt(after) === 13) after++;
    if (q === nameStart || (after < this.len && src.charCodeAt(after) !== 10)) {
      this.invalid(start, p + 2, 'a heredoc must be introduced by "<<" or "<<-", a marker name and the end of the line');
      return;
    }
    this.setTok(T_HEREDOC, start, q);
    this.heredocMarker = src.slice(nameStart, q);
    this.heredocFlush = flush;
  }

  /**
   * Reads literal text of a quoted template from the cursor, decoding escapes, into `lit`.
   * Consumes the closing quote, `${` or `%{`; stops before a newline.
   */
  scanQuoted(): number {
    const src = this.src;
    const len = this.len;
    let p = this.pos;
    let seg = p;
    let acc = '';
    for (;;) {
      if (p >= len) {
        this.lit = acc + src.slice(seg, p);
        this.pos = p;
        return TPL_UNTERMINATED;
      }
      const c = src.charCodeAt(p);
      if (c === 34) {
        this.lit = acc + src.slice(seg, p);
        this.pos = p + 1;
        return TPL_END;
      }
      if (c === 10 || (c === 13 && src.charCodeAt(p + 1) === 10)) {
        this.lit = acc + src.slice(seg, p);
        this.pos = p;
        return TPL_UNTERMINATED;
      }
      if (c === 92) {
        acc += src.slice(seg, p);
        p = this.scanEscape(p);
        acc += this.lit;
        seg = p;
        continue;
      }
      if (c === 36 || c === 37) {
        const d = src.charCodeAt(p + 1);
        if (d === 123) {
          this.lit = acc + src.slice(seg, p);
          this.pos = p + 2;
          return c === 36 ? TPL_INTERP : TPL_DIRECTIVE;
        }
        if (d === c && src.charCodeAt(p + 2) === 123) {
          // `$${` and `%%{` stand for a literal `${` / `%{`.
          acc += src.slice(seg, p + 1) + '{';
          p += 3;
          seg = p;
          continue;
        }
      }
      p++;
    }
  }

  /** Decodes the escape at p (a backslash) into `lit`; returns the position after it. */
  private scanEscape(p: number): number {
    const src = this.src;
    const c = src.charCodeAt(p + 1);
    switch (c) {
      case 110:
        this.lit = '\n';
        return p + 2;
      case 114:
        this.lit = '\r';
        return p + 2;
      case 116:
        this.lit = '\t';
        return p + 2;
      case 34:
        this.lit = '"';
        return p + 2;
      case 92:
        this.lit = '\\';
        return p + 2;
      case 117:
      case 85: {
        const n = c === 117 ? 4 : 8;
        let ok = true;
        for (let i = 0; i < n; i++) {
          if (!isHex(src.charCodeAt(p + 2 + i))) {
            ok = false;
            break;
          }
        }
        const cp = ok ? parseInt(src.slice(p + 2, p + 2 + n), 16) : -1;
        if (!ok || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
          this.error(this.line, p - this.lineStart + 1,
            `invalid escape sequence: "\\${String.fromCharCode(c)}" must be followed by ${n} hexadecimal digits of a valid code point`);
          this.lit = '';
          return p + 2;
        }
        this.lit = String.fromCodePoint(cp);
        return p + 2 + n;
      }
      default: {
        if (Number.isNaN(c) || c === 10 || c === 13) {
          this.error(this.line, p - this.lineStart + 1, 'invalid escape sequence: "\\" at the end of the line');
          this.lit = '';
          return p + 1;
        }
        this.error(this.line, p - this.lineStart + 1,
          `invalid escape sequence "\\${src[p + 1] ?? ''}"; valid ones are \\n \\r \\t \\" \\\\ \\uNNNN \\UNNNNNNNN`);
        this.lit = src.slice(p + 1, p + 2);
        return p + 2;
      }
    }
  }

  /**
   * Reads heredoc text from the cursor into `lit`. Literal text is cut after every newline so
   * the parser can see line starts (needed for `<<-` indentation). On TPL_END the cursor is
   * just after the closing marker.
   */
  scanHeredoc(marker: string): number {
    const src = this.src;
    const len = this.len;
    let p = this.pos;
    if (this.atLineStart) {
      let q = p;
      while (q < len) {
        const c = src.charCodeAt(q);
        if (c !== 32 && c !== 9) break;
        q++;
      }
      if (src.startsWith(marker, q)) {
        const after = q + marker.length;
        const e = after < len ? src.charCodeAt(after) : 10;
        if (e === 10 || (e === 13 && src.charCodeAt(after + 1) === 10)) {
          if (after >= len) {
            // HCL wants a newline after the marker; the value is still usable.
            this.error(this.line, q - this.lineStart + 1, `the heredoc closing marker "${marker}" must be followed by a newline`);
          }
          this.lit = '';
          this.pos = after;
          return TPL_END;
        }
      }
      this.atLineStart = false;
    }
    let seg = p;
    let acc = '';
    for (;;) {
      if (p >= len) {
        this.lit = acc + src.slice(seg, p);
        this.pos = p;
        return TPL_UNTERMINATED;
      }
      const c = src.charCodeAt(p);
      if (c === 10) {
        p++;
        this.lit = acc + src.slice(seg, p);
        this.pos = p;
        this.line++;
        this.lineStart = p;
        this.atLineStart = true;
        return TPL_LINE;
      }
      if (c === 36 || c === 37) {
        const d = src.charCodeAt(p + 1);
        if (d === 123) {
          this.lit = acc + src.slice(seg, p);
          this.pos = p + 2;
          return c === 36 ? TPL_INTERP : TPL_DIRECTIVE;
        }
        if (d === c && src.charCodeAt(p + 2) === 123) {
          acc += src.slice(seg, p + 1) + '{';
          p += 3;
          seg = p;
          continue;
        }
      }
      p++;
    }
  }

  /** Recovery: skips the rest of a quoted string whose opening quote was the last token. */
  skipQuoted(): void {
    const src = this.src;
    const len = this.len;
    let p = this.pos;
    let depth = 0;
    while (p < len) {
      const c = src.charCodeAt(p);
      if (c === 10) break;
      if (depth === 0) {
        if (c === 92) {
          p += 2;
          continue;
        }
        if (c === 34) {
          p++;
          break;
        }
        if ((c === 36 || c === 37) && src.charCodeAt(p + 1) === 123) {
          depth = 1;
          p += 2;
          continue;
        }
      } else if (c === 123) {
        depth++;
      } else if (c === 125) {
        depth--;
      } else if (c === 34) {
        // A string nested in an interpolation: skip it flatly.
        p++;
        while (p < len) {
          const d = src.charCodeAt(p);
          if (d === 34 || d === 10) break;
          p += d === 92 ? 2 : 1;
        }
        if (src.charCodeAt(p) !== 34) break;
      }
      p++;
    }
    this.pos = p > len ? len : p;
  }

  /**
   * Recovery: skips the body of the heredoc whose opener is the current token. Returns false,
   * leaving the cursor after the opener line, when the closing marker is missing.
   */
  skipHeredoc(marker: string): boolean {
    const src = this.src;
    const len = this.len;
    const first = src.indexOf('\n', this.pos);
    if (first < 0) return false;
    let ls = first + 1;
    let lines = 1;
    while (ls <= len) {
      let q = ls;
      while (q < len && (src.charCodeAt(q) === 32 || src.charCodeAt(q) === 9)) q++;
      if (src.startsWith(marker, q)) {
        const after = q + marker.length;
        const e = after < len ? src.charCodeAt(after) : 10;
        if (e === 10 || (e === 13 && src.charCodeAt(after + 1) === 10)) {
          this.pos = after;
          this.line += lines;
          this.lineStart = ls;
          return true;
        }
      }
      const nl = src.indexOf('\n', ls);
      if (nl < 0) break;
      ls = nl + 1;
      lines++;
    }
    return false;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function describeChar(cp: number): string {
  if (cp === 0) return 'NUL (U+0000)';
  const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  if (cp < 32 || cp === 127 || (cp >= 0x80 && cp < 0xa0)) return `(${hex})`;
  return `"${String.fromCodePoint(cp)}" (${hex})`;
}
