/**
 * Reads one Terraform module directory (all its `.tf` files plus tfvars) into evaluated
 * resources: variables, locals, provider regions and references between resources are resolved
 * statically; `count` and `for_each` expand into instances with Terraform's addresses.
 */
import type { AnalysisError, AnalysisResult, Resource, Value } from '../../core/types.js';
import { isUnknown, unknown } from '../../core/types.js';
import type { Attribute, Block, Body, Expr, Range } from './hcl/ast.js';
import { parseHcl } from './hcl/parser.js';
import type { Scope } from './evaluate.js';
import { EvalError, childScope, entries, evaluate, getAttr, index, isObject, markOpen, toNum, toStr, typeName } from './evaluate.js';

export const DEFAULT_REGION = 'us-east-1';
/** Instances of one resource beyond this are not expanded (a typo such as count = 100000). */
export const MAX_INSTANCES = 10_000;
/** Files larger than this are not parsed. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export interface TerraformOptions {
  /** `--var name=value` (raw strings, as on Terraform's command line). */
  vars?: Record<string, string>;
  /** `--var-file` contents, in order: later files win. */
  varFiles?: { path: string; text: string }[];
  /** TF_VAR_* values from the environment (name without the prefix). */
  envVars?: Record<string, string>;
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

const NOT_ATTRIBUTES = new Set(['lifecycle', 'provisioner', 'connection', 'depends_on', 'provider', 'count', 'for_each']);

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

function keyLabel(k: Value): string {
  return typeof k === 'number' ? `[${k}]` : `[${JSON.stringify(k)}]`;
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

  // 1. Parse every file; a broken file still contributes what could be read.
  const variables = new Map<string, Located<Block>>();
  const locals = new Map<string, Located<Attribute>>();
  const providers = new Map<string, ProviderDecl>();
  const resources: ResourceDecl[] = [];
  const notAnalysed: NonNullable<AnalysisResult['notAnalysed']> = [];
  const tfvarFiles: { path: string; text: string }[] = [];

  for (const file of Object.keys(files).sort()) {
    const text = files[file] as string;
    const base = file.slice(file.lastIndexOf('/') + 1);
    if (/\.tfvars(\.json)?$/.test(base)) {
      if (base === 'terraform.tfvars' || base === 'terraform.tfvars.json' || /\.auto\.tfvars(\.json)?$/.test(base))
        tfvarFiles.push({ path: file, text });
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
    for (const e of parsed.errors) errors.push({ file, line: e.line, column: e.col, message: e.message, severity: 'error' });
    for (const block of parsed.body.blocks) {
      const [l0, l1] = block.labels;
      switch (block.type) {
        case 'variable':
          if (l0) variables.set(l0, { node: block, file });
          break;
        case 'locals':
          for (const a of block.body.attributes) locals.set(a.name, { node: a, file });
          break;
        case 'provider':
          if (l0 === 'aws') {
            const alias = attr(block.body, 'alias');
            const aliasName = alias ? providerRef(alias.expr) : undefined;
            const tags = block.body.blocks.find((b) => b.type === 'default_tags');
            providers.set(aliasName ? `aws.${aliasName}` : 'aws', {
              region: attr(block.body, 'region')?.expr,
              defaultTags: tags ? attr(tags.body, 'tags')?.expr : undefined,
              file,
              block,
            });
          }
          break;
        case 'resource':
        case 'data':
          if (l0 && l1) resources.push({ mode: block.type === 'resource' ? 'managed' : 'data', type: l0, name: l1, block, file });
          break;
        case 'module': {
          const src = attr(block.body, 'source');
          const source = src?.expr.type === 'template' && src.expr.parts[0]?.kind === 'literal' ? src.expr.parts[0].value : '?';
          notAnalysed.push({
            address: `module.${l0 ?? '?'}`,
            type: 'module',
            reason: `module "${l0}" (source ${source}) is not analysed yet: its resources are not priced`,
          });
          break;
        }
        default:
          break;
      }
    }
  }

  // 2. Variable values: default < terraform.tfvars < *.auto.tfvars < --var-file < TF_VAR_ < --var.
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
  const ordered = [...tfvarFiles].sort((a, b) => {
    const rank = (p: string) => (/\/?terraform\.tfvars$/.test(p) ? 0 : /terraform\.tfvars\.json$/.test(p) ? 1 : 2);
    return rank(a.path) - rank(b.path) || (a.path < b.path ? -1 : 1);
  });
  for (const f of ordered) readVarFile(f.path, f.text);
  for (const f of options.varFiles ?? []) readVarFile(f.path, f.text);
  for (const [k, v] of Object.entries(options.envVars ?? {})) if (variables.has(k)) assigned.set(k, parseCliValue(v));
  for (const [k, v] of Object.entries(options.vars ?? {})) assigned.set(k, parseCliValue(v));

  const varValues: Record<string, Value> = {};
  for (const [name, { node, file }] of variables) {
    if (assigned.has(name)) varValues[name] = assigned.get(name) as Value;
    else {
      const def = attr(node.body, 'default');
      if (def) {
        try {
          varValues[name] = evaluate(def.expr, emptyScope);
        } catch (e) {
          report(file, def.range, `variable "${name}": cannot read its default: ${(e as Error).message}`);
          varValues[name] = unknown(`variable "${name}" has an unreadable default`);
        }
      } else {
        varValues[name] = unknown(`variable "${name}" has no value (set it in terraform.tfvars or with --var)`);
        report(file, node.range, `variable "${name}" has no default and no value was given; values that depend on it are unknown`, 'warning');
      }
    }
  }

  // 3. Lazy, cycle-checked evaluation of locals and resources.
  const localValues = new Map<string, Value>();
  const inProgress: string[] = [];
  const resourceValues = new Map<string, Value>();
  const byTypeName = new Map<string, ResourceDecl>();
  for (const r of resources) byTypeName.set(`${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`, r);

  const moduleScope: Scope = {
    root(name) {
      switch (name) {
        case 'var':
          return varValues;
        case 'local': {
          const all: Record<string, Value> = {};
          for (const k of locals.keys()) all[k] = localValue(k);
          return all;
        }
        case 'path':
          return { module: '.', root: '.', cwd: '.' };
        case 'terraform':
          return { workspace: 'default' };
        case 'data':
          return unknown('data sources are read at plan time');
        case 'module':
          return unknown('module outputs are not analysed yet');
        default: {
          const all: Record<string, Value> = {};
          let found = false;
          for (const r of resources)
            if (r.mode === 'managed' && r.type === name) {
              found = true;
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
      let rest: string[];
      if (root === 'var') {
        if (!Object.prototype.hasOwnProperty.call(varValues, second)) throw new EvalError(`undeclared variable "${second}"`, range);
        value = varValues[second] as Value;
        rest = path.slice(2);
      } else if (root === 'local') {
        if (!locals.has(second)) throw new EvalError(`undeclared local value "${second}"`, range);
        value = localValue(second);
        rest = path.slice(2);
      } else if (root === 'data') {
        const third = path[2];
        return unknown(`data.${second}${third ? `.${third}` : ''} is read at plan time`);
      } else if (root === 'module') {
        return unknown(`module.${second} outputs are not analysed yet`);
      } else if (root !== undefined && byTypeName.has(`${root}.${second}`)) {
        value = resourceValue(`${root}.${second}`);
        rest = path.slice(2);
      } else return undefined;
      for (const step of rest) {
        if (step.startsWith('[')) value = index(value, JSON.parse(step.slice(1, -1)) as Value, range);
        else value = getAttr(value, step, range);
      }
      return value;
    },
    warn: () => undefined,
  };

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

  function localValue(name: string): Value {
    const cached = localValues.get(name);
    if (cached !== undefined) return cached;
    const decl = locals.get(name) as Located<Attribute>;
    const v = withCycleCheck(`local.${name}`, () => safeEval(decl.node.expr, scopeFor(decl.file), decl.file, `local.${name}`));
    localValues.set(name, v);
    return v;
  }

  function scopeFor(file: string): Scope {
    return { ...moduleScope, warn: (m, r) => report(file, r, m, 'warning') };
  }

  /** Evaluates, turning errors into Unknown plus a reported error; cycles propagate to the caller. */
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

  /** Expansion keys of a resource: null = single instance. */
  function expansion(decl: ResourceDecl, address: string): { keys: [Value, Value][] | null } {
    const body = decl.block.body;
    const countAttr = attr(body, 'count');
    const forEachAttr = attr(body, 'for_each');
    const scope = scopeFor(decl.file);
    if (countAttr) {
      const c = safeEval(countAttr.expr, scope, decl.file, `${address}.count`);
      if (isUnknown(c)) {
        report(decl.file, countAttr.range, `count of ${address} is unknown (${c.reason}); priced as 1 instance`, 'warning');
        return { keys: [[0, null]] };
      }
      let n: number;
      try {
        n = toNum(c, countAttr.expr.range);
      } catch (e) {
        report(decl.file, countAttr.range, `${address}.count: ${(e as Error).message}`);
        return { keys: [[0, null]] };
      }
      if (n > MAX_INSTANCES) {
        report(decl.file, countAttr.range, `count of ${address} is ${n}; only the first ${MAX_INSTANCES} instances are priced`);
        n = MAX_INSTANCES;
      }
      return { keys: Array.from({ length: Math.max(0, Math.floor(n)) }, (_, i) => [i, null]) };
    }
    if (forEachAttr) {
      const fe = safeEval(forEachAttr.expr, scope, decl.file, `${address}.for_each`);
      if (isUnknown(fe)) {
        report(decl.file, forEachAttr.range, `for_each of ${address} is unknown (${fe.reason}); priced as 1 instance`, 'warning');
        return { keys: [['?', unknown(fe.reason)]] };
      }
      if (Array.isArray(fe)) {
        if (fe.some((x) => typeof x !== 'string')) {
          report(decl.file, forEachAttr.range, `${address}: for_each needs a map or a set of strings, got a list of ${typeName(fe.find((x) => typeof x !== 'string') ?? null)}`);
          return { keys: [] };
        }
        return { keys: [...new Set(fe as string[])].sort().map((k) => [k, k]) };
      }
      if (isObject(fe)) return { keys: entries(fe).slice(0, MAX_INSTANCES) };
      report(decl.file, forEachAttr.range, `${address}: for_each needs a map or a set of strings, got ${typeName(fe)}`);
      return { keys: [] };
    }
    return { keys: null };
  }

  function instanceScope(file: string, key: Value, value: Value, mode: 'count' | 'each' | null): Scope {
    const base = scopeFor(file);
    if (mode === 'count') return childScope(base, { count: { index: key } });
    if (mode === 'each') return childScope(base, { each: { key, value } });
    return base;
  }

  /** Evaluates a body into attributes (nested blocks become lists of objects) and their lines. */
  function evalBody(body: Body, scope: Scope, file: string, address: string, prefix: string, lines: Record<string, number>, depth = 0): Record<string, Value> {
    const out: Record<string, Value> = {};
    for (const a of body.attributes) {
      if (NOT_ATTRIBUTES.has(a.name) && prefix === '') continue;
      lines[prefix + a.name] = a.range.start.line;
      out[a.name] = safeEval(a.expr, scope, file, `${address}.${prefix}${a.name}`);
    }
    if (depth > 32) return out;
    for (const b of body.blocks) {
      if (NOT_ATTRIBUTES.has(b.type) && prefix === '') continue;
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
            lines[`${prefix}${name}.${list.length}`] = content.range.start.line;
            list.push(evalBody(content.body, s, file, address, `${prefix}${name}.${list.length}.`, lines, depth + 1));
          }
        } catch (e) {
          report(file, forEach.range, `${address}: dynamic "${name}": ${(e as Error).message}`);
        }
        continue;
      }
      const list = (out[b.type] ??= []) as Value[];
      lines[`${prefix}${b.type}.${list.length}`] = b.range.start.line;
      list.push(evalBody(b.body, scope, file, address, `${prefix}${b.type}.${list.length}.`, lines, depth + 1));
    }
    return out;
  }

  const instances: Resource[] = [];
  const evaluatedInstances = new Map<string, Map<string, { attributes: Record<string, Value>; lines: Record<string, number> }>>();

  function resourceValue(id: string): Value {
    const cached = resourceValues.get(id);
    if (cached !== undefined) return cached;
    const decl = byTypeName.get(id) as ResourceDecl;
    const v = withCycleCheck(id, () => {
      const { keys } = expansion(decl, id);
      if (keys === null) return markOpen(evalInstance(decl, id, null, null, null), id);
      const isCount = attr(decl.block.body, 'count') !== undefined;
      if (isCount) return keys.map(([k]) => markOpen(evalInstance(decl, `${id}${keyLabel(k)}`, k, null, 'count'), `${id}${keyLabel(k)}`));
      const obj: Record<string, Value> = {};
      for (const [k, val] of keys) obj[toStr(k)] = markOpen(evalInstance(decl, `${id}${keyLabel(k)}`, k, val, 'each'), `${id}${keyLabel(k)}`);
      return obj;
    });
    resourceValues.set(id, v);
    return v;
  }

  function evalInstance(decl: ResourceDecl, address: string, key: Value, value: Value, mode: 'count' | 'each' | null): Record<string, Value> {
    const lines: Record<string, number> = {};
    const attributes = evalBody(decl.block.body, instanceScope(decl.file, key, value, mode), decl.file, address, '', lines);
    const id = `${decl.type}.${decl.name}`;
    let forDecl = evaluatedInstances.get(id);
    if (!forDecl) evaluatedInstances.set(id, (forDecl = new Map()));
    forDecl.set(address, { attributes, lines });
    return attributes;
  }

  // 4. Provider regions and default tags.
  const providerInfo = new Map<string, { region: string | null; regionAssumed: boolean; tags: Record<string, string> }>();
  function provider(ref: string, resourceFile: string): { region: string | null; regionAssumed: boolean; tags: Record<string, string> } {
    const cached = providerInfo.get(ref);
    if (cached) return cached;
    const decl = providers.get(ref);
    let region: string | null = DEFAULT_REGION;
    let regionAssumed = true;
    let tags: Record<string, string> = {};
    if (!decl && ref !== 'aws') {
      report(resourceFile, undefined, `provider ${ref} is not configured in this module; assumed region ${DEFAULT_REGION}`, 'warning');
    } else if (decl?.region) {
      const v = safeEval(decl.region, scopeFor(decl.file), decl.file, `provider ${ref} region`);
      if (typeof v === 'string' && v !== '') {
        region = v;
        regionAssumed = false;
      } else {
        report(decl.file, decl.region.range, `region of provider ${ref} is ${isUnknown(v) ? `unknown (${v.reason})` : 'not a string'}; assumed ${DEFAULT_REGION}`, 'warning');
      }
    } else {
      const at = decl ? decl.block.range : undefined;
      report(decl?.file ?? resourceFile, at, `no region set for provider ${ref}; assumed ${DEFAULT_REGION} (set region in the provider block)`, 'warning');
    }
    if (decl?.defaultTags) {
      const t = safeEval(decl.defaultTags, scopeFor(decl.file), decl.file, `provider ${ref} default_tags`);
      if (isObject(t)) tags = stringMap(t);
    }
    const info = { region, regionAssumed, tags };
    providerInfo.set(ref, info);
    return info;
  }

  // 5. Expand every managed resource into instances.
  for (const decl of resources) {
    if (decl.mode !== 'managed') continue;
    const id = `${decl.type}.${decl.name}`;
    try {
      resourceValue(id);
    } catch (e) {
      if (!(e instanceof EvalError)) throw e;
      report(decl.file, decl.block.range, `${id}: ${e.message}`);
      continue;
    }
    const ref = providerRef(attr(decl.block.body, 'provider')?.expr) ?? 'aws';
    const isAws = decl.type.startsWith('aws_');
    const p = isAws ? provider(ref.includes('.') || ref === 'aws' ? ref : 'aws', decl.file) : { region: null, regionAssumed: false, tags: {} };
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
        tags: { ...p.tags, ...ownTags },
        ...(p.regionAssumed ? { details: { regionAssumed: true } } : {}),
      });
    }
  }

  instances.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return { resources: instances, errors, notAnalysed };
}

function stringMap(v: Record<string, Value>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
  return out;
}
