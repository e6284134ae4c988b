/**
 * Go's regexp (RE2 syntax) on a Pike VM: matching time is linear in the input for every
 * pattern, so a chart cannot stall the renderer with a catastrophic regular expression (as it
 * could with JavaScript's backtracking RegExp). Leftmost-first semantics, as Go's default.
 *
 * Supported: literals and escapes, . ^ $ \A \z \b \B, classes [...] with ranges, negation,
 * POSIX [:alpha:] classes and Perl \d \s \w, Unicode \pL \p{Greek}, groups (capturing, named
 * (?P<n>...) and (?<n>...), non-capturing), flags (?i) (?m) (?s) (?U), repetition * + ? {n,m}
 * with lazy forms, \Q...\E.
 */

export class RegexSyntaxError extends Error {}

type Range = [number, number];

type Inst =
  | { op: 'char'; ranges: Range[]; props: Prop[]; negate: boolean; fold: boolean }
  | { op: 'any'; nl: boolean }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'save'; n: number }
  | { op: 'assert'; kind: 'bot' | 'eot' | 'bol' | 'eol' | 'wb' | 'nwb' }
  | { op: 'match' };

type Node =
  | { t: 'empty' }
  | { t: 'class'; ranges: Range[]; props?: Prop[]; negate: boolean; fold: boolean }
  | { t: 'any'; nl: boolean }
  | { t: 'assert'; kind: 'bot' | 'eot' | 'bol' | 'eol' | 'wb' | 'nwb' }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'group'; n: number | null; node: Node }
  | { t: 'repeat'; node: Node; min: number; max: number; greedy: boolean };

interface Flags { i: boolean; m: boolean; s: boolean; U: boolean }

const POSIX: Record<string, Range[]> = {
  alnum: [[48, 57], [65, 90], [97, 122]],
  alpha: [[65, 90], [97, 122]],
  ascii: [[0, 127]],
  blank: [[9, 9], [32, 32]],
  cntrl: [[0, 31], [127, 127]],
  digit: [[48, 57]],
  graph: [[33, 126]],
  lower: [[97, 122]],
  print: [[32, 126]],
  punct: [[33, 47], [58, 64], [91, 96], [123, 126]],
  space: [[9, 13], [32, 32]],
  upper: [[65, 90]],
  word: [[48, 57], [65, 90], [95, 95], [97, 122]],
  xdigit: [[48, 57], [65, 70], [97, 102]],
};

const PERL: Record<string, Range[]> = {
  d: [[48, 57]],
  s: [[9, 10], [12, 13], [32, 32]],
  w: [[48, 57], [65, 90], [95, 95], [97, 122]],
};

function negateRanges(rs: Range[]): Range[] {
  const sorted = [...rs].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

/** A Unicode property test (\pL, \p{Greek}), checked per character with a cached RegExp. */
interface Prop { re: RegExp; neg: boolean }

const propCache = new Map<string, RegExp>();
function unicodeProp(name: string): RegExp {
  const cached = propCache.get(name);
  if (cached) return cached;
  let re: RegExp;
  try {
    const prop = name === 'Any' ? 'Any' : name.length <= 2 ? `General_Category=${name}` : `Script=${name}`;
    re = new RegExp(`^\\p{${prop}}$`, 'u');
  } catch {
    throw new RegexSyntaxError(`invalid character class range: \\p{${name}}`);
  }
  if (propCache.size < 256) propCache.set(name, re);
  return re;
}

class RegexParser {
  private i = 0;
  private readonly cps: number[];
  ncap = 0;
  names: (string | null)[] = [null];
  /** Unicode properties met in the class being parsed. */
  classProps: Prop[] = [];

  constructor(src: string) {
    this.cps = Array.from(src, (c) => c.codePointAt(0) as number);
  }

  private peek(): number | undefined {
    return this.cps[this.i];
  }

  private err(msg: string): never {
    throw new RegexSyntaxError(msg);
  }

  parse(): Node {
    const n = this.alt({ i: false, m: false, s: false, U: false }, 0);
    if (this.i < this.cps.length) this.err('unexpected )');
    return n;
  }

  private alt(flags: Flags, depth: number): Node {
    if (depth > 1000) this.err('expression nests too deeply');
    const items: Node[] = [this.concat(flags, depth)];
    while (this.peek() === 0x7c) {
      this.i++;
      items.push(this.concat(flags, depth));
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  }

  private concat(flags: Flags, depth: number): Node {
    const items: Node[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === 0x7c || c === 0x29) break;
      // Flag groups change the flags for the rest of this concatenation.
      if (c === 0x28 && this.cps[this.i + 1] === 0x3f) {
        const save = this.i;
        this.i += 2;
        const set = this.flagList();
        if (set && this.peek() === 0x29) {
          this.i++;
          Object.assign(flags, set(flags));
          continue;
        }
        this.i = save;
      }
      let atom = this.atom(flags, depth);
      atom = this.repeat(atom, flags);
      items.push(atom);
    }
    if (items.length === 0) return { t: 'empty' };
    return items.length === 1 ? items[0]! : { t: 'cat', items };
  }

  /** Parses [imsU-]* ; returns a function applying them, or null if not a flag list. */
  private flagList(): ((f: Flags) => Flags) | null {
    const start = this.i;
    let neg = false;
    const on: Partial<Flags> = {};
    for (;;) {
      const c = this.peek();
      if (c === undefined) return null;
      const ch = String.fromCodePoint(c);
      if (ch === '-') {
        if (neg) this.err('invalid or unsupported Perl syntax: `(?-`');
        neg = true;
        this.i++;
        continue;
      }
      if (ch === 'i' || ch === 'm' || ch === 's' || ch === 'U') {
        on[ch] = !neg;
        this.i++;
        continue;
      }
      break;
    }
    if (this.i === start) return null;
    return (f) => ({ ...f, ...on });
  }

  private repeat(atom: Node, flags: Flags): Node {
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number;
      if (c === 0x2a) { min = 0; max = -1; this.i++; } else if (c === 0x2b) { min = 1; max = -1; this.i++; } else if (c === 0x3f) { min = 0; max = 1; this.i++; } else if (c === 0x7b) {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(String.fromCodePoint(...this.cps.slice(this.i, this.i + 24)));
        if (!m) return atom; // a literal {
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
        if (min > 1000 || max > 1000 || (max >= 0 && max < min)) this.err(`invalid repeat count: ${m[0]}`);
        this.i += m[0].length;
      } else return atom;
      if (atom.t === 'empty') this.err('missing argument to repetition operator');
      let greedy = true;
      if (this.peek() === 0x3f) {
        greedy = false;
        this.i++;
      }
      if (flags.U) greedy = !greedy;
      if (atom.t === 'repeat') this.err('invalid nested repetition operator');
      atom = { t: 'repeat', node: atom, min, max, greedy };
    }
  }

  private atom(flags: Flags, depth: number): Node {
    const c = this.peek() as number;
    this.i++;
    switch (c) {
      case 0x28: { // (
        let n: number | null = null;
        let inner = { ...flags };
        if (this.peek() === 0x3f) {
          this.i++;
          const p = this.peek();
          if (p === 0x50 || p === 0x3c) { // P< or <
            if (p === 0x50) this.i++;
            if (this.peek() !== 0x3c) this.err('invalid named capture');
            this.i++;
            let name = '';
            while (this.peek() !== undefined && this.peek() !== 0x3e) name += String.fromCodePoint(this.cps[this.i++] as number);
            if (this.peek() !== 0x3e || !/^[A-Za-z0-9_]+$/.test(name)) this.err(`invalid named capture: ${name}`);
            this.i++;
            n = ++this.ncap;
            this.names[n] = name;
          } else {
            const set = this.flagList();
            if (set) inner = set(inner);
            if (this.peek() !== 0x3a) this.err('invalid or unsupported Perl syntax');
            this.i++;
          }
        } else {
          n = ++this.ncap;
          this.names[n] = null;
        }
        const node = this.alt(inner, depth + 1);
        if (this.peek() !== 0x29) this.err('missing closing )');
        this.i++;
        return { t: 'group', n, node };
      }
      case 0x2e: return { t: 'any', nl: flags.s };
      case 0x5e: return { t: 'assert', kind: flags.m ? 'bol' : 'bot' };
      case 0x24: return { t: 'assert', kind: flags.m ? 'eol' : 'eot' };
      case 0x5b: return this.charClass(flags);
      case 0x5c: return this.escape(flags, false) as Node;
      case 0x2a: case 0x2b: case 0x3f:
        return this.err('missing argument to repetition operator');
      default:
        return { t: 'class', ranges: [[c, c]], negate: false, fold: flags.i };
    }
  }

  /** After a backslash. In a class, returns ranges; outside, a node. */
  private escape(flags: Flags, inClass: boolean): Node | Range[] {
    const c = this.peek();
    if (c === undefined) this.err('trailing backslash at end of expression');
    this.i++;
    const ch = String.fromCodePoint(c);
    const lit = (cp: number): Node | Range[] => (inClass ? [[cp, cp]] : { t: 'class', ranges: [[cp, cp]], negate: false, fold: flags.i });
    const cls = (rs: Range[], neg: boolean): Node | Range[] => (inClass ? (neg ? negateRanges(rs) : rs) : { t: 'class', ranges: rs, negate: neg, fold: false });
    switch (ch) {
      case 'a': return lit(7);
      case 'f': return lit(12);
      case 't': return lit(9);
      case 'n': return lit(10);
      case 'r': return lit(13);
      case 'v': return lit(11);
      case 'd': case 's': case 'w': return cls(PERL[ch]!, false);
      case 'D': case 'S': case 'W': return cls(PERL[ch.toLowerCase()]!, true);
      case 'p': case 'P': {
        let name: string;
        if (this.peek() === 0x7b) {
          const end = this.cps.indexOf(0x7d, this.i);
          if (end < 0) this.err('invalid character class range');
          name = String.fromCodePoint(...this.cps.slice(this.i + 1, end));
          this.i = end + 1;
        } else {
          const n = this.peek();
          if (n === undefined) this.err('invalid character class range');
          name = String.fromCodePoint(n);
          this.i++;
        }
        let neg = ch === 'P';
        if (name.startsWith('^')) {
          neg = !neg;
          name = name.slice(1);
        }
        const prop: Prop = { re: unicodeProp(name), neg };
        if (inClass) {
          this.classProps.push(prop);
          return [];
        }
        return { t: 'class', ranges: [], props: [prop], negate: false, fold: false };
      }
      case 'x': {
        let hex: string;
        if (this.peek() === 0x7b) {
          const end = this.cps.indexOf(0x7d, this.i);
          if (end < 0) this.err('invalid escape sequence');
          hex = String.fromCodePoint(...this.cps.slice(this.i + 1, end));
          this.i = end + 1;
        } else {
          hex = String.fromCodePoint(...this.cps.slice(this.i, this.i + 2));
          this.i += 2;
        }
        if (!/^[0-9a-fA-F]{1,8}$/.test(hex) || parseInt(hex, 16) > 0x10ffff) this.err('invalid escape sequence');
        return lit(parseInt(hex, 16));
      }
      case 'Q': {
        if (inClass) this.err('invalid escape sequence: \\Q');
        const items: Node[] = [];
        while (this.i < this.cps.length) {
          if (this.cps[this.i] === 0x5c && this.cps[this.i + 1] === 0x45) {
            this.i += 2;
            break;
          }
          const cp = this.cps[this.i++] as number;
          items.push({ t: 'class', ranges: [[cp, cp]], negate: false, fold: flags.i });
        }
        return { t: 'cat', items };
      }
      default:
        break;
    }
    if (!inClass) {
      if (ch === 'A') return { t: 'assert', kind: 'bot' };
      if (ch === 'z') return { t: 'assert', kind: 'eot' };
      if (ch === 'b') return { t: 'assert', kind: 'wb' };
      if (ch === 'B') return { t: 'assert', kind: 'nwb' };
    }
    if (c >= 0x30 && c <= 0x37) {
      // Octal: \0 up to three digits (\1-\7 only as octal when followed by more digits, as in Go).
      let s = ch;
      while (s.length < 3 && this.peek() !== undefined && this.peek()! >= 0x30 && this.peek()! <= 0x37) s += String.fromCodePoint(this.cps[this.i++] as number);
      if (ch !== '0' && s.length === 1) this.err(`invalid escape sequence: \\${ch}`);
      return lit(parseInt(s, 8));
    }
    if (c < 0x80 && !/[A-Za-z0-9]/.test(ch)) return lit(c);
    return this.err(`invalid escape sequence: \\${ch}`);
  }

  private charClass(flags: Flags): Node {
    const savedProps = this.classProps;
    this.classProps = [];
    let negate = false;
    if (this.peek() === 0x5e) {
      negate = true;
      this.i++;
    }
    const ranges: Range[] = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.err('missing closing ]');
      if (c === 0x5d && !first) {
        this.i++;
        break;
      }
      first = false;
      if (c === 0x5b && this.cps[this.i + 1] === 0x3a) {
        const end = this.cps.indexOf(0x3a, this.i + 2);
        if (end > 0 && this.cps[end + 1] === 0x5d) {
          let name = String.fromCodePoint(...this.cps.slice(this.i + 2, end));
          let neg = false;
          if (name.startsWith('^')) {
            neg = true;
            name = name.slice(1);
          }
          const rs = POSIX[name];
          if (!rs) this.err(`invalid character class range: [:${name}:]`);
          ranges.push(...(neg ? negateRanges(rs) : rs));
          this.i = end + 2;
          continue;
        }
      }
      let lo: number;
      if (c === 0x5c) {
        this.i++;
        const r = this.escape(flags, true) as Range[];
        if (r.length !== 1 || r[0]![0] !== r[0]![1]) {
          ranges.push(...r);
          continue;
        }
        lo = r[0]![0];
      } else {
        lo = c;
        this.i++;
      }
      let hi = lo;
      if (this.peek() === 0x2d && this.cps[this.i + 1] !== undefined && this.cps[this.i + 1] !== 0x5d) {
        this.i++;
        const d = this.peek() as number;
        if (d === 0x5c) {
          this.i++;
          const r = this.escape(flags, true) as Range[];
          if (r.length !== 1 || r[0]![0] !== r[0]![1]) this.err('invalid character class range');
          hi = r[0]![0];
        } else {
          hi = d;
          this.i++;
        }
        if (hi < lo) this.err('invalid character class range');
      }
      ranges.push([lo, hi]);
    }
    const props = this.classProps;
    this.classProps = savedProps;
    return { t: 'class', ranges, props, negate, fold: flags.i };
  }
}

function compile(node: Node): Inst[] {
  const prog: Inst[] = [];
  const emit = (inst: Inst): number => {
    prog.push(inst);
    if (prog.length > 100_000) throw new RegexSyntaxError('expression too large');
    return prog.length - 1;
  };
  const gen = (n: Node): void => {
    switch (n.t) {
      case 'empty': return;
      case 'class': emit({ op: 'char', ranges: n.ranges, props: n.props ?? [], negate: n.negate, fold: n.fold }); return;
      case 'any': emit({ op: 'any', nl: n.nl }); return;
      case 'assert': emit({ op: 'assert', kind: n.kind }); return;
      case 'cat': n.items.forEach(gen); return;
      case 'group':
        if (n.n !== null) emit({ op: 'save', n: 2 * n.n });
        gen(n.node);
        if (n.n !== null) emit({ op: 'save', n: 2 * n.n + 1 });
        return;
      case 'alt': {
        const jumps: number[] = [];
        n.items.forEach((item, idx) => {
          if (idx < n.items.length - 1) {
            const split = emit({ op: 'split', x: 0, y: 0 });
            (prog[split] as { x: number }).x = prog.length;
            gen(item);
            jumps.push(emit({ op: 'jmp', x: 0 }));
            (prog[split] as { y: number }).y = prog.length;
          } else gen(item);
        });
        for (const j of jumps) (prog[j] as { x: number }).x = prog.length;
        return;
      }
      case 'repeat': {
        for (let k = 0; k < n.min; k++) gen(n.node);
        if (n.max < 0) {
          const split = emit({ op: 'split', x: 0, y: 0 });
          const body = prog.length;
          gen(n.node);
          emit({ op: 'jmp', x: split });
          const after = prog.length;
          prog[split] = n.greedy ? { op: 'split', x: body, y: after } : { op: 'split', x: after, y: body };
        } else {
          const splits: number[] = [];
          for (let k = n.min; k < n.max; k++) {
            splits.push(emit({ op: 'split', x: 0, y: 0 }));
            gen(n.node);
          }
          const after = prog.length;
          for (const s of splits) {
            const body = s + 1;
            prog[s] = n.greedy ? { op: 'split', x: body, y: after } : { op: 'split', x: after, y: body };
          }
        }
        return;
      }
      default:
        return;
    }
  };
  gen(node);
  emit({ op: 'match' });
  return prog;
}

function foldCase(cp: number): number[] {
  const s = String.fromCodePoint(cp);
  const lo = s.toLowerCase();
  const up = s.toUpperCase();
  const out = new Set([cp]);
  if ([...lo].length === 1) out.add(lo.codePointAt(0) as number);
  if ([...up].length === 1) out.add(up.codePointAt(0) as number);
  return [...out];
}

function inRanges(rs: Range[], cp: number): boolean {
  for (const [lo, hi] of rs) if (cp >= lo && cp <= hi) return true;
  return false;
}

function isWordChar(cp: number | undefined): boolean {
  return cp !== undefined && ((cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || cp === 95 || (cp >= 97 && cp <= 122));
}

interface Thread { pc: number; caps: number[] }

/** A compiled regular expression. Positions are code point indexes into the input. */
export class GoRegexp {
  private readonly prog: Inst[];
  readonly numCap: number;
  readonly names: (string | null)[];

  constructor(readonly source: string, private readonly tick: (n: number) => void = () => undefined) {
    if (source.length > 100_000) throw new RegexSyntaxError('expression too large');
    const p = new RegexParser(source);
    const ast = p.parse();
    this.prog = compile(ast);
    this.numCap = p.ncap;
    this.names = p.names;
  }

  private matchChar(inst: Extract<Inst, { op: 'char' }>, cp: number): boolean {
    let ok = inRanges(inst.ranges, cp);
    if (!ok && inst.fold) ok = foldCase(cp).some((c) => inRanges(inst.ranges, c));
    if (!ok && inst.props.length > 0) {
      const ch = String.fromCodePoint(cp);
      ok = inst.props.some((p) => p.re.test(ch) !== p.neg);
    }
    return ok !== inst.negate;
  }

  private assertOk(kind: string, input: number[], pos: number): boolean {
    switch (kind) {
      case 'bot': return pos === 0;
      case 'eot': return pos === input.length;
      case 'bol': return pos === 0 || input[pos - 1] === 10;
      case 'eol': return pos === input.length || input[pos] === 10;
      case 'wb': return isWordChar(input[pos - 1]) !== isWordChar(input[pos]);
      case 'nwb': return isWordChar(input[pos - 1]) === isWordChar(input[pos]);
      default: return false;
    }
  }

  /** Finds the leftmost-first match at or after `start`: [start, end, cap1s, cap1e, ...] or null. */
  exec(input: number[], start: number): number[] | null {
    const prog = this.prog;
    const ncap = 2 * (this.numCap + 1);
    let clist: Thread[] = [];
    let nlist: Thread[] = [];
    let matched: number[] | null = null;
    const onList = new Int32Array(prog.length).fill(-1);
    let gen = 0;

    const add = (list: Thread[], pc: number, caps: number[], pos: number): void => {
      const stack: Array<{ pc: number; caps: number[] }> = [{ pc, caps }];
      while (stack.length) {
        const { pc: p, caps: c } = stack.pop()!;
        if (onList[p] === gen) continue;
        onList[p] = gen;
        const inst = prog[p]!;
        switch (inst.op) {
          case 'jmp': stack.push({ pc: inst.x, caps: c }); break;
          case 'split':
            stack.push({ pc: inst.y, caps: c });
            stack.push({ pc: inst.x, caps: c });
            break;
          case 'save': {
            const nc = c.slice();
            if (inst.n < ncap) nc[inst.n] = pos;
            stack.push({ pc: p + 1, caps: nc });
            break;
          }
          case 'assert':
            if (this.assertOk(inst.kind, input, pos)) stack.push({ pc: p + 1, caps: c });
            break;
          default:
            list.push({ pc: p, caps: c });
        }
      }
    };

    const empty = new Array<number>(ncap).fill(-1);
    for (let pos = start; ; pos++) {
      if (matched === null) {
        gen++;
        // Re-mark threads already on the list for this step.
        for (const t of clist) onList[t.pc] = gen;
        const seed = empty.slice();
        seed[0] = pos;
        add(clist, 0, seed, pos);
      }
      if (clist.length === 0) break;
      this.tick(clist.length);
      gen++;
      nlist = [];
      const cp = input[pos];
      for (const t of clist) {
        const inst = prog[t.pc]!;
        if (inst.op === 'match') {
          const caps = t.caps.slice();
          caps[1] = pos;
          matched = caps;
          break; // lower-priority threads are cut off
        }
        if (cp === undefined) continue;
        if ((inst.op === 'char' && this.matchChar(inst, cp)) || (inst.op === 'any' && (inst.nl || cp !== 10))) {
          add(nlist, t.pc + 1, t.caps, pos + 1);
        }
      }
      if (pos >= input.length) break;
      clist = nlist;
    }
    return matched;
  }
}

// ---- the regexp package's string functions, on code point arrays ----

function cpsOf(s: string): number[] {
  return Array.from(s, (c) => c.codePointAt(0) as number);
}

function str(cps: number[], a: number, b: number): string {
  let out = '';
  for (let i = a; i < b; i++) out += String.fromCodePoint(cps[i] as number);
  return out;
}

export function compileRegexp(source: string, tick?: (n: number) => void): GoRegexp {
  return new GoRegexp(source, tick);
}

/** FindAll with Go's rules for empty matches; n < 0 means all. */
function allMatches(re: GoRegexp, cps: number[], n: number): number[][] {
  const out: number[][] = [];
  let prevEnd = -1;
  for (let pos = 0; (n < 0 || out.length < n) && pos <= cps.length;) {
    const m = re.exec(cps, pos);
    if (!m) break;
    let accept = true;
    if (m[1] === pos) {
      if (m[0] === prevEnd) accept = false;
      pos = pos < cps.length ? pos + 1 : cps.length + 1;
    } else pos = m[1] as number;
    prevEnd = m[1] as number;
    if (accept) out.push(m);
  }
  return out;
}

export function regexMatch(re: GoRegexp, s: string): boolean {
  return re.exec(cpsOf(s), 0) !== null;
}

export function regexFind(re: GoRegexp, s: string): string {
  const cps = cpsOf(s);
  const m = re.exec(cps, 0);
  return m ? str(cps, m[0] as number, m[1] as number) : '';
}

export function regexFindAll(re: GoRegexp, s: string, n: number): string[] {
  const cps = cpsOf(s);
  return allMatches(re, cps, n).map((m) => str(cps, m[0] as number, m[1] as number));
}

export function regexSplit(re: GoRegexp, s: string, n: number): string[] {
  if (n === 0) return [];
  if (re.source.length > 0 && s.length === 0) return [''];
  const cps = cpsOf(s);
  const matches = allMatches(re, cps, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    if (n > 0 && out.length === n - 1) break;
    end = m[0] as number;
    if (m[1] !== 0) out.push(str(cps, beg, end));
    beg = m[1] as number;
  }
  if (end !== cps.length) out.push(str(cps, beg, cps.length));
  return out;
}

/** Go's Regexp.Expand of a $1 / ${name} template. */
function expand(re: GoRegexp, template: string, cps: number[], m: number[]): string {
  let out = '';
  let t = template;
  for (;;) {
    const k = t.indexOf('$');
    if (k < 0) break;
    out += t.slice(0, k);
    t = t.slice(k + 1);
    if (t.startsWith('$')) {
      out += '$';
      t = t.slice(1);
      continue;
    }
    let name: string | undefined;
    let rest = t;
    if (t.startsWith('{')) {
      const close = t.indexOf('}');
      const inner = close > 0 ? t.slice(1, close) : '';
      if (close > 0 && /^[A-Za-z0-9_]+$/.test(inner)) {
        name = inner;
        rest = t.slice(close + 1);
      }
    } else {
      const mm = /^[A-Za-z0-9_]+/.exec(t);
      if (mm) {
        name = mm[0];
        rest = t.slice(name.length);
      }
    }
    if (name === undefined) {
      out += '$';
      continue;
    }
    t = rest;
    let idx = -1;
    if (/^[0-9]+$/.test(name)) {
      if (name.length < 9) idx = Number(name);
    } else idx = re.names.indexOf(name);
    if (idx >= 0 && 2 * idx + 1 < m.length && (m[2 * idx] as number) >= 0) out += str(cps, m[2 * idx] as number, m[2 * idx + 1] as number);
  }
  return out + t;
}

export function regexReplaceAll(re: GoRegexp, s: string, repl: string, literal: boolean): string {
  const cps = cpsOf(s);
  let out = '';
  let lastEnd = 0;
  let search = 0;
  while (search <= cps.length) {
    const m = re.exec(cps, search);
    if (!m) break;
    const a0 = m[0] as number;
    const a1 = m[1] as number;
    out += str(cps, lastEnd, a0);
    if (a1 > lastEnd || a0 === 0) out += literal ? repl : expand(re, repl, cps, m);
    lastEnd = a1;
    const width = search < cps.length ? 1 : 0;
    if (search + width > a1) search += width;
    else if (search + 1 > a1) search++;
    else search = a1;
  }
  return out + str(cps, lastEnd, cps.length);
}

/** A match with its capture groups as strings (undefined for a group that did not take part). */
export interface MatchGroups {
  start: number;
  end: number;
  groups: (string | undefined)[];
}

function groupsOf(cps: number[], m: number[]): MatchGroups {
  const groups: (string | undefined)[] = [];
  for (let i = 0; i < m.length; i += 2) {
    const a = m[i] as number;
    const b = m[i + 1] as number;
    groups.push(a >= 0 && b >= 0 ? str(cps, a, b) : undefined);
  }
  return { start: m[0] as number, end: m[1] as number, groups };
}

/** The first match, with groups (like RegExp.exec). */
export function execFirst(re: GoRegexp, s: string): MatchGroups | null {
  const cps = cpsOf(s);
  const m = re.exec(cps, 0);
  return m ? groupsOf(cps, m) : null;
}

/** All successive matches, with groups (like String.matchAll). Positions are code points. */
export function execAll(re: GoRegexp, s: string): MatchGroups[] {
  const cps = cpsOf(s);
  return allMatches(re, cps, -1).map((m) => groupsOf(cps, m));
}

export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
