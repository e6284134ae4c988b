/**
 * The parser of Go's text/template: builds the tree of a template source and the templates it
 * defines ({{define}}, {{block}}). Checks what Go checks at parse time: functions exist,
 * variables are declared in scope, {{break}}/{{continue}} are inside {{range}}.
 */
import { ParseError, Source } from './errors.js';
import { lex, type Token } from './lexer.js';

export interface TextNode { kind: 'text'; pos: number; text: string }
export interface ActionNode { kind: 'action'; pos: number; pipe: PipeNode }
export interface ControlNode { kind: 'if' | 'with' | 'range'; pos: number; pipe: PipeNode; list: ListNode; elseList: ListNode | null }
export interface TemplateNode { kind: 'template'; pos: number; name: string; pipe: PipeNode | null }
export interface LoopControlNode { kind: 'break' | 'continue'; pos: number }
export interface ListNode { kind: 'list'; pos: number; nodes: Node[] }
export type Node = TextNode | ActionNode | ControlNode | TemplateNode | LoopControlNode | ListNode;

export interface PipeNode { kind: 'pipe'; pos: number; isAssign: boolean; decl: VariableNode[]; cmds: CommandNode[] }
export interface CommandNode { kind: 'command'; pos: number; args: ArgNode[] }
export interface FieldNode { kind: 'field'; pos: number; idents: string[] }
/** `$x.a.b`: name "$x", fields ["a", "b"]. */
export interface VariableNode { kind: 'variable'; pos: number; name: string; fields: string[] }
export interface IdentifierNode { kind: 'identifier'; pos: number; name: string }
export interface DotNode { kind: 'dot'; pos: number }
export interface NilNode { kind: 'nil'; pos: number }
export interface BoolNode { kind: 'bool'; pos: number; value: boolean }
export interface NumberNode {
  kind: 'number';
  pos: number;
  text: string;
  isInt: boolean;
  isFloat: boolean;
  isUint: boolean;
  int: bigint;
  float: number;
  isChar: boolean;
}
export interface StringNode { kind: 'string'; pos: number; quoted: string; text: string }
export interface ChainNode { kind: 'chain'; pos: number; node: ArgNode; fields: string[] }
export type ArgNode =
  | FieldNode | VariableNode | IdentifierNode | DotNode | NilNode | BoolNode | NumberNode | StringNode | PipeNode | ChainNode;

/** A named template: a file's body or a {{define}}. */
export interface Tree {
  name: string;
  root: ListNode;
  source: Source;
}

export interface ParseResult {
  /** The source's own body (named after the source). */
  main: Tree;
  /** Templates it defines, in order; a later definition replaces an earlier empty one. */
  defines: Map<string, Tree>;
}

export interface ParseOptions {
  /** Whether a function name exists (unknown functions are parse errors, as in Go). */
  hasFunction: (name: string) => boolean;
  /** Maximum nesting of parentheses and control structures (guards the JS stack). */
  maxDepth?: number;
}

/** Whether a list holds only white space text (a {{define}} of it does not replace another). */
export function isEmptyTree(list: ListNode): boolean {
  return list.nodes.every((n) => {
    if (n.kind === 'text') return n.text.trim() === '';
    if (n.kind === 'list') return isEmptyTree(n);
    return false;
  });
}

interface Marker { kind: 'end' | 'else'; pos: number }

function isMarker(n: Node | Marker): n is Marker {
  return n.kind === 'end' || n.kind === 'else';
}

class Parser {
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private depth = 0;
  private readonly maxDepth: number;
  readonly defines = new Map<string, Tree>();

  constructor(private readonly tokens: Token[], private readonly source: Source, private readonly opts: ParseOptions) {
    this.maxDepth = opts.maxDepth ?? 1000;
  }

  private fail(message: string, pos?: number): never {
    throw new ParseError(message, this.source, pos ?? this.peek().pos);
  }

  private peek(): Token {
    return this.tokens[this.i] ?? { type: 'eof', value: '', pos: this.source.text.length };
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length) this.i++;
    if (t.type === 'error') this.fail(t.value, t.pos);
    return t;
  }

  private backup(count = 1): void {
    this.i -= count;
  }

  private nextNonSpace(): Token {
    let t = this.next();
    while (t.type === 'space') t = this.next();
    return t;
  }

  private peekNonSpace(): Token {
    let j = this.i;
    while (this.tokens[j]?.type === 'space') j++;
    const t = this.tokens[j] ?? { type: 'eof', value: '', pos: this.source.text.length };
    if (t.type === 'error') {
      this.i = j;
      this.fail(t.value, t.pos);
    }
    return t;
  }

  private describe(t: Token): string {
    switch (t.type) {
      case 'eof': return 'EOF';
      case 'keyword': return `<${t.value}>`;
      case 'space': return 'space';
      case 'rightDelim': return '"}}"';
      case 'leftDelim': return '"{{"';
      default: return t.value.length > 10 ? `${JSON.stringify(t.value.slice(0, 10))}...` : JSON.stringify(t.value);
    }
  }

  private unexpected(t: Token, context: string): never {
    this.fail(`unexpected ${this.describe(t)} in ${context}`, t.pos);
  }

  private enter(pos: number): void {
    if (++this.depth > this.maxDepth) this.fail(`max expression depth exceeded (${this.maxDepth})`, pos);
  }

  private leave(): void {
    this.depth--;
  }

  parseFile(): ListNode {
    const root: ListNode = { kind: 'list', pos: 0, nodes: [] };
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'leftDelim') {
        const save = this.i;
        this.next();
        const t = this.nextNonSpace();
        if (t.type === 'keyword' && t.value === 'define') {
          this.parseDefinition();
          continue;
        }
        this.i = save;
      }
      const n = this.textOrAction();
      if (isMarker(n)) this.fail(`unexpected {{${n.kind}}}`, n.pos);
      else root.nodes.push(n);
    }
    return root;
  }

  private addDefine(name: string, list: ListNode, pos: number): void {
    const existing = this.defines.get(name);
    if (existing && !isEmptyTree(existing.root) && !isEmptyTree(list)) {
      this.fail(`template: multiple definition of template "${name}"`, pos);
    }
    if (!existing || isEmptyTree(existing.root)) this.defines.set(name, { name, root: list, source: this.source });
  }

  private parseTemplateName(t: Token, context: string): string {
    if (t.type === 'string' || t.type === 'rawString') return unquote(t, this.source);
    this.unexpected(t, context);
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const nameTok = this.nextNonSpace();
    const name = this.parseTemplateName(nameTok, context);
    const rd = this.nextNonSpace();
    if (rd.type !== 'rightDelim') this.unexpected(rd, context);
    const savedVars = this.vars;
    const savedRange = this.rangeDepth;
    this.vars = ['$'];
    this.rangeDepth = 0;
    const { list, end } = this.itemList();
    if (end.kind !== 'end') this.fail(`unexpected {{${end.kind}}} in ${context}`, end.pos);
    this.vars = savedVars;
    this.rangeDepth = savedRange;
    this.addDefine(name, list, nameTok.pos);
  }

  private itemList(): { list: ListNode; end: Marker } {
    const list: ListNode = { kind: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction();
      if (isMarker(n)) return { list, end: n };
      list.nodes.push(n);
    }
    this.fail('unexpected EOF');
  }

  private textOrAction(): Node | Marker {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'text':
        return { kind: 'text', pos: t.pos, text: t.value };
      case 'leftDelim':
        return this.action();
      default:
        this.unexpected(t, 'input');
    }
  }

  private action(): Node | Marker {
    const t = this.nextNonSpace();
    if (t.type === 'keyword') {
      switch (t.value) {
        case 'block': return this.blockControl();
        case 'break':
        case 'continue': {
          const rd = this.nextNonSpace();
          if (rd.type !== 'rightDelim') this.unexpected(rd, `{{${t.value}}}`);
          if (this.rangeDepth === 0) this.fail(`{{${t.value}}} outside {{range}}`, t.pos);
          return { kind: t.value, pos: t.pos };
        }
        case 'else': {
          const p = this.peekNonSpace();
          if (p.type === 'keyword' && (p.value === 'if' || p.value === 'with')) return { kind: 'else', pos: p.pos };
          const rd = this.nextNonSpace();
          if (rd.type !== 'rightDelim') this.unexpected(rd, 'else');
          return { kind: 'else', pos: t.pos };
        }
        case 'end': {
          const rd = this.nextNonSpace();
          if (rd.type !== 'rightDelim') this.unexpected(rd, 'end');
          return { kind: 'end', pos: t.pos };
        }
        case 'if':
        case 'with':
        case 'range':
          return this.control(t.value, t.pos);
        case 'template':
          return this.templateControl();
        default:
          break;
      }
    }
    this.backup();
    const start = this.peekNonSpace();
    return { kind: 'action', pos: start.pos, pipe: this.pipeline('command', 'rightDelim') };
  }

  private control(context: 'if' | 'with' | 'range', pos: number): ControlNode {
    this.enter(pos);
    const savedVars = this.vars.length;
    const pipe = this.pipeline(context, 'rightDelim');
    if (context === 'range') this.rangeDepth++;
    const { list, end } = this.itemList();
    if (context === 'range') this.rangeDepth--;
    let elseList: ListNode | null = null;
    if (end.kind === 'else') {
      const p = this.peekNonSpace();
      if ((context === 'if' || context === 'with') && p.type === 'keyword' && p.value === context) {
        // {{else if}} / {{else with}}: a nested control that shares the outer {{end}}.
        this.nextNonSpace();
        elseList = { kind: 'list', pos: end.pos, nodes: [this.control(context, p.pos)] };
      } else {
        const r = this.itemList();
        if (r.end.kind !== 'end') this.fail('expected end; found {{else}}', r.end.pos);
        elseList = r.list;
      }
    }
    this.vars.length = savedVars;
    this.leave();
    return { kind: context, pos, pipe, list, elseList };
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const t = this.nextNonSpace();
    const name = this.parseTemplateName(t, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { kind: 'template', pos: t.pos, name, pipe };
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const t = this.nextNonSpace();
    const name = this.parseTemplateName(t, context);
    const pipe = this.pipeline(context, 'rightDelim');
    const savedVars = this.vars;
    const savedRange = this.rangeDepth;
    this.vars = ['$'];
    this.rangeDepth = 0;
    const { list, end } = this.itemList();
    if (end.kind !== 'end') this.fail(`unexpected {{${end.kind}}} in ${context}`, end.pos);
    this.vars = savedVars;
    this.rangeDepth = savedRange;
    this.addDefine(name, list, t.pos);
    return { kind: 'template', pos: t.pos, name, pipe };
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { kind: 'pipe', pos: first.pos, isAssign: false, decl: [], cmds: [] };
    // Declarations: $x := ..., $x = ..., and in range $i, $v := ...
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      const save = this.i;
      this.nextNonSpace();
      const after = this.peekNonSpace();
      if (after.type === 'declare' || after.type === 'assign') {
        this.nextNonSpace();
        pipe.isAssign = after.type === 'assign';
        pipe.decl.push({ kind: 'variable', pos: v.pos, name: v.value, fields: [] });
        this.vars.push(v.value);
        break;
      }
      if (after.type === 'char' && after.value === ',') {
        this.nextNonSpace();
        pipe.decl.push({ kind: 'variable', pos: v.pos, name: v.value, fields: [] });
        this.vars.push(v.value);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = this.peekNonSpace();
          if (p.type === 'variable' || p.type === 'rightDelim' || p.type === 'rightParen') continue;
          this.fail('range can only initialize variables', p.pos);
        }
        this.fail(`too many declarations in ${context}`, after.pos);
      }
      this.i = save;
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`, t.pos);
        pipe.cmds.forEach((c, i) => {
          const k = c.args[0]?.kind;
          if (i > 0 && (k === 'bool' || k === 'dot' || k === 'nil' || k === 'number' || k === 'string')) {
            this.fail(`non executable command in pipeline stage ${i + 1}`, c.pos);
          }
        });
        return pipe;
      }
      switch (t.type) {
        case 'bool': case 'charConstant': case 'dot': case 'field': case 'identifier': case 'number':
        case 'nil': case 'rawString': case 'string': case 'variable': case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private command(): CommandNode {
    const cmd: CommandNode = { kind: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') this.backup();
      else if (t.type !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.fail('empty command', cmd.pos);
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (!node) return null;
    if (this.peek().type !== 'field') return node;
    const fields: string[] = [];
    const pos = this.peek().pos;
    while (this.peek().type === 'field') fields.push(this.next().value.slice(1));
    switch (node.kind) {
      case 'field':
        return { kind: 'field', pos: node.pos, idents: [...node.idents, ...fields] };
      case 'variable':
        return { kind: 'variable', pos: node.pos, name: node.name, fields: [...node.fields, ...fields] };
      case 'bool': case 'string': case 'number': case 'nil': case 'dot':
        this.fail(`unexpected . after term ${JSON.stringify(nodeString(node))}`, pos);
        break;
      default:
        break;
    }
    return { kind: 'chain', pos: node.pos, node, fields };
  }

  private term(): ArgNode | null {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'identifier':
        if (!this.opts.hasFunction(t.value)) this.fail(`function "${t.value}" not defined`, t.pos);
        return { kind: 'identifier', pos: t.pos, name: t.value };
      case 'dot':
        return { kind: 'dot', pos: t.pos };
      case 'nil':
        return { kind: 'nil', pos: t.pos };
      case 'variable':
        if (!this.vars.includes(t.value)) this.fail(`undefined variable "${t.value}"`, t.pos);
        return { kind: 'variable', pos: t.pos, name: t.value, fields: [] };
      case 'field':
        return { kind: 'field', pos: t.pos, idents: [t.value.slice(1)] };
      case 'bool':
        return { kind: 'bool', pos: t.pos, value: t.value === 'true' };
      case 'number':
      case 'charConstant':
        return parseNumber(t, this.source);
      case 'leftParen': {
        this.enter(t.pos);
        const p = this.pipeline('parenthesized pipeline', 'rightParen');
        this.leave();
        return p;
      }
      case 'string':
      case 'rawString':
        return { kind: 'string', pos: t.pos, quoted: t.value, text: unquote(t, this.source) };
      default:
        this.backup();
        return null;
    }
  }
}

/** Parses a template source. Throws ParseError. */
export function parseTemplate(source: Source, opts: ParseOptions): ParseResult {
  const p = new Parser(lex(source.text), source, opts);
  const root = p.parseFile();
  return { main: { name: source.name, root, source }, defines: p.defines };
}

// ---- literals ----

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', '\'': '\'',
};

/** Go's strconv.Unquote for "...", `...` and '...'. */
export function unquote(t: Token, source: Source): string {
  const s = t.value;
  if (s.startsWith('`')) return s.slice(1, -1).replace(/\r/g, '');
  const quote = s[0];
  const body = s.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      if (c === quote) throw new ParseError('invalid syntax', source, t.pos);
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) throw new ParseError('invalid syntax', source, t.pos);
    if (e in SIMPLE_ESCAPES) {
      if ((e === '\'' && quote === '"') || (e === '"' && quote === '\'')) throw new ParseError('invalid syntax', source, t.pos);
      out += SIMPLE_ESCAPES[e];
      continue;
    }
    let hex = '';
    let width = 0;
    if (e === 'x') width = 2;
    else if (e === 'u') width = 4;
    else if (e === 'U') width = 8;
    if (width) {
      hex = body.slice(i + 1, i + 1 + width);
      if (hex.length !== width || !/^[0-9a-fA-F]+$/.test(hex)) throw new ParseError('invalid syntax', source, t.pos);
      i += width;
      const cp = parseInt(hex, 16);
      if (e === 'x') out += String.fromCharCode(cp); // a byte; non-ASCII bytes become U+0080..U+00FF
      else {
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new ParseError('invalid syntax', source, t.pos);
        out += String.fromCodePoint(cp);
      }
      continue;
    }
    if (e >= '0' && e <= '7') {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) throw new ParseError('invalid syntax', source, t.pos);
      i += 2;
      out += String.fromCharCode(parseInt(oct, 8));
      continue;
    }
    throw new ParseError('invalid syntax', source, t.pos);
  }
  return out;
}

function parseGoInt(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  let base = 10;
  let digits = s;
  if (/^0[xX]/.test(s)) { base = 16; digits = s.slice(2); }
  else if (/^0[oO]/.test(s)) { base = 8; digits = s.slice(2); }
  else if (/^0[bB]/.test(s)) { base = 2; digits = s.slice(2); }
  else if (/^0[0-9_]/.test(s)) { base = 8; digits = s.slice(1); }
  if (digits.includes('_')) {
    if (/^_|__|_$/.test(digits) && !(base !== 10 && digits.startsWith('_') && !/__|_$/.test(digits))) return undefined;
    digits = digits.replace(/_/g, '');
  }
  if (digits === '') return base === 8 && s === '0' ? 0n : s === '0' ? 0n : undefined;
  const valid = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return undefined;
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  const v = BigInt(prefix + digits);
  return neg ? -v : v;
}

function parseNumber(t: Token, source: Source): NumberNode {
  const text = t.value;
  const node: NumberNode = {
    kind: 'number', pos: t.pos, text, isInt: false, isFloat: false, isUint: false, int: 0n, float: 0, isChar: false,
  };
  if (t.type === 'charConstant') {
    const s = unquote(t, source);
    const cp = s.codePointAt(0);
    if (cp === undefined || s.length !== String.fromCodePoint(cp).length) throw new ParseError(`malformed character constant: ${text}`, source, t.pos);
    node.isChar = true;
    node.isInt = node.isFloat = true;
    node.int = BigInt(cp);
    node.float = cp;
    return node;
  }
  if (text.length > 400) throw new ParseError(`illegal number syntax: "${text.slice(0, 20)}..."`, source, t.pos);
  if (text.endsWith('i')) throw new ParseError(`complex numbers are not supported: "${text}"`, source, t.pos);
  const asInt = parseGoInt(text);
  if (asInt !== undefined) {
    if (asInt >= -(1n << 63n) && asInt < (1n << 63n)) {
      node.isInt = true;
      node.int = asInt;
    }
    if (asInt >= 0n && asInt < (1n << 64n)) node.isUint = true;
    if (node.isInt || node.isUint) {
      node.isFloat = true;
      node.float = Number(asInt);
      return node;
    }
  }
  const f = parseGoFloat(text);
  if (f !== undefined) {
    if (!/[.eEpP]/.test(text)) throw new ParseError(`integer overflow: "${text}"`, source, t.pos);
    node.isFloat = true;
    node.float = f;
    if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
      node.isInt = true;
      node.int = BigInt(f);
    }
    return node;
  }
  throw new ParseError(`illegal number syntax: "${text}"`, source, t.pos);
}

function parseGoFloat(text: string): number | undefined {
  const s = text.replace(/_/g, '');
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(s);
  if (hex) {
    const mant = parseInt((hex[2] ?? '') + (hex[3] ?? '') || '0', 16);
    const exp = Number(hex[4]) - 4 * (hex[3] ?? '').length;
    const v = mant * 2 ** exp;
    return hex[1] === '-' ? -v : v;
  }
  return undefined;
}

// ---- printing nodes (for "at <...>" in error messages) ----

export function nodeString(n: ArgNode | CommandNode): string {
  switch (n.kind) {
    case 'field': return `.${n.idents.join('.')}`;
    case 'variable': return [n.name, ...n.fields].join('.');
    case 'identifier': return n.name;
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'bool': return String(n.value);
    case 'number': return n.text;
    case 'string': return n.quoted;
    case 'chain': return `${nodeString(n.node)}.${n.fields.join('.')}`;
    case 'command': return n.args.map((a) => (a.kind === 'pipe' ? `(${pipeString(a)})` : nodeString(a))).join(' ');
    case 'pipe': return `(${pipeString(n)})`;
    default: return '';
  }
}

export function pipeString(p: PipeNode): string {
  const decl = p.decl.length ? `${p.decl.map((d) => d.name).join(', ')} ${p.isAssign ? '=' : ':='} ` : '';
  return decl + p.cmds.map((c) => nodeString(c)).join(' | ');
}
