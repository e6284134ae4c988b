/**
 * The executor of Go's text/template, with the options Helm sets (missingkey=zero, and
 * "<no value>" removed from what Helm writes out). Follows the package's documented semantics:
 * variable scopes end with their control structure, and/or stop at the first decisive argument,
 * ranges over maps visit keys in sorted order, break/continue end an iteration.
 *
 * Resource limits (steps, output size, nesting depth, wall clock) are enforced here so that a
 * hostile chart ends with an error in bounded time and memory.
 */
import { ExecError, FuncError, LimitError, ParseError, Source, type TemplateErrorKind } from './errors.js';
import { formatV } from './format.js';
import type { TimeValue } from './time.js';
import {
  nodeString, parseTemplate, pipeString,
  type ArgNode, type CommandNode, type ControlNode, type ListNode, type Node, type NumberNode, type PipeNode, type Tree,
} from './parser.js';
import {
  GoInt, GoObject, goInt, goTypeName, hasOwn, isPlainMap, sortedKeys, truth, typeTag, type GoMethod, type ParamType,
} from './values.js';

/** A function callable from templates, with its Go signature. */
export interface FuncDef {
  params: ParamType[];
  variadic?: ParamType;
  fn: (args: unknown[], ctx: CallContext) => unknown;
}

export interface CallContext {
  readonly exec: Executor;
  readonly state: State;
  /** Counts work proportional to a result's size against the step budget. */
  charge(units: number): void;
}

export interface Limits {
  /** Nesting of template/include/tpl calls. */
  maxDepth: number;
  /** Evaluation steps for one rendered template. */
  maxSteps: number;
  /** Evaluation steps for the whole render. */
  maxTotalSteps: number;
  /** Characters one template may output (also caps any single string value). */
  maxOutput: number;
  /** Characters all templates together may output. */
  maxTotalOutput: number;
  /** Elements a function may create at once (until, seq, repeat...). */
  maxCollection: number;
  /** Parenthesis/control nesting in one template source. */
  maxParseDepth: number;
  /** Wall-clock budget for the whole render, in milliseconds. */
  timeoutMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxDepth: 100,
  maxSteps: 1_000_000,
  maxTotalSteps: 10_000_000,
  maxOutput: 16 * 1024 * 1024,
  maxTotalOutput: 64 * 1024 * 1024,
  maxCollection: 1_000_000,
  maxParseDepth: 500,
  timeoutMs: 10_000,
};

/** Named templates visible to an execution; `tpl` adds a layer with the text's own defines. */
export class TemplateSet {
  readonly trees = new Map<string, Tree>();
  constructor(readonly parent?: TemplateSet) {}

  lookup(name: string): Tree | undefined {
    return this.trees.get(name) ?? this.parent?.lookup(name);
  }
}

interface Variable {
  name: string;
  value: unknown;
}

/** The state of one template invocation. */
export interface State {
  tree: Tree;
  set: TemplateSet;
  vars: Variable[];
  depth: number;
  /** The node being evaluated, for error positions. */
  pos: number;
  near: Near;
}

type Near = ArgNode | CommandNode | PipeNode | string | undefined;

function nearString(n: Near): string | undefined {
  if (n === undefined || typeof n === 'string') return n;
  return n.kind === 'pipe' ? pipeString(n) : nodeString(n);
}

const enum Flow { Normal, Break, Continue }

interface Out {
  s: string;
}

/** Go's zero value of a parameter type (what a nil converts to). */
function paramTypeName(t: ParamType): string {
  switch (t) {
    case 'any': return 'interface {}';
    case 'value': return 'reflect.Value';
    case 'map': return 'map[string]interface {}';
    case 'list': return '[]interface {}';
    case 'strings': return '[]string';
    default: return t;
  }
}

const MAP_TYPES_ASSIGNABLE = new Set([undefined, 'chartutil.Values', 'map[string]interface {}']);

/** reflect assignability of a computed value to a parameter type (Go's validateType). */
export function convertValue(v: unknown, t: ParamType): unknown {
  if (v === undefined) {
    if (t === 'any' || t === 'map' || t === 'list' || t === 'strings') return null;
    if (t === 'value') return undefined;
    throw new FuncError(`invalid value; expected ${paramTypeName(t)}`);
  }
  switch (t) {
    case 'any':
    case 'value':
      return v;
    case 'string':
      if (typeof v === 'string') return v;
      break;
    case 'int':
    case 'int64':
      if (v instanceof GoInt && v.kind === t) return v;
      break;
    case 'float64':
      if (typeof v === 'number') return v;
      break;
    case 'bool':
      if (typeof v === 'boolean') return v;
      break;
    case 'map':
      if (isPlainMap(v) && MAP_TYPES_ASSIGNABLE.has(typeTag(v))) return v;
      break;
    case 'list':
      if (Array.isArray(v) && typeTag(v) === undefined) return v;
      break;
    case 'strings':
      if (Array.isArray(v) && typeTag(v) === '[]string') return v;
      break;
    default:
      break;
  }
  const got = v === null ? 'interface {}' : goTypeName(v);
  throw new FuncError(`wrong type for value; expected ${paramTypeName(t)}; got ${got}`);
}

export interface ExecutorOptions {
  funcs: Map<string, FuncDef>;
  limits: Limits;
  /** What `now` returns. */
  nowTime: TimeValue;
  /** Clock for the timeout (injected: the engine reads no globals). */
  now: () => number;
}

/** Runs templates; one per render, shared by all the templates of a chart. */
export class Executor {
  readonly funcs: Map<string, FuncDef>;
  readonly limits: Limits;
  readonly nowTime: TimeValue;
  private readonly clock: () => number;
  private readonly deadline: number;
  totalSteps = 0;
  steps = 0;
  totalOutput = 0;

  constructor(opts: ExecutorOptions) {
    this.funcs = opts.funcs;
    this.limits = opts.limits;
    this.nowTime = opts.nowTime;
    this.clock = opts.now;
    this.deadline = this.clock() + opts.limits.timeoutMs;
  }

  /** Starts the step count of a new top-level template. */
  resetTemplateBudget(): void {
    this.steps = 0;
  }

  tick(n = 1): void {
    this.steps += n;
    this.totalSteps += n;
    if (this.steps > this.limits.maxSteps) {
      throw new LimitError(`template exceeded the engine's step budget (${this.limits.maxSteps} steps): an unbounded loop?`);
    }
    if (this.totalSteps > this.limits.maxTotalSteps) {
      throw new LimitError(`render exceeded the engine's total step budget (${this.limits.maxTotalSteps} steps)`);
    }
    if ((this.totalSteps & 0x3fff) < n && this.clock() > this.deadline) {
      throw new LimitError(`render exceeded the engine's time budget (${this.limits.timeoutMs} ms)`);
    }
  }

  /** Checks the size of a string a function or the output produced. */
  checkSize(len: number, what: string): void {
    if (len > this.limits.maxOutput) {
      throw new LimitError(`${what} exceeds the engine's size limit (${this.limits.maxOutput} characters)`);
    }
  }

  hasFunction(name: string): boolean {
    return this.funcs.has(name);
  }

  /**
   * Parses a source with this executor's functions. Throws ParseError. Trees are immutable, so
   * parses are cached across renders (a pull request renders the same chart twice).
   */
  parse(source: Source): { main: Tree; defines: Map<string, Tree> } {
    const key = `${this.limits.maxParseDepth}\u0000${source.name}\u0000${source.text}`;
    const hit = PARSE_CACHE.get(key);
    if (hit) {
      if (hit instanceof ParseError) throw hit;
      return hit;
    }
    let result: { main: Tree; defines: Map<string, Tree> } | ParseError;
    try {
      result = parseTemplate(source, { hasFunction: (n) => this.funcs.has(n), maxDepth: this.limits.maxParseDepth });
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      result = e;
    }
    if (source.text.length < 1_000_000) {
      if (PARSE_CACHE.size >= PARSE_CACHE_SIZE) {
        const oldest = PARSE_CACHE.keys().next();
        if (!oldest.done) PARSE_CACHE.delete(oldest.value);
      }
      PARSE_CACHE.set(key, result);
    }
    if (result instanceof ParseError) throw result;
    return result;
  }

  // ---- entry points ----

  /** Executes a tree with `data` as dot and $, returning its output. */
  execute(tree: Tree, data: unknown, set: TemplateSet, depth = 0): string {
    const state: State = { tree, set, vars: [{ name: '$', value: data }], depth, pos: tree.root.pos, near: undefined };
    const out: Out = { s: '' };
    try {
      this.walkList(data, tree.root, state, out);
    } catch (e) {
      throw this.toExecError(e, state);
    }
    return out.s;
  }

  /** Gives a position to a limit (or JS stack) error raised outside a function call. */
  private toExecError(e: unknown, state: State): unknown {
    if (e instanceof ExecError) return e;
    const loc = { file: state.tree.source.name, ...state.tree.source.locate(state.pos) };
    if (e instanceof LimitError) return new ExecError(e.message, 'limit', loc, nearString(state.near));
    if (e instanceof RangeError) {
      return new ExecError(`template recursion or nesting too deep for the engine (${e.message})`, 'limit', loc, nearString(state.near));
    }
    return e;
  }

  /** Helm's include: executes a named template into a string. */
  include(name: string, data: unknown, caller: State): string {
    const tree = caller.set.lookup(name);
    if (!tree) throw new FuncError(`template: no template "${name}" associated with template "gotpl"`);
    this.enterDepth(caller, `include "${name}"`);
    return this.execute(tree, data, caller.set, caller.depth + 1);
  }

  /**
   * Helm's tpl: parses `text` as a template named after the calling template (so errors point
   * there), with the defines visible at the call plus the text's own, and executes it.
   */
  tpl(text: string, data: unknown, caller: State): string {
    if (!text.includes('{{') && !text.includes('}}')) return text;
    this.enterDepth(caller, 'tpl');
    let parsed: { main: Tree; defines: Map<string, Tree> };
    try {
      parsed = this.parse(new Source(caller.tree.source.name, text));
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      const shown = JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}...` : text);
      throw new ExecError(`cannot parse template ${shown}: ${e.message}`, 'exec', e.location());
    }
    let set = caller.set;
    if (parsed.defines.size > 0) {
      set = new TemplateSet(caller.set);
      for (const [k, v] of parsed.defines) set.trees.set(k, v);
    }
    const out = this.execute(parsed.main, data, set, caller.depth + 1);
    return out.includes('<no value>') ? out.replaceAll('<no value>', '') : out;
  }

  private enterDepth(state: State, what: string): void {
    if (state.depth + 1 > this.limits.maxDepth) {
      throw new LimitError(`${what}: template calls nested deeper than ${this.limits.maxDepth} levels (infinite recursion?)`);
    }
  }

  // ---- errors ----

  private fail(state: State, message: string, kind: TemplateErrorKind = 'exec'): never {
    const loc = state.tree.source.locate(state.pos);
    throw new ExecError(message, kind, { file: state.tree.source.name, ...loc }, nearString(state.near));
  }

  private at(state: State, pos: number, near?: Near): void {
    state.pos = pos;
    state.near = near;
  }

  // ---- walking ----

  private write(out: Out, s: string, state: State): void {
    if (!s) return;
    this.tick(1 + (s.length >> 10));
    out.s += s;
    this.totalOutput += s.length;
    if (out.s.length > this.limits.maxOutput) {
      this.fail(state, `output exceeds the engine's size limit (${this.limits.maxOutput} characters)`, 'limit');
    }
    if (this.totalOutput > this.limits.maxTotalOutput) {
      this.fail(state, `render output exceeds the engine's total size limit (${this.limits.maxTotalOutput} characters)`, 'limit');
    }
  }

  private walkList(dot: unknown, list: ListNode, state: State, out: Out): Flow {
    for (const n of list.nodes) {
      const f = this.walk(dot, n, state, out);
      if (f !== Flow.Normal) return f;
    }
    return Flow.Normal;
  }

  private walk(dot: unknown, node: Node, state: State, out: Out): Flow {
    this.tick();
    switch (node.kind) {
      case 'text':
        this.write(out, node.text, state);
        return Flow.Normal;
      case 'action': {
        const v = this.evalPipeline(dot, node.pipe, state);
        if (node.pipe.decl.length === 0) {
          this.at(state, node.pos, node.pipe);
          this.write(out, this.printValue(v, state), state);
        }
        return Flow.Normal;
      }
      case 'if':
      case 'with': {
        const mark = state.vars.length;
        try {
          const v = this.evalPipeline(dot, node.pipe, state);
          if (truth(v)) return this.walkList(node.kind === 'with' ? v : dot, node.list, state, out);
          if (node.elseList) return this.walkList(dot, node.elseList, state, out);
          return Flow.Normal;
        } finally {
          state.vars.length = mark;
        }
      }
      case 'range':
        return this.walkRange(dot, node, state, out);
      case 'template':
        this.walkTemplate(dot, node.name, node.pipe, node.pos, state, out);
        return Flow.Normal;
      case 'break':
        return Flow.Break;
      case 'continue':
        return Flow.Continue;
      case 'list':
        return this.walkList(dot, node, state, out);
      default:
        return Flow.Normal;
    }
  }

  private walkRange(dot: unknown, node: ControlNode, state: State, out: Out): Flow {
    const outerMark = state.vars.length;
    try {
      const val = this.evalPipeline(dot, node.pipe, state);
      const mark = state.vars.length;
      const decl = node.pipe.decl;
      const one = (index: unknown, elem: unknown): boolean => {
        this.tick();
        if (decl.length > 0) {
          if (node.pipe.isAssign) {
            if (decl.length > 1) this.setVar(state, decl[0]!.name, index);
            else this.setVar(state, decl[0]!.name, elem);
          } else {
            const top = state.vars[state.vars.length - 1];
            if (top) top.value = elem;
          }
        }
        if (decl.length > 1) {
          if (node.pipe.isAssign) this.setVar(state, decl[1]!.name, elem);
          else {
            const second = state.vars[state.vars.length - 2];
            if (second) second.value = index;
          }
        }
        try {
          const f = this.walkList(elem, node.list, state, out);
          return f !== Flow.Break;
        } finally {
          state.vars.length = mark;
        }
      };
      let ran = false;
      if (Array.isArray(val) || val instanceof Uint8Array) {
        const items: unknown[] = Array.isArray(val) ? val : Array.from(val, (b) => goInt(b, 'uint8'));
        for (let i = 0; i < items.length; i++) {
          ran = true;
          if (!one(goInt(i), items[i] ?? null)) break;
        }
      } else if (val instanceof GoObject && val.kind === 'slice') {
        const items = val.data as unknown[];
        for (let i = 0; i < items.length; i++) {
          ran = true;
          if (!one(goInt(i), items[i] ?? null)) break;
        }
      } else if (isPlainMap(val) || (val instanceof GoObject && val.kind === 'map')) {
        const m = (val instanceof GoObject ? val.data : val) as Record<string, unknown>;
        const asBytes = val instanceof GoObject && val.options.byteValues === true;
        for (const k of sortedKeys(m)) {
          ran = true;
          const elem = m[k];
          if (!one(k, asBytes && typeof elem === 'string' ? new TextEncoder().encode(elem) : elem ?? null)) break;
        }
      } else if (val instanceof GoInt) {
        if (decl.length > 1) this.fail(state, `can't use ${val.value} to iterate over more than one variable`);
        for (let i = 0n; i < val.value; i++) {
          ran = true;
          const v = new GoInt(i, val.kind);
          if (!one(v, v)) break;
        }
      } else if (val !== undefined && val !== null) {
        this.at(state, node.pos);
        this.fail(state, `range can't iterate over ${formatV(val)}`);
      }
      if (!ran && node.elseList) return this.walkList(dot, node.elseList, state, out);
      return Flow.Normal;
    } finally {
      state.vars.length = outerMark;
    }
  }

  private walkTemplate(dot: unknown, name: string, pipe: PipeNode | null, pos: number, state: State, out: Out): void {
    this.at(state, pos, `template "${name}"`);
    const tree = state.set.lookup(name);
    if (!tree) this.fail(state, `template "${name}" not defined`);
    if (state.depth + 1 > this.limits.maxDepth) {
      this.fail(state, `template "${name}": template calls nested deeper than ${this.limits.maxDepth} levels (infinite recursion?)`, 'limit');
    }
    const newDot = pipe ? this.evalPipeline(dot, pipe, state) : undefined;
    const inner: State = { tree, set: state.set, vars: [{ name: '$', value: newDot }], depth: state.depth + 1, pos: tree.root.pos, near: undefined };
    try {
      this.walkList(newDot, tree.root, inner, out);
    } catch (e) {
      throw this.addFrame(this.toExecError(e, inner), state, pos, `template "${name}"`);
    }
  }

  /** Records a call site on an error passing through it. */
  private addFrame(e: unknown, state: State, pos: number, call: string): unknown {
    if (e instanceof ExecError) {
      e.frames.push({ file: state.tree.source.name, ...state.tree.source.locate(pos), call });
    }
    return e;
  }

  // ---- variables ----

  private varValue(state: State, name: string): unknown {
    for (let i = state.vars.length - 1; i >= 0; i--) {
      const v = state.vars[i]!;
      if (v.name === name) return v.value;
    }
    return this.fail(state, `undefined variable: ${name}`);
  }

  private setVar(state: State, name: string, value: unknown): void {
    for (let i = state.vars.length - 1; i >= 0; i--) {
      const v = state.vars[i]!;
      if (v.name === name) {
        v.value = value;
        return;
      }
    }
    this.fail(state, `undefined variable: ${name}`);
  }

  // ---- evaluation ----

  evalPipeline(dot: unknown, pipe: PipeNode, state: State): unknown {
    this.at(state, pipe.pos);
    let value: unknown = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value, state);
      // A nil interface{} becomes "no value", as Go digs into interface results.
      if (value === null) value = undefined;
    }
    for (const d of pipe.decl) {
      if (pipe.isAssign) this.setVar(state, d.name, value);
      else state.vars.push({ name: d.name, value });
    }
    return value;
  }

  private notAFunction(args: ArgNode[], final: unknown, state: State): void {
    if (args.length > 1 || final !== MISSING) {
      this.fail(state, `can't give argument to non-function ${nodeString(args[0]!)}`);
    }
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: unknown, state: State): unknown {
    this.tick();
    const first = cmd.args[0]!;
    switch (first.kind) {
      case 'field':
        this.at(state, first.pos, cmd);
        return this.evalFieldChain(dot, dot, first.idents, cmd.args, final, state);
      case 'chain': {
        this.at(state, first.pos, cmd);
        if (first.node.kind === 'nil') this.fail(state, `indirection through explicit nil in ${nodeString(first)}`);
        const recv = this.evalArgUntyped(dot, first.node, state);
        return this.evalFieldChain(dot, recv, first.fields, cmd.args, final, state);
      }
      case 'identifier':
        this.at(state, first.pos, cmd);
        return this.evalFunction(dot, first.name, cmd.args, final, state);
      case 'pipe':
        this.at(state, first.pos, cmd);
        this.notAFunction(cmd.args, final, state);
        return this.evalPipeline(dot, first, state);
      case 'variable': {
        this.at(state, first.pos, cmd);
        const v = this.varValue(state, first.name);
        if (first.fields.length === 0) {
          this.notAFunction(cmd.args, final, state);
          return v;
        }
        return this.evalFieldChain(dot, v, first.fields, cmd.args, final, state);
      }
      default:
        break;
    }
    this.at(state, first.pos, cmd);
    this.notAFunction(cmd.args, final, state);
    switch (first.kind) {
      case 'bool': return first.value;
      case 'dot': return dot;
      case 'nil': return this.fail(state, 'nil is not a command');
      case 'number': return this.idealConstant(first, state);
      case 'string': return first.text;
      default: return this.fail(state, `can't evaluate command ${nodeString(first)}`);
    }
  }

  private idealConstant(n: NumberNode, state: State): unknown {
    if (n.isFloat && !n.isChar && !/^[+-]?0[xX]/.test(n.text) && /[.eEpP]/.test(n.text)) return n.float;
    if (n.isInt) return new GoInt(n.int, 'int');
    if (n.isUint) return this.fail(state, `${n.text} overflows int`);
    return n.float;
  }

  /** Evaluates an argument whose type is not constrained (chain receivers). */
  private evalArgUntyped(dot: unknown, n: ArgNode, state: State): unknown {
    switch (n.kind) {
      case 'pipe': return this.evalPipeline(dot, n, state);
      default: return this.evalArg(dot, 'any', n, state, true);
    }
  }

  /**
   * Evaluates one argument for a parameter of type `t`: constants are converted as Go's
   * evalArg does, computed values must be assignable (validateType).
   */
  private evalArg(dot: unknown, t: ParamType, n: ArgNode, state: State, untyped = false): unknown {
    this.at(state, n.pos, state.near);
    const validate = (v: unknown): unknown => {
      if (untyped) return v;
      try {
        return convertValue(v, t);
      } catch (e) {
        if (e instanceof FuncError) this.fail(state, e.message);
        throw e;
      }
    };
    switch (n.kind) {
      case 'dot': return validate(dot);
      case 'nil':
        if (t === 'any' || t === 'map' || t === 'list' || t === 'strings' || t === 'value') return null;
        return this.fail(state, `cannot assign nil to ${paramTypeName(t)}`);
      case 'field': return validate(this.evalFieldChain(dot, dot, n.idents, [n], MISSING, state));
      case 'variable': {
        const v = this.varValue(state, n.name);
        return validate(n.fields.length ? this.evalFieldChain(dot, v, n.fields, [n], MISSING, state) : v);
      }
      case 'pipe': return validate(this.evalPipeline(dot, n, state));
      case 'identifier': return validate(this.evalFunction(dot, n.name, [n], MISSING, state));
      case 'chain': {
        if (n.node.kind === 'nil') this.fail(state, `indirection through explicit nil in ${nodeString(n)}`);
        const recv = this.evalArgUntyped(dot, n.node, state);
        return validate(this.evalFieldChain(dot, recv, n.fields, [n], MISSING, state));
      }
      default:
        break;
    }
    const found = nodeString(n);
    switch (t) {
      case 'bool':
        if (n.kind === 'bool') return n.value;
        return this.fail(state, `expected bool; found ${found}`);
      case 'float64':
        if (n.kind === 'number' && n.isFloat) return n.float;
        return this.fail(state, `expected float; found ${found}`);
      case 'int':
      case 'int64':
        if (n.kind === 'number' && n.isInt) return new GoInt(n.int, t);
        return this.fail(state, `expected integer; found ${found}`);
      case 'string':
        if (n.kind === 'string') return n.text;
        return this.fail(state, `expected string; found ${found}`);
      case 'any':
      case 'value':
        if (n.kind === 'bool') return n.value;
        if (n.kind === 'number') return this.idealConstant(n, state);
        if (n.kind === 'string') return n.text;
        break;
      default:
        break;
    }
    return this.fail(state, `can't handle ${found} for arg of type ${paramTypeName(t)}`);
  }

  /**
   * Follows .a.b.c from a receiver. A nil met on the way (a missing map entry) is a nil
   * interface: a field of it is an error, while "no value" (undefined) yields no value.
   */
  private evalFieldChain(dot: unknown, receiver: unknown, idents: string[], args: ArgNode[], final: unknown, state: State): unknown {
    let r = receiver;
    for (let i = 0; i < idents.length - 1; i++) r = this.evalField(dot, idents[i]!, [], MISSING, r, state);
    return this.evalField(dot, idents[idents.length - 1]!, args, final, r, state);
  }

  private evalField(dot: unknown, name: string, args: ArgNode[], final: unknown, receiver: unknown, state: State): unknown {
    this.tick();
    if (receiver === undefined) return undefined;
    if (receiver === null) return this.fail(state, `nil pointer evaluating interface {}.${name}`);
    const hasArgs = args.length > 1 || final !== MISSING;
    if (receiver instanceof GoObject) {
      const method = receiver.methods[name];
      if (method) return this.callMethod(dot, name, method, args, final, state);
      if (receiver.kind === 'struct') {
        if (hasOwn(receiver.data, name)) {
          if (hasArgs) this.fail(state, `${name} has arguments but cannot be invoked as function`);
          return (receiver.data as Record<string, unknown>)[name];
        }
        return this.fail(state, `can't evaluate field ${name} in type ${receiver.typeName}`);
      }
      if (receiver.kind === 'map') {
        if (hasArgs) this.fail(state, `${name} is not a method but has arguments`);
        const data = receiver.data as Record<string, unknown>;
        if (!hasOwn(data, name)) return null;
        const v = data[name];
        return receiver.options.byteValues === true && typeof v === 'string' ? new TextEncoder().encode(v) : v ?? null;
      }
      return this.fail(state, `can't evaluate field ${name} in type ${receiver.typeName}`);
    }
    if (isPlainMap(receiver)) {
      if (hasArgs) this.fail(state, `${name} is not a method but has arguments`);
      // missingkey=zero: the zero value of the map's element type.
      if (!hasOwn(receiver, name)) return typeTag(receiver) === 'map[string]string' ? '' : null;
      const v = receiver[name];
      return v === undefined ? null : v;
    }
    return this.fail(state, `can't evaluate field ${name} in type ${goTypeName(receiver)}`);
  }

  private callMethod(dot: unknown, name: string, m: GoMethod, args: ArgNode[], final: unknown, state: State): unknown {
    return this.call(dot, name, { params: m.params, variadic: m.variadic, fn: (a) => m.call(a) }, args, final, state);
  }

  private evalFunction(dot: unknown, name: string, args: ArgNode[], final: unknown, state: State): unknown {
    const f = this.funcs.get(name);
    if (!f) return this.fail(state, `"${name}" is not a defined function`);
    if (name === 'and' || name === 'or') return this.evalAndOr(dot, name, args, final, state);
    return this.call(dot, name, f, args, final, state);
  }

  /** and/or stop at the first argument that decides the result and return that argument. */
  private evalAndOr(dot: unknown, name: string, args: ArgNode[], final: unknown, state: State): unknown {
    const rest = args.slice(1);
    const n = rest.length + (final === MISSING ? 0 : 1);
    if (n < 1) this.fail(state, `wrong number of args for ${name}: want at least 1 got 0`);
    const wantTrue = name === 'or';
    let v: unknown;
    for (const a of rest) {
      v = this.evalArg(dot, 'value', a, state);
      if (truth(v) === wantTrue) return v;
    }
    if (final !== MISSING) v = final;
    return v;
  }

  private call(dot: unknown, name: string, f: FuncDef, args: ArgNode[], final: unknown, state: State): unknown {
    const rest = args.slice(1);
    const numIn = rest.length + (final === MISSING ? 0 : 1);
    const numFixed = f.params.length;
    const near = state.near;
    const callPos = args[0]?.pos ?? state.pos;
    if (f.variadic !== undefined) {
      if (numIn < numFixed) this.fail(state, `wrong number of args for ${name}: want at least ${numFixed} got ${rest.length}`);
    } else if (numIn !== numFixed) {
      this.fail(state, `wrong number of args for ${name}: want ${numFixed} got ${numIn}`);
    }
    const argv: unknown[] = [];
    let i = 0;
    for (; i < numFixed && i < rest.length; i++) argv.push(this.evalArg(dot, f.params[i]!, rest[i]!, state));
    for (; i < rest.length; i++) argv.push(this.evalArg(dot, f.variadic ?? 'any', rest[i]!, state));
    if (final !== MISSING) {
      const t = argv.length < numFixed ? f.params[argv.length]! : f.variadic ?? 'any';
      this.at(state, callPos, near);
      try {
        argv.push(convertValue(final, t));
      } catch (e) {
        if (e instanceof FuncError) this.fail(state, e.message);
        throw e;
      }
    }
    this.at(state, callPos, near);
    try {
      const result = f.fn(argv, { exec: this, state, charge: (u) => this.tick(Math.ceil(u)) });
      this.chargeResult(result);
      return result;
    } catch (e) {
      if (e instanceof ExecError) throw this.addFrame(e, state, callPos, describeCall(name, argv));
      if (e instanceof LimitError) this.fail(state, e.message, 'limit');
      if (e instanceof FuncError) {
        if (e.kind === 'fail') this.fail(state, e.message, 'fail');
        this.fail(state, `error calling ${name}: ${e.message}`, e.kind);
      }
      if (e instanceof RangeError) this.fail(state, `error calling ${name}: ${e.message}`, 'limit');
      if (e instanceof Error) this.fail(state, `error calling ${name}: ${e.message}`);
      throw e;
    }
  }

  /**
   * Counts a function's result against the budget by its size, so that building large values in
   * a loop (append, printf, toJson...) cannot run for ever within the step limit.
   */
  private chargeResult(v: unknown): void {
    if (typeof v === 'string') {
      if (v.length > this.limits.maxOutput) throw new LimitError(`a value of ${v.length} characters exceeds the engine's size limit (${this.limits.maxOutput})`);
      if (v.length >= 256) this.tick(v.length >> 8);
    } else if (Array.isArray(v)) {
      if (v.length >= 64) this.tick(v.length >> 6);
    }
  }

  /** Go's printing of a pipeline's value ("<no value>" for nothing). */
  private printValue(v: unknown, state: State): string {
    if (v === undefined) return '<no value>';
    try {
      return formatV(v);
    } catch (e) {
      if (e instanceof RangeError) this.fail(state, e.message, 'limit');
      throw e;
    }
  }
}

function describeCall(name: string, argv: unknown[]): string {
  if ((name === 'include' || name === 'template') && typeof argv[0] === 'string') return `${name} "${argv[0]}"`;
  return name;
}

/** Parsed templates by depth limit, name and text (the function set is fixed). */
const PARSE_CACHE = new Map<string, { main: Tree; defines: Map<string, Tree> } | ParseError>();
const PARSE_CACHE_SIZE = 4000;

/** Marks "no final argument" in a pipeline (distinct from nil and no value). */
const MISSING: unique symbol = Symbol('missing');
