/**
 * GitHub Actions expressions (`${{ ... }}`, job `if:` conditions), evaluated with what can be known
 * statically: which event triggered the run and, for schedules, which cron. Everything else is
 * `UNKNOWN`, and the logic is three-valued: `unknown && false` is false, `unknown || true` is true,
 * anything else with an unknown part is unknown. Nothing is run.
 * https://docs.github.com/en/actions/reference/evaluate-expressions-in-workflows-and-actions
 */

export const UNKNOWN: unique symbol = Symbol('unknown');
export type ExprValue = string | number | boolean | null | ExprValue[] | { [k: string]: ExprValue } | typeof UNKNOWN;

/** Looks a context path up (`['github', 'event_name']`); UNKNOWN when it cannot be known. */
export type Lookup = (path: string[]) => ExprValue;

type Token = { t: 'num'; v: number } | { t: 'str'; v: string } | { t: 'id'; v: string } | { t: 'op'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new Error('unterminated string');
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += src[i];
        i++;
      }
      out.push({ t: 'str', v: s });
      continue;
    }
    const num = /^(0x[0-9a-fA-F]+|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(src.slice(i));
    if (num && (c !== '-' || !out.length || out[out.length - 1]?.t === 'op')) {
      out.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = /^(==|!=|<=|>=|&&|\|\||[!<>().,[\]*])/.exec(src.slice(i));
    if (!op) throw new Error(`unexpected "${c}"`);
    out.push({ t: 'op', v: op[0] });
    i += op[0].length;
  }
  return out;
}

function truthy(v: ExprValue): boolean | typeof UNKNOWN {
  if (v === UNKNOWN) return UNKNOWN;
  if (v === null || v === false || v === 0 || v === '' || (typeof v === 'number' && Number.isNaN(v))) return false;
  return true;
}

function toNumber(v: ExprValue): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return NaN;
}

function equals(a: ExprValue, b: ExprValue): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === 'object' || typeof b === 'object') return a === b;
  if (typeof a === typeof b) return a === b;
  return toNumber(a) === toNumber(b);
}

function str(v: ExprValue): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function fromJson(v: ExprValue): ExprValue {
  if (v === UNKNOWN || typeof v !== 'string') return UNKNOWN;
  try {
    return JSON.parse(v) as ExprValue;
  } catch {
    return UNKNOWN;
  }
}

const FUNCTIONS: Record<string, (args: ExprValue[]) => ExprValue> = {
  // Status checks: a run is assumed to succeed.
  success: () => true,
  always: () => true,
  failure: () => false,
  cancelled: () => false,
  contains: ([a, b]) => {
    if (a === undefined || b === undefined || a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
    if (Array.isArray(a)) return a.some((x) => x !== UNKNOWN && equals(x, b));
    return str(a).toLowerCase().includes(str(b).toLowerCase());
  },
  startsWith: ([a, b]) => (a === undefined || b === undefined || a === UNKNOWN || b === UNKNOWN ? UNKNOWN : str(a).toLowerCase().startsWith(str(b).toLowerCase())),
  endsWith: ([a, b]) => (a === undefined || b === undefined || a === UNKNOWN || b === UNKNOWN ? UNKNOWN : str(a).toLowerCase().endsWith(str(b).toLowerCase())),
  format: ([f, ...rest]) => {
    if (f === undefined || f === UNKNOWN || rest.some((x) => x === UNKNOWN)) return UNKNOWN;
    return str(f).replace(/\{(\d+)\}/g, (_, n: string) => str(rest[Number(n)] ?? ''));
  },
  join: ([a, sep]) => (a === undefined || a === UNKNOWN || sep === UNKNOWN ? UNKNOWN : Array.isArray(a) ? a.map(str).join(sep === undefined ? ',' : str(sep)) : str(a)),
  toJSON: ([a]) => (a === undefined || a === UNKNOWN ? UNKNOWN : JSON.stringify(a)),
  fromJSON: ([a]) => (a === undefined ? UNKNOWN : fromJson(a)),
  hashFiles: () => UNKNOWN,
};

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly lookup: Lookup,
  ) {}

  parse(): ExprValue {
    const v = this.or();
    if (this.i < this.tokens.length) throw new Error(`unexpected "${String(this.tokens[this.i]?.v)}"`);
    return v;
  }

  private peek(v: string): boolean {
    const t = this.tokens[this.i];
    return t !== undefined && t.t === 'op' && t.v === v;
  }

  private eat(v: string): void {
    if (!this.peek(v)) throw new Error(`expected "${v}"`);
    this.i++;
  }

  private or(): ExprValue {
    let left = this.and();
    while (this.peek('||')) {
      this.i++;
      const right = this.and();
      const l = truthy(left);
      if (l === true) continue;
      if (l === false) left = right;
      else left = truthy(right) === true ? right : UNKNOWN;
    }
    return left;
  }

  private and(): ExprValue {
    let left = this.cmp();
    while (this.peek('&&')) {
      this.i++;
      const right = this.cmp();
      const l = truthy(left);
      if (l === false) continue;
      if (l === true) left = right;
      else left = truthy(right) === false ? false : UNKNOWN;
    }
    return left;
  }

  private cmp(): ExprValue {
    let left = this.unary();
    for (;;) {
      const t = this.tokens[this.i];
      if (!t || t.t !== 'op' || !['==', '!=', '<', '<=', '>', '>='].includes(t.v)) return left;
      this.i++;
      const right = this.unary();
      if (left === UNKNOWN || right === UNKNOWN) {
        left = UNKNOWN;
        continue;
      }
      if (t.v === '==') left = equals(left, right);
      else if (t.v === '!=') left = !equals(left, right);
      else {
        const [a, b] = typeof left === 'string' && typeof right === 'string' ? [left.toLowerCase(), right.toLowerCase()] : [toNumber(left), toNumber(right)];
        left = t.v === '<' ? a < b : t.v === '<=' ? a <= b : t.v === '>' ? a > b : a >= b;
      }
    }
  }

  private unary(): ExprValue {
    if (this.peek('!')) {
      this.i++;
      const v = truthy(this.unary());
      return v === UNKNOWN ? UNKNOWN : !v;
    }
    return this.postfix();
  }

  private postfix(): ExprValue {
    const t = this.tokens[this.i];
    if (!t) throw new Error('unexpected end');
    this.i++;
    if (t.t === 'num' || t.t === 'str') return t.v;
    if (t.t === 'op' && t.v === '(') {
      const v = this.or();
      this.eat(')');
      return v;
    }
    if (t.t !== 'id') throw new Error(`unexpected "${t.v}"`);
    if (t.v === 'true' || t.v === 'false') return t.v === 'true';
    if (t.v === 'null') return null;
    if (this.peek('(')) {
      this.i++;
      const args: ExprValue[] = [];
      while (!this.peek(')')) {
        args.push(this.or());
        if (!this.peek(')')) this.eat(',');
      }
      this.eat(')');
      const fn = Object.entries(FUNCTIONS).find(([k]) => k.toLowerCase() === t.v.toLowerCase())?.[1];
      if (!fn) throw new Error(`unknown function ${t.v}()`);
      return fn(args);
    }
    const path = [t.v];
    let computed = false;
    for (;;) {
      if (this.peek('.')) {
        this.i++;
        const n = this.tokens[this.i];
        if (!n || (n.t !== 'id' && !(n.t === 'op' && n.v === '*'))) throw new Error('expected a property name');
        this.i++;
        path.push(String(n.v));
      } else if (this.peek('[')) {
        this.i++;
        const k = this.or();
        this.eat(']');
        if (k === UNKNOWN || typeof k === 'object') computed = true;
        else path.push(str(k));
      } else break;
    }
    return computed || path.includes('*') ? UNKNOWN : this.lookup(path);
  }
}

/** Evaluates one expression (without `${{ }}`); throws on a syntax error. */
export function evaluate(expr: string, lookup: Lookup): ExprValue {
  return new Parser(tokenize(expr), lookup).parse();
}

/** The expression of an `if:` (with or without `${{ }}`). */
export function conditionText(raw: string): string {
  const m = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(raw);
  return (m ? (m[1] as string) : raw).trim();
}

/** An `if:` -> true / false / UNKNOWN (a syntax error is UNKNOWN, with the message). */
export function evaluateCondition(raw: string | boolean | number, lookup: Lookup): { value: boolean | typeof UNKNOWN; error?: string } {
  if (typeof raw !== 'string') return { value: truthy(raw) as boolean };
  try {
    return { value: truthy(evaluate(conditionText(raw), lookup)) };
  } catch (e) {
    return { value: UNKNOWN, error: (e as Error).message };
  }
}

const INTERPOLATION = /\$\{\{([\s\S]*?)\}\}/g;

/**
 * A value that may hold `${{ }}` interpolations: the whole of it when it is one expression (any
 * type), else the text with each interpolation replaced; UNKNOWN when any part is unknown.
 */
export function interpolate(raw: string, lookup: Lookup): ExprValue {
  const whole = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(raw);
  try {
    if (whole) return evaluate(whole[1] as string, lookup);
    let unknown = false;
    const out = raw.replace(INTERPOLATION, (_, e: string) => {
      const v = evaluate(e, lookup);
      if (v === UNKNOWN) unknown = true;
      return v === UNKNOWN ? '' : str(v);
    });
    return unknown ? UNKNOWN : out;
  } catch {
    return UNKNOWN;
  }
}

/** Whether a condition uses a status check function that keeps a job running when a needed job is skipped. */
export function usesStatusFunction(raw: unknown): boolean {
  return typeof raw === 'string' && /\b(always|failure|cancelled)\s*\(/i.test(raw);
}
