/**
 * Reads a Terraform root module (all its `.tf` files plus tfvars) and the local modules it calls
 * into evaluated resources: variables, locals, provider regions, references between resources and
 * module inputs/outputs are resolved statically; `count` and `for_each` expand into instances with
 * Terraform's addresses. Registry and git modules are never downloaded: they are listed as not
 * analysed unless the configuration maps their source to a directory of the repository.
 */
import type { AnalysisError, AnalysisResult, Resource, Value } from '../../core/types.js';
import { isUnknown, unknown } from '../../core/types.js';
import type { Attribute, Block, Body, Expr, Range } from './hcl/ast.js';
import { parseHcl } from './hcl/parser.js';
import type { Scope } from './evaluate.js';
import { EvalError, childScope, entries, evaluate, getAttr, index, isObject, markOpen, toNum, toStr, typeName } from './evaluate.js';
import { applyTypeDefaults } from './types.js';
import { dirOf, joinPath } from '../../core/paths.js';
import { ignoresAbove, linesOf } from '../ignores.js';

export const DEFAULT_REGION = 'us-east-1';
/** Instances of one resource beyond this are not expanded (a typo such as count = 100000). */
export const MAX_INSTANCES = 10_000;
/** Files larger than this are not parsed. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Module calls nested deeper than this are not followed. */
export const MAX_MODULE_DEPTH = 32;

export interface TerraformOptions {
  /** `--var name=value` (raw strings, as on Terraform's command line). */
  vars?: Record<string, string>;
  /** `--var-file` contents, in order: later files win. */
  varFiles?: { path: string; text: string }[];
  /** TF_VAR_* values from the environment (name without the prefix). */
  envVars?: Record<string, string>;
  /** Repository-relative directory of the root module; by default the shallowest directory with `.tf` files. */
  rootDir?: string;
  /** Module source as written (registry address, git URL) -> repository-relative directory to read instead. */
  moduleSources?: Record<string, string>;
}

interface Located<T> {
  node: T;
  file: string;
}

interface ResourceDecl {
  mode: 'managed' | 'data';
  type: string;
  name: string;
  block: Block;
  file: string;
}

interface ProviderDecl {
  region: Expr | undefined;
  defaultTags: Expr | undefined;
  file: string;
  block: Block;
}

/** Everything declared in one module directory. Parsed once, however often the module is called. */
interface ModuleDecls {
  dir: string;
  variables: Map<string, Located<Block>>;
  locals: Map<string, Located<Attribute>>;
  providers: Map<string, ProviderDecl>;
  resources: ResourceDecl[];
  modules: Located<Block>[];
  outputs: Map<string, Located<Block>>;
  tfvarFiles: { path: string; text: string }[];
}

interface ProviderInfo {
  region: string | null;
  regionAssumed: boolean;
  tags: Record<string, string>;
}

type ProviderResolver = (ref: string, resourceFile: string) => ProviderInfo;

const NOT_ATTRIBUTES = new Set(['lifecycle', 'provisioner', 'connection', 'depends_on', 'provider', 'count', 'for_each']);
const MODULE_META = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);

function isBinary(text: string): boolean {
  const n = Math.min(text.length, 8192);
  for (let i = 0; i < n; i++) if (text.charCodeAt(i) === 0) return true;
  return false;
}

function attr(body: Body, name: string): Attribute | undefined {
  return body.attributes.find((a) => a.name === name);
}

/** `aws.west` from `provider = aws.west`, without evaluating it. */
function providerRef(expr: Expr | undefined): string | undefined {
  if (!expr) return undefined;
  if (expr.type === 'variable') return expr.name;
  if (expr.type === 'getattr' && expr.target.type === 'variable') return `${expr.target.name}.${expr.name}`;
  if (expr.type === 'template' && expr.parts.length === 1 && expr.parts[0]?.kind === 'literal') return expr.parts[0].value;
  return undefined;
}

function literalString(expr: Expr | undefined): string | undefined {
  if (expr?.type === 'template' && expr.parts.length === 1 && expr.parts[0]?.kind === 'literal') return expr.parts[0].value;
  return undefined;
}

function keyLabel(k: Value): string {
  return typeof k === 'number' ? `[${k}]` : `[${JSON.stringify(k)}]`;
}

export function isLocalSource(source: string): boolean {
  return source.startsWith('./') || source.startsWith('../') || source === '.' || source === '..';
}

/** Parses a `--var` value: HCL expressions for lists, maps and numbers; a plain string otherwise. */
function parseCliValue(raw: string): Value {
  const t = raw.trim();
  if (/^[[{]/.test(t)) {
    const parsed = parseHcl(`v = ${t}\n`);
    const a = parsed.body.attributes[0];
    if (parsed.errors.length === 0 && a) {
      try {
        return evaluate(a.expr, emptyScope);
      } catch {
        return raw;
      }
    }
  }
  return raw;
}

const emptyScope: Scope = { root: () => undefined, warn: () => undefined };

function stringMap(v: Record<string, Value>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
  return out;
}

export function analyzeModule(files: Record<string, string>, options: TerraformOptions = {}): AnalysisResult {
  const errors: AnalysisError[] = [];
  const seenErrors = new Set<string>();
  const report = (file: string, range: Range | undefined, message: string, severity: 'error' | 'warning' = 'error') => {
    const line = range?.start.line ?? 1;
    const key = `${file}:${line}:${message}`;
    if (seenErrors.has(key)) return;
    seenErrors.add(key);
    errors.push({ file, line, column: range?.start.col, message, severity });
  };

  const byDir = new Map<string, string[]>();
  for (const file of Object.keys(files).sort()) {
    const d = dirOf(file);
    let list = byDir.get(d);
    if (!list) byDir.set(d, (list = []));
    list.push(file);
  }
  const tfDirs = [...byDir.keys()].filter((d) => (byDir.get(d) ?? []).some((f) => f.endsWith('.tf')));
  const rootDir = options.rootDir ?? tfDirs.sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1))[0] ?? '.';

  const declCache = new Map<string, ModuleDecls>();
  // `# mlcost:ignore` comments right above a resource block (src/analyzers/ignores.ts).
  const fileLines = new Map<string, string[]>();
  const ignoresOf = (file: string, line: number) => {
    let lines = fileLines.get(file);
    if (!lines) fileLines.set(file, (lines = linesOf(files[file] ?? '')));
    return ignoresAbove(lines, line, file);
  };
  const instances: Resource[] = [];
  const notAnalysed: NonNullable<AnalysisResult['notAnalysed']> = [];

  // Shared by every module instance: cycle detection and reference tracking.
  const inProgress: string[] = [];
  const refStack: Set<string>[] = [];
  const noteRef = (id: string) => refStack[refStack.length - 1]?.add(id);
  function withRefs<T>(fn: () => T): { value: T; refs: Set<string> } {
    const refs = new Set<string>();
    refStack.push(refs);
    try {
      return { value: fn(), refs };
    } finally {
      refStack.pop();
    }
  }
  function withCycleCheck(id: string, compute: () => Value): Value {
    if (inProgress.includes(id)) {
      const cycle = [...inProgress.slice(inProgress.indexOf(id)), id].join(' -> ');
      throw new EvalError(`cycle: ${cycle}`);
    }
    inProgress.push(id);
    try {
      return compute();
    } finally {
      inProgress.pop();
    }
  }
  /** Evaluates, turning errors into Unknown plus a reported error; cycles propagate to the outermost caller. */
  function safeEval(expr: Expr, scope: Scope, file: string, what: string): Value {
    try {
      return evaluate(expr, scope);
    } catch (e) {
      if (!(e instanceof EvalError)) throw e;
      if (e.message.startsWith('cycle:') && inProgress.length > 1) throw e;
      report(file, e.range ?? expr.range, `${what}: ${e.message}`);
      return unknown(`${what} could not be evaluated: ${e.message}`);
    }
  }

  function declsOf(dir: string): ModuleDecls {
    const cached = declCache.get(dir);
    if (cached) return cached;
    const d: ModuleDecls = {
      dir,
      variables: new Map(),
      locals: new Map(),
      providers: new Map(),
      resources: [],
      modules: [],
      outputs: new Map(),
      tfvarFiles: [],
    };
    declCache.set(dir, d);
    for (const file of byDir.get(dir) ?? []) {
      const text = files[file] as string;
      const base = file.slice(file.lastIndexOf('/') + 1);
      if (/\.tfvars(\.json)?$/.test(base)) {
        if (base === 'terraform.tfvars' || base === 'terraform.tfvars.json' || /\.auto\.tfvars(\.json)?$/.test(base))
          d.tfvarFiles.push({ path: file, text });
        continue;
      }
      if (!base.endsWith('.tf')) {
        if (base.endsWith('.tf.json')) report(file, undefined, 'Terraform JSON syntax (.tf.json) is not analysed yet; its resources are not priced', 'warning');
        continue;
      }
      if (isBinary(text)) {
        report(file, undefined, 'file is binary, not Terraform text; skipped');
        continue;
      }
      if (text.length > MAX_FILE_BYTES) {
        report(file, undefined, `file is ${(text.length / 1048576).toFixed(1)} MB, over the ${MAX_FILE_BYTES / 1048576} MB limit; skipped`);
        continue;
      }
      const parsed = parseHcl(text);
      for (const e of parsed.errors) report(file, { start: { line: e.line, col: e.col, offset: 0 }, end: { line: e.line, col: e.col, offset: 0 } }, e.message);
      for (const block of parsed.body.blocks) {
        const [l0, l1] = block.labels;
        switch (block.type) {
          case 'variable':
            if (l0) d.variables.set(l0, { node: block, file });
            break;
          case 'locals':
            for (const a of block.body.attributes) d.locals.set(a.name, { node: a, file });
            break;
          case 'output':
            if (l0) d.outputs.set(l0, { node: block, file });
            break;
          case 'provider':
            if (l0 === 'aws') {
              const alias = attr(block.body, 'alias');
              const aliasName = alias ? providerRef(alias.expr) : undefined;
              const tags = block.body.blocks.find((b) => b.type === 'default_tags');
              d.providers.set(aliasName ? `aws.${aliasName}` : 'aws', {
                region: attr(block.body, 'region')?.expr,
                defaultTags: tags ? attr(tags.body, 'tags')?.expr : undefined,
                file,
                block,
              });
            }
            break;
          case 'resource':
          case 'data':
            if (l0 && l1) d.resources.push({ mode: block.type === 'resource' ? 'managed' : 'data', type: l0, name: l1, block, file });
            break;
          case 'module':
            if (l0) d.modules.push({ node: block, file });
            break;
          default:
            break;
        }
      }
    }
    return d;
  }

  /** Root variable values: default < terraform.tfvars < *.auto.tfvars < --var-file < TF_VAR_ < --var. */
  function rootAssignments(d: ModuleDecls): Map<string, Value> {
    const assigned = new Map<string, Value>();
    const readVarFile = (path: string, text: string) => {
      if (path.endsWith('.json')) {
        try {
          const obj = JSON.parse(text) as Record<string, unknown>;
          for (const [k, v] of Object.entries(obj)) assigned.set(k, v as Value);
        } catch (e) {
          report(path, undefined, `invalid JSON: ${(e as Error).message}`);
        }
        return;
      }
      const parsed = parseHcl(text);
      for (const e of parsed.errors) errors.push({ file: path, line: e.line, column: e.col, message: e.message, severity: 'error' });
      for (const a of parsed.body.attributes) {
        try {
          assigned.set(a.name, evaluate(a.expr, emptyScope));
        } catch (e) {
          report(path, a.range, `cannot read the value of ${a.name}: ${(e as Error).message}`);
        }
      }
    };
    const ordered = [...d.tfvarFiles].sort((a, b) => {
      const rank = (p: string) => (/(^|\/)terraform\.tfvars$/.test(p) ? 0 : /(^|\/)terraform\.tfvars\.json$/.test(p) ? 1 : 2);
      return rank(a.path) - rank(b.path) || (a.path < b.path ? -1 : 1);
    });
    for (const f of ordered) readVarFile(f.path, f.text);
    for (const f of options.varFiles ?? []) readVarFile(f.path, f.text);
    for (const [k, v] of Object.entries(options.envVars ?? {})) if (d.variables.has(k)) assigned.set(k, parseCliValue(v));
    for (const [k, v] of Object.entries(options.vars ?? {})) assigned.set(k, parseCliValue(v));
    return assigned;
  }

  /**
   * One instance of a module: `prefix` is its address prefix (`''` for the root,
   * `module.a["k"].`), `inputs` the caller's arguments (null for the root module).
   */
  function instantiate(dir: string, inputs: Map<string, Value> | null, prefix: string, parentProvider: ProviderResolver | null, providerMap: Map<string, string>, chain: string[]): { outputs(): Value } {
    const d = declsOf(dir);
    const modulePath = prefix.replace(/\.$/, '');

    // Variables.
    const assigned = inputs ?? rootAssignments(d);
    const varValues: Record<string, Value> = {};
    for (const [name, { node, file }] of d.variables) {
      let v: Value;
      if (assigned.has(name)) v = assigned.get(name) as Value;
      else {
        const def = attr(node.body, 'default');
        if (def) {
          try {
            v = evaluate(def.expr, emptyScope);
          } catch (e) {
            report(file, def.range, `variable "${name}": cannot read its default: ${(e as Error).message}`);
            v = unknown(`variable "${name}" has an unreadable default`);
          }
        } else {
          v = unknown(`variable "${name}" has no value (${inputs ? `not set by the call of ${modulePath}` : 'set it in terraform.tfvars or with --var'})`);
          report(file, node.range, inputs ? `${modulePath}: required variable "${name}" is not set by the module call; values that depend on it are unknown` : `variable "${name}" has no default and no value was given; values that depend on it are unknown`, 'warning');
        }
      }
      const typeExpr = attr(node.body, 'type')?.expr;
      if (typeExpr && !isUnknown(v)) {
        try {
          v = applyTypeDefaults(typeExpr, v);
        } catch (e) {
          report(file, typeExpr.range, `variable "${name}": ${(e as Error).message}`);
        }
      }
      varValues[name] = v;
    }

    const localValues = new Map<string, Value>();
    const localRefs = new Map<string, Set<string>>();
    const resourceValues = new Map<string, Value>();
    const moduleValues = new Map<string, Value>();
    const byTypeName = new Map<string, ResourceDecl>();
    for (const r of d.resources) byTypeName.set(`${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`, r);
    const moduleCalls = new Map(d.modules.map((m) => [m.node.labels[0] as string, m]));

    const moduleScope: Scope = {
      root(name) {
        switch (name) {
          case 'var':
            return varValues;
          case 'local': {
            const all: Record<string, Value> = {};
            for (const k of d.locals.keys()) all[k] = localValue(k);
            return all;
          }
          case 'path':
            return { module: dir, root: rootDir, cwd: rootDir };
          case 'terraform':
            return { workspace: 'default' };
          case 'data':
            return unknown('data sources are read at plan time');
          case 'module': {
            const all: Record<string, Value> = {};
            for (const k of moduleCalls.keys()) all[k] = moduleValue(k);
            return all;
          }
          default: {
            const all: Record<string, Value> = {};
            let found = false;
            for (const r of d.resources)
              if (r.mode === 'managed' && r.type === name) {
                found = true;
                noteRef(`${r.type}.${r.name}`);
                all[r.name] = resourceValue(`${r.type}.${r.name}`);
              }
            return found ? all : undefined;
          }
        }
      },
      traverse(path, range) {
        const [root, second] = path;
        if (second === undefined || second.startsWith('[')) return undefined;
        let value: Value | undefined;
        if (root === 'var') {
          if (!Object.prototype.hasOwnProperty.call(varValues, second)) throw new EvalError(`undeclared variable "${second}"`, range);
          value = varValues[second] as Value;
        } else if (root === 'local') {
          if (!d.locals.has(second)) throw new EvalError(`undeclared local value "${second}"`, range);
          value = localValue(second);
        } else if (root === 'data') {
          const third = path[2];
          return unknown(`data.${second}${third ? `.${third}` : ''} is read at plan time`);
        } else if (root === 'module') {
          if (!moduleCalls.has(second)) throw new EvalError(`undeclared module "${second}"`, range);
          value = moduleValue(second);
        } else if (root !== undefined && byTypeName.has(`${root}.${second}`)) {
          noteRef(`${root}.${second}`);
          value = resourceValue(`${root}.${second}`);
        } else return undefined;
        for (const step of path.slice(2)) {
          if (step.startsWith('[')) value = index(value, JSON.parse(step.slice(1, -1)) as Value, range);
          else value = getAttr(value, step, range);
        }
        return value;
      },
      warn: () => undefined,
    };

    function scopeFor(file: string): Scope {
      return { ...moduleScope, warn: (m, r) => report(file, r, m, 'warning') };
    }

    function localValue(name: string): Value {
      let v = localValues.get(name);
      if (v === undefined) {
        const decl = d.locals.get(name) as Located<Attribute>;
        const { value, refs } = withRefs(() =>
          withCycleCheck(`${prefix}local.${name}`, () => safeEval(decl.node.expr, scopeFor(decl.file), decl.file, `${prefix}local.${name}`)),
        );
        v = value;
        localValues.set(name, v);
        localRefs.set(name, refs);
      }
      for (const id of localRefs.get(name) ?? []) noteRef(id);
      return v;
    }

    /** Instance keys of a resource or module call: null = a single instance. */
    function expansion(body: Body, file: string, address: string, scope: Scope): [Value, Value][] | null {
      const countAttr = attr(body, 'count');
      const forEachAttr = attr(body, 'for_each');
      if (countAttr) {
        const c = safeEval(countAttr.expr, scope, file, `${address}.count`);
        if (isUnknown(c)) {
          report(file, countAttr.range, `count of ${address} is unknown (${c.reason}); priced as 1 instance`, 'warning');
          return [[0, null]];
        }
        let n: number;
        try {
          n = toNum(c, countAttr.expr.range);
        } catch (e) {
          report(file, countAttr.range, `${address}.count: ${(e as Error).message}`);
          return [[0, null]];
        }
        if (n > MAX_INSTANCES) {
          report(file, countAttr.range, `count of ${address} is ${n}; only the first ${MAX_INSTANCES} instances are priced`);
          n = MAX_INSTANCES;
        }
        return Array.from({ length: Math.max(0, Math.floor(n)) }, (_, i) => [i, null]);
      }
      if (forEachAttr) {
        const fe = safeEval(forEachAttr.expr, scope, file, `${address}.for_each`);
        if (isUnknown(fe)) {
          report(file, forEachAttr.range, `for_each of ${address} is unknown (${fe.reason}); priced as 1 instance`, 'warning');
          return [['?', unknown(fe.reason)]];
        }
        if (Array.isArray(fe)) {
          const bad = fe.find((x) => typeof x !== 'string');
          if (bad !== undefined) {
            report(file, forEachAttr.range, `${address}: the "for_each" argument must be a map, or set of strings, and you have provided a value of type list of ${typeName(bad)}`);
            return [];
          }
          const keys = [...new Set(fe as string[])].sort();
          if (keys.length > MAX_INSTANCES) report(file, forEachAttr.range, `for_each of ${address} has ${keys.length} keys; only the first ${MAX_INSTANCES} instances are priced`);
          return keys.slice(0, MAX_INSTANCES).map((k) => [k, k]);
        }
        if (isObject(fe)) {
          const pairs = entries(fe);
          if (pairs.length > MAX_INSTANCES) report(file, forEachAttr.range, `for_each of ${address} has ${pairs.length} keys; only the first ${MAX_INSTANCES} instances are priced`);
          return pairs.slice(0, MAX_INSTANCES);
        }
        report(file, forEachAttr.range, `${address}: the "for_each" argument must be a map, or set of strings, and you have provided a value of type ${typeName(fe)}`);
        return [];
      }
      return null;
    }

    function instanceScope(file: string, key: Value, value: Value, mode: 'count' | 'each' | null): Scope {
      const base = scopeFor(file);
      if (mode === 'count') return childScope(base, { count: { index: key } });
      if (mode === 'each') return childScope(base, { each: { key, value } });
      return base;
    }

    /** Evaluates a body into attributes (nested blocks become lists of objects), their lines and references. */
    function evalBody(
      body: Body,
      scope: Scope,
      file: string,
      address: string,
      pathPrefix: string,
      lines: Record<string, number>,
      refsOut: Record<string, string[]>,
      depth = 0,
    ): Record<string, Value> {
      const out: Record<string, Value> = {};
      for (const a of body.attributes) {
        if (NOT_ATTRIBUTES.has(a.name) && pathPrefix === '') continue;
        lines[pathPrefix + a.name] = a.range.start.line;
        const { value, refs } = withRefs(() => safeEval(a.expr, scope, file, `${address}.${pathPrefix}${a.name}`));
        out[a.name] = value;
        if (refs.size) refsOut[pathPrefix + a.name] = [...refs].sort();
      }
      if (depth > 32) return out;
      for (const b of body.blocks) {
        if (NOT_ATTRIBUTES.has(b.type) && pathPrefix === '') continue;
        if (b.type === 'dynamic' && b.labels[0]) {
          const name = b.labels[0];
          const forEach = attr(b.body, 'for_each');
          const iterator = attr(b.body, 'iterator');
          const itName = providerRef(iterator?.expr) ?? name;
          const content = b.body.blocks.find((x) => x.type === 'content');
          if (!forEach || !content) continue;
          const coll = safeEval(forEach.expr, scope, file, `${address}.dynamic.${name}`);
          const list = (out[name] ??= []) as Value[];
          if (isUnknown(coll)) {
            list.push(unknown(`dynamic "${name}" iterates over an unknown collection`));
            continue;
          }
          try {
            for (const [k, v] of entries(coll)) {
              const s = childScope(scope, { [itName]: { key: k, value: v } });
              lines[`${pathPrefix}${name}.${list.length}`] = content.range.start.line;
              const nested = evalBody(content.body, s, file, address, `${pathPrefix}${name}.${list.length}.`, lines, refsOut, depth + 1);
              list.push(markOpen(nested, `${address}.${pathPrefix}${name}[${list.length}]`));
            }
          } catch (e) {
            report(file, forEach.range, `${address}: dynamic "${name}": ${(e as Error).message}`);
          }
          continue;
        }
        const list = (out[b.type] ??= []) as Value[];
        lines[`${pathPrefix}${b.type}.${list.length}`] = b.range.start.line;
        // Nested blocks have computed attributes too (vpc_config.cluster_security_group_id).
        const nested = evalBody(b.body, scope, file, address, `${pathPrefix}${b.type}.${list.length}.`, lines, refsOut, depth + 1);
        list.push(markOpen(nested, `${address}.${pathPrefix}${b.type}[${list.length}]`));
      }
      return out;
    }

    type Evaluated = { attributes: Record<string, Value>; lines: Record<string, number>; refs: Record<string, string[]> };
    const evaluatedInstances = new Map<string, Map<string, Evaluated>>();

    function resourceValue(id: string): Value {
      const cached = resourceValues.get(id);
      if (cached !== undefined) return cached;
      const decl = byTypeName.get(id) as ResourceDecl;
      // Evaluated in a reference set of its own: what this resource refers to is not the caller's.
      const v = withCycleCheck(`${prefix}${id}`, () => withRefs(() => expandResource(decl, id)).value);
      resourceValues.set(id, v);
      return v;
    }

    function expandResource(decl: ResourceDecl, id: string): Value {
      const address = `${prefix}${id}`;
      const keys = expansion(decl.block.body, decl.file, address, scopeFor(decl.file));
      if (keys === null) return markOpen(evalInstance(decl, address, null, null, null), address);
      if (attr(decl.block.body, 'count') !== undefined)
        return keys.map(([k]) => markOpen(evalInstance(decl, `${address}${keyLabel(k)}`, k, null, 'count'), `${address}${keyLabel(k)}`));
      const obj: Record<string, Value> = {};
      for (const [k, val] of keys) obj[toStr(k)] = markOpen(evalInstance(decl, `${address}${keyLabel(k)}`, k, val, 'each'), `${address}${keyLabel(k)}`);
      return obj;
    }

    function evalInstance(decl: ResourceDecl, address: string, key: Value, value: Value, mode: 'count' | 'each' | null): Record<string, Value> {
      const lines: Record<string, number> = {};
      const refs: Record<string, string[]> = {};
      const attributes = evalBody(decl.block.body, instanceScope(decl.file, key, value, mode), decl.file, address, '', lines, refs);
      const id = `${decl.type}.${decl.name}`;
      let forDecl = evaluatedInstances.get(id);
      if (!forDecl) evaluatedInstances.set(id, (forDecl = new Map()));
      forDecl.set(address, { attributes, lines, refs });
      return attributes;
    }

    // Module calls: local sources are read; others are listed as not analysed.
    const childInstances = new Map<string, { outputs(): Value }[]>();
    function moduleValue(name: string): Value {
      const cached = moduleValues.get(name);
      if (cached !== undefined) return cached;
      const v = withCycleCheck(`${prefix}module.${name}`, () => withRefs(() => expandModule(name)).value);
      moduleValues.set(name, v);
      return v;
    }

    function expandModule(name: string): Value {
      const call = moduleCalls.get(name) as Located<Block>;
      const { node, file } = call;
      const address = `${prefix}module.${name}`;
      const sourceAttr = attr(node.body, 'source');
      const source = literalString(sourceAttr?.expr);
      if (source === undefined) {
        report(file, node.range, `${address}: module source must be a literal string`);
        return unknown(`${address} has no readable source`);
      }
      const mapped = options.moduleSources?.[source];
      if (!isLocalSource(source) && mapped === undefined) {
        notAnalysed.push({
          address,
          type: 'module',
          reason: `module source ${source} is not downloaded (nothing is fetched from a pull request); map it to a directory of the repository in .mlcost.yml under terraform.modules to price it`,
        });
        return unknown(`${address} comes from ${source}, which is not analysed`);
      }
      const childDir = mapped !== undefined ? joinPath('.', mapped) : joinPath(dir, source);
      if (childDir === null) {
        report(file, sourceAttr?.range, `${address}: module source "${source}" points outside the repository; refused`);
        return unknown(`${address} points outside the repository`);
      }
      if (chain.includes(childDir) || chain.length >= MAX_MODULE_DEPTH) {
        report(file, sourceAttr?.range, `${address}: recursion between modules (${[...chain, childDir].join(' -> ')}); not followed`);
        return unknown(`${address} is recursive`);
      }
      if (!(byDir.get(childDir) ?? []).some((f) => f.endsWith('.tf'))) {
        report(file, sourceAttr?.range, `${address}: no Terraform files found in ${childDir}`);
        return unknown(`${address} has no Terraform files`);
      }
      // Which parent provider each of the child's provider names stands for.
      const providersAttr = attr(node.body, 'providers');
      const childMap = new Map<string, string>([['aws', providerMap.get('aws') ?? 'aws']]);
      if (providersAttr?.expr.type === 'object')
        for (const item of providersAttr.expr.items) {
          const k = providerRef(item.key) ?? literalString(item.key);
          const v = providerRef(item.value);
          if (k && v) childMap.set(k, providerMap.get(v) ?? v);
        }
      const scope = scopeFor(file);
      const make = (key: Value, value: Value, mode: 'count' | 'each' | null, label: string) => {
        const s = instanceScope(file, key, value, mode);
        const inputs = new Map<string, Value>();
        for (const a of node.body.attributes) if (!MODULE_META.has(a.name)) inputs.set(a.name, safeEval(a.expr, s, file, `${address}${label}.${a.name}`));
        const inst = instantiate(childDir, inputs, `${address}${label}.`, providerFor, childMap, [...chain, childDir]);
        let list = childInstances.get(name);
        if (!list) childInstances.set(name, (list = []));
        list.push(inst);
        return inst.outputs();
      };
      const keys = expansion(node.body, file, address, scope);
      if (keys === null) return make(null, null, null, '');
      if (attr(node.body, 'count') !== undefined) return keys.map(([k]) => make(k, null, 'count', keyLabel(k)));
      const obj: Record<string, Value> = {};
      for (const [k, v] of keys) obj[toStr(k)] = make(k, v, 'each', keyLabel(k));
      return obj;
    }

    // Provider regions and default tags, resolved through the caller's providers for child modules.
    const providerCache = new Map<string, ProviderInfo>();
    function providerFor(ref: string, resourceFile: string): ProviderInfo {
      const own = d.providers.get(ref);
      if (!own && parentProvider) return parentProvider(providerMap.get(ref) ?? ref, resourceFile);
      const cached = providerCache.get(ref);
      if (cached) return cached;
      let region: string | null = DEFAULT_REGION;
      let regionAssumed = true;
      let tags: Record<string, string> = {};
      if (!own && ref !== 'aws') {
        report(resourceFile, undefined, `provider ${ref} is not configured; assumed region ${DEFAULT_REGION}`, 'warning');
      } else if (own?.region) {
        const v = safeEval(own.region, scopeFor(own.file), own.file, `provider ${ref} region`);
        if (typeof v === 'string' && v !== '') {
          region = v;
          regionAssumed = false;
        } else {
          report(own.file, own.region.range, `region of provider ${ref} is ${isUnknown(v) ? `unknown (${v.reason})` : 'not a string'}; assumed ${DEFAULT_REGION}`, 'warning');
        }
      } else {
        report(own?.file ?? resourceFile, own?.block.range, `no region set for provider ${ref}; assumed ${DEFAULT_REGION} (set region in the provider block)`, 'warning');
      }
      if (own?.defaultTags) {
        const t = safeEval(own.defaultTags, scopeFor(own.file), own.file, `provider ${ref} default_tags`);
        if (isObject(t)) tags = stringMap(t);
      }
      const info = { region, regionAssumed, tags };
      providerCache.set(ref, info);
      return info;
    }

    // Outputs, evaluated when a caller reads them.
    let outputsValue: Value | undefined;
    function outputs(): Value {
      if (outputsValue !== undefined) return outputsValue;
      const out: Record<string, Value> = {};
      for (const [name, { node, file }] of d.outputs) {
        const value = attr(node.body, 'value');
        out[name] = value
          ? withCycleCheck(`${prefix}output.${name}`, () => safeEval(value.expr, scopeFor(file), file, `${prefix}output.${name}`))
          : null;
      }
      outputsValue = markOpen(out, modulePath || 'module');
      return outputsValue;
    }

    // Emit every managed resource of this instance, and instantiate every module call.
    const emit = () => {
      for (const decl of d.resources) {
        if (decl.mode !== 'managed') continue;
        const id = `${decl.type}.${decl.name}`;
        try {
          resourceValue(id);
        } catch (e) {
          if (!(e instanceof EvalError)) throw e;
          report(decl.file, decl.block.range, `${prefix}${id}: ${e.message}`);
          continue;
        }
        const ref = providerRef(attr(decl.block.body, 'provider')?.expr) ?? 'aws';
        const isAws = decl.type.startsWith('aws_');
        const p = isAws ? providerFor(ref.startsWith('aws') ? ref : 'aws', decl.file) : { region: null, regionAssumed: false, tags: {} };
        const ignores = ignoresOf(decl.file, decl.block.range.start.line);
        for (const [address, inst] of evaluatedInstances.get(id) ?? []) {
          const ownTags = isObject(inst.attributes.tags ?? null) ? stringMap(inst.attributes.tags as Record<string, Value>) : {};
          instances.push({
            address,
            type: decl.type,
            file: decl.file,
            line: decl.block.range.start.line,
            region: p.region,
            attributes: inst.attributes,
            attributeLines: inst.lines,
            ...(Object.keys(inst.refs).length ? { references: inst.refs } : {}),
            tags: { ...p.tags, ...ownTags },
            ...(modulePath ? { modulePath } : {}),
            ...(p.regionAssumed ? { details: { regionAssumed: true } } : {}),
            ...(ignores.length ? { ignores: ignores.map((i) => ({ ...i })) } : {}),
          });
        }
      }
      for (const name of moduleCalls.keys()) {
        try {
          moduleValue(name);
        } catch (e) {
          if (!(e instanceof EvalError)) throw e;
          const call = moduleCalls.get(name) as Located<Block>;
          report(call.file, call.node.range, `${prefix}module.${name}: ${e.message}`);
        }
      }
    };
    pendingEmits.push(emit);
    return { outputs };
  }

  const pendingEmits: (() => void)[] = [];
  if (tfDirs.length > 0) {
    instantiate(rootDir, null, '', null, new Map([['aws', 'aws']]), [rootDir]);
    // Instances are emitted breadth-first; each emit may instantiate more modules.
    while (pendingEmits.length) (pendingEmits.shift() as () => void)();
  }
  const byAddress = (a: { address: string }, b: { address: string }) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);
  instances.sort(byAddress);
  notAnalysed.sort(byAddress);
  return { resources: instances, errors, notAnalysed };
}
