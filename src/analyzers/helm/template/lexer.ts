/**
 * The lexer of Go's text/template: text, actions between {{ and }}, trim markers ("{{- " and
 * " -}}" remove the adjacent white space, newlines included) and comments ({{/* ... *\/}}).
 */

export type TokenType =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'identifier'
  | 'keyword'
  | 'field'
  | 'variable'
  | 'dot'
  | 'string'
  | 'rawString'
  | 'char'
  | 'charConstant'
  | 'number'
  | 'bool'
  | 'nil'
  | 'pipe'
  | 'declare'
  | 'assign'
  | 'leftParen'
  | 'rightParen'
  | 'eof'
  | 'error';

export interface Token {
  type: TokenType;
  /** The token's text (for text: after trimming; for errors: the message). */
  value: string;
  pos: number;
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'nil', 'template', 'with']);

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isAlphaNumeric(c: string | undefined): boolean {
  if (c === undefined) return false;
  if (c === '_') return true;
  const code = c.charCodeAt(0);
  if ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)) return true;
  if (code < 128) return false;
  return /[\p{L}\p{Nd}]/u.test(c);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function trimRightSpace(s: string): string {
  let end = s.length;
  while (end > 0 && isSpace(s[end - 1])) end--;
  return s.slice(0, end);
}

function trimLeftSpace(s: string): string {
  let start = 0;
  while (start < s.length && isSpace(s[start])) start++;
  return s.slice(start);
}

/** Go's %#U-ish rendering of a character for error messages. */
function describeChar(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}

/**
 * Splits a template into tokens. Stops at the first lexical error, which is returned as an
 * 'error' token (the parser turns it into a ParseError at that position).
 */
export function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let trimNext = false;
  const n = input.length;

  const atRightDelim = (p: number): { delim: boolean; trim: boolean } => {
    if (isSpace(input[p]) && input[p + 1] === '-' && input.startsWith('}}', p + 2)) return { delim: true, trim: true };
    if (input.startsWith('}}', p)) return { delim: true, trim: false };
    return { delim: false, trim: false };
  };

  const isTerminator = (p: number): boolean => {
    const c = input[p];
    return c === undefined || isSpace(c) || c === '.' || c === ',' || c === '|' || c === ':' || c === ')' || c === '(' || c === '}';
  };

  outer: while (pos <= n) {
    const idx = input.indexOf('{{', pos);
    let text = idx < 0 ? input.slice(pos) : input.slice(pos, idx);
    if (trimNext) text = trimLeftSpace(text);
    trimNext = false;
    if (idx < 0) {
      if (text) tokens.push({ type: 'text', value: text, pos });
      break;
    }
    const trimLeft = input[idx + 2] === '-' && isSpace(input[idx + 3]);
    if (trimLeft) text = trimRightSpace(text);
    if (text) tokens.push({ type: 'text', value: text, pos });
    let p = idx + 2 + (trimLeft ? 2 : 0);

    // A comment: {{/* ... */}}, with optional trim markers around it.
    if (input.startsWith('/*', p)) {
      const end = input.indexOf('*/', p + 2);
      if (end < 0) {
        tokens.push({ type: 'error', value: 'unclosed comment', pos: idx });
        return tokens;
      }
      p = end + 2;
      const rd = atRightDelim(p);
      if (!rd.delim) {
        tokens.push({ type: 'error', value: 'comment ends before closing delimiter', pos: idx });
        return tokens;
      }
      p += rd.trim ? 4 : 2;
      trimNext = rd.trim;
      pos = p;
      continue;
    }

    tokens.push({ type: 'leftDelim', value: '{{', pos: idx });
    let parenDepth = 0;
    for (;;) {
      const rd = atRightDelim(p);
      if (rd.delim) {
        if (parenDepth > 0) {
          tokens.push({ type: 'error', value: 'unclosed left paren', pos: p });
          return tokens;
        }
        if (rd.trim) {
          tokens.push({ type: 'rightDelim', value: '}}', pos: p + 2 });
          p += 4;
          trimNext = true;
        } else {
          tokens.push({ type: 'rightDelim', value: '}}', pos: p });
          p += 2;
        }
        pos = p;
        continue outer;
      }
      const c = input[p];
      if (c === undefined) {
        tokens.push({ type: 'error', value: 'unclosed action', pos: idx });
        return tokens;
      }
      const start = p;
      if (isSpace(c)) {
        while (isSpace(input[p])) p++;
        // " -}}": the space belongs to the trim marker.
        if (input[p] === '-' && input.startsWith('}}', p + 1)) {
          p--;
          if (p === start) continue;
        }
        tokens.push({ type: 'space', value: input.slice(start, p), pos: start });
        continue;
      }
      switch (c) {
        case '=':
          tokens.push({ type: 'assign', value: '=', pos: p++ });
          continue;
        case ':':
          if (input[p + 1] !== '=') {
            tokens.push({ type: 'error', value: 'expected :=', pos: p });
            return tokens;
          }
          tokens.push({ type: 'declare', value: ':=', pos: p });
          p += 2;
          continue;
        case '|':
          tokens.push({ type: 'pipe', value: '|', pos: p++ });
          continue;
        case '"': {
          p++;
          for (;;) {
            const d = input[p];
            if (d === '\\') {
              p += 2;
              continue;
            }
            if (d === undefined || d === '\n') {
              tokens.push({ type: 'error', value: 'unterminated quoted string', pos: start });
              return tokens;
            }
            p++;
            if (d === '"') break;
          }
          tokens.push({ type: 'string', value: input.slice(start, p), pos: start });
          continue;
        }
        case '`': {
          const end = input.indexOf('`', p + 1);
          if (end < 0) {
            tokens.push({ type: 'error', value: 'unterminated raw quoted string', pos: start });
            return tokens;
          }
          p = end + 1;
          tokens.push({ type: 'rawString', value: input.slice(start, p), pos: start });
          continue;
        }
        case '\'': {
          p++;
          for (;;) {
            const d = input[p];
            if (d === '\\') {
              p += 2;
              continue;
            }
            if (d === undefined || d === '\n') {
              tokens.push({ type: 'error', value: 'unterminated character constant', pos: start });
              return tokens;
            }
            p++;
            if (d === '\'') break;
          }
          tokens.push({ type: 'charConstant', value: input.slice(start, p), pos: start });
          continue;
        }
        case '$': {
          p++;
          while (isAlphaNumeric(input[p])) p++;
          if (!isTerminator(p)) {
            tokens.push({ type: 'error', value: `bad character ${describeChar(input[p] ?? '')}`, pos: p });
            return tokens;
          }
          tokens.push({ type: 'variable', value: input.slice(start, p), pos: start });
          continue;
        }
        case '.': {
          if (isDigit(input[p + 1])) break; // a number such as .5
          p++;
          if (isTerminator(p)) {
            tokens.push({ type: 'dot', value: '.', pos: start });
            continue;
          }
          while (isAlphaNumeric(input[p])) p++;
          if (p === start + 1 || !isTerminator(p)) {
            tokens.push({ type: 'error', value: `bad character ${describeChar(input[p] ?? '')}`, pos: p });
            return tokens;
          }
          tokens.push({ type: 'field', value: input.slice(start, p), pos: start });
          continue;
        }
        case '(':
          parenDepth++;
          tokens.push({ type: 'leftParen', value: '(', pos: p++ });
          continue;
        case ')':
          parenDepth--;
          if (parenDepth < 0) {
            tokens.push({ type: 'error', value: 'unexpected right paren', pos: p });
            return tokens;
          }
          tokens.push({ type: 'rightParen', value: ')', pos: p++ });
          continue;
        default:
          break;
      }
      if (c === '.' || c === '+' || c === '-' || isDigit(c)) {
        const end = scanNumber(input, p);
        if (end < 0) {
          tokens.push({ type: 'error', value: `bad number syntax: "${input.slice(p, -end)}"`, pos: p });
          return tokens;
        }
        tokens.push({ type: 'number', value: input.slice(p, end), pos: p });
        p = end;
        continue;
      }
      if (isAlphaNumeric(c)) {
        while (isAlphaNumeric(input[p])) p++;
        if (!isTerminator(p)) {
          tokens.push({ type: 'error', value: `bad character ${describeChar(input[p] ?? '')}`, pos: p });
          return tokens;
        }
        const word = input.slice(start, p);
        if (KEYWORDS.has(word)) tokens.push({ type: word === 'nil' ? 'nil' : 'keyword', value: word, pos: start });
        else if (word === 'true' || word === 'false') tokens.push({ type: 'bool', value: word, pos: start });
        else tokens.push({ type: 'identifier', value: word, pos: start });
        continue;
      }
      const code = c.charCodeAt(0);
      if (code >= 0x21 && code < 0x7f) {
        tokens.push({ type: 'char', value: c, pos: p++ });
        continue;
      }
      tokens.push({ type: 'error', value: `unrecognized character in action: ${describeChar(c)}`, pos: p });
      return tokens;
    }
  }
  tokens.push({ type: 'eof', value: '', pos: n });
  return tokens;
}

/** Scans a number literal as Go's lexer does; returns its end, or -(end) when it is malformed. */
function scanNumber(s: string, p: number): number {
  const accept = (set: string): boolean => {
    const c = s[p];
    if (c !== undefined && set.includes(c)) {
      p++;
      return true;
    }
    return false;
  };
  const acceptRun = (set: string): void => {
    while (s[p] !== undefined && set.includes(s[p] as string)) p++;
  };
  accept('+-');
  let digits = '0123456789_';
  if (accept('0')) {
    if (accept('xX')) digits = '0123456789abcdefABCDEF_';
    else if (accept('oO')) digits = '01234567_';
    else if (accept('bB')) digits = '01_';
  }
  acceptRun(digits);
  if (accept('.')) acceptRun(digits);
  if (digits.length === 11 && accept('eE')) {
    accept('+-');
    acceptRun('0123456789_');
  }
  if (digits.length === 23 && accept('pP')) {
    accept('+-');
    acceptRun('0123456789_');
  }
  accept('i');
  if (isAlphaNumeric(s[p])) return -(p + 1);
  return p;
}
