/**
 * renderTemplates: Helm's engine without the helm binary. Every template of a chart and its
 * subcharts is parsed into one set of named templates (defines are global, the shallowest file
 * winning a duplicate name, as Helm's parse order makes it), then each non-partial template is
 * executed with its own chart's .Values/.Chart/.Files. A template that fails reports an error and
 * the others still render; nothing here throws.
 */
import { ExecError, LimitError, ParseError, Source } from './errors.js';
import { DEFAULT_LIMITS, Executor, TemplateSet, type FuncDef, type Limits } from './exec.js';
import { builtins } from './funcs/builtins.js';
import { sprigFunctions } from './funcs/sprig.js';
import {
  helmFunctions, makeCapabilities, makeChart, makeFiles, type CapabilitiesInput, type FileContent,
} from './helm.js';
import { isEmptyTree, type Tree } from './parser.js';
import type { TimeValue } from './time.js';
import { GoInt, importValue, isPlainMap, tagType } from './values.js';

export interface ReleaseInput {
  Name: string;
  Namespace: string;
  /** Default "Helm". */
  Service?: string;
  /** Default true. */
  IsInstall?: boolean;
  /** Default false. */
  IsUpgrade?: boolean;
  /** Default 1. */
  Revision?: number;
}

/** The values, metadata and files of one chart. */
export interface ChartScope {
  /** .Values, already merged by the caller. JS numbers are float64 (as Helm reads YAML); bigint is int64. */
  values: unknown;
  /** .Chart: Chart.yaml's fields, with Helm's names (Name, AppVersion) or Chart.yaml's (name, appVersion). */
  chart: Record<string, unknown>;
  /** .Files: path relative to the chart root -> content. */
  files?: Record<string, FileContent>;
}

export interface RenderInput extends ChartScope {
  /**
   * Every template of the chart and its subcharts, named as Helm names them:
   * "mychart/templates/deployment.yaml", "mychart/charts/redis/templates/_helpers.tpl".
   */
  templates: Record<string, string>;
  release: ReleaseInput;
  capabilities?: CapabilitiesInput;
  /**
   * Subcharts, by their path in template names ("mychart/charts/redis"). A template whose name
   * starts with "<path>/" is rendered with that scope (the longest matching path wins); the others
   * with the root scope above.
   */
  subcharts?: Record<string, ChartScope>;
  /** What `now` returns (also the reference for `ago`, `date` without a date). Default 2025-01-01T00:00:00Z. */
  now?: Date;
  limits?: Partial<Limits>;
  /** A clock for the time budget (milliseconds); default Date.now. */
  clock?: () => number;
}

export interface RenderError {
  /** The template whose rendering failed. */
  template: string;
  /** Where in `template` (1-based): the failing action, or the include/template/tpl call that led to it. */
  line: number;
  column?: number;
  /** What went wrong: for fail/required, the chart's own message. */
  message: string;
  kind: 'parse' | 'exec' | 'fail' | 'limit';
  /** Where the failure itself is, when it is inside a define or a tpl string. */
  origin?: { file: string; line: number; column: number };
  /** The include/template/tpl calls from the failure outwards ("file:line:col include \"name\""). */
  stack?: string[];
  /** The action being evaluated, as Go's "at <...>" shows it. */
  near?: string;
}

export interface RenderResult {
  /** Rendered text of each non-partial template that rendered, by template name. */
  outputs: Record<string, string>;
  errors: RenderError[];
  /** Work done: evaluation steps and characters output (what the limits count). */
  stats: { steps: number; outputChars: number };
}

export const DEFAULT_NOW = new Date(Date.UTC(2025, 0, 1, 0, 0, 0));

/** Helm's parse order: deeper paths first, then reverse lexical; later definitions win. */
export function helmTemplateOrder(names: string[]): string[] {
  const depth = (s: string): number => s.split('/').length - 1;
  return [...names].sort((a, b) => {
    const da = depth(a);
    const db = depth(b);
    if (da !== db) return db - da;
    return a < b ? 1 : a > b ? -1 : 0;
  });
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function basePath(name: string): string {
  const i = name.lastIndexOf('/templates/');
  if (i >= 0) return name.slice(0, i + '/templates'.length);
  const j = name.lastIndexOf('/');
  return j >= 0 ? name.slice(0, j) : '';
}

interface Scope {
  path: string | undefined;
  top: Record<string, unknown>;
}

let FUNCS: Map<string, FuncDef> | undefined;

/** The template functions: Go's builtins, Sprig, Helm's (built once). */
function buildFuncs(): Map<string, FuncDef> {
  if (FUNCS) return FUNCS;
  const m = new Map<string, FuncDef>();
  for (const [k, v] of Object.entries(builtins)) m.set(k, v);
  for (const [k, v] of Object.entries(sprigFunctions())) if (!m.has(k) || k === 'slice') m.set(k, v);
  for (const [k, v] of Object.entries(helmFunctions())) m.set(k, v);
  // Helm removes these two from Sprig: templates must not read the environment.
  m.delete('env');
  m.delete('expandenv');
  // Go's own slice builtin handles strings too; keep it (Sprig's only takes lists).
  const goSlice = builtins.slice;
  if (goSlice) m.set('slice', goSlice);
  FUNCS = m;
  return m;
}

function errorFromExec(template: string, e: ExecError): RenderError {
  const outer = e.frames.length > 0 ? e.frames[e.frames.length - 1] : undefined;
  const at = outer ?? e.origin;
  const err: RenderError = { template, line: at.line, column: at.column, message: e.message, kind: e.kind };
  if (outer) {
    err.origin = { ...e.origin };
    err.stack = e.frames.map((f) => `${f.file}:${f.line}:${f.column} ${f.call}`);
  } else if (e.origin.file !== template) {
    err.origin = { ...e.origin };
  }
  if (e.near) err.near = e.near;
  return err;
}

/** Renders every non-partial template. Never throws. */
export function renderTemplates(input: RenderInput): RenderResult {
  const outputs: Record<string, string> = {};
  const errors: RenderError[] = [];
  const stats = { steps: 0, outputChars: 0 };
  try {
    const nowDate = input.now ?? DEFAULT_NOW;
    const nowValue: TimeValue = { ms: nowDate.getTime(), ns: 0, offset: 0, zone: 'UTC' };
    const limits: Limits = { ...DEFAULT_LIMITS, ...(input.limits ?? {}) };
    const exec = new Executor({ funcs: buildFuncs(), limits, nowTime: nowValue, now: input.clock ?? (() => Date.now()) });

    // Scopes: the root chart and each subchart.
    const release = {
      Name: input.release.Name,
      Namespace: input.release.Namespace,
      IsUpgrade: input.release.IsUpgrade ?? false,
      IsInstall: input.release.IsInstall ?? true,
      Revision: new GoInt(BigInt(Math.trunc(input.release.Revision ?? 1)), 'int'),
      Service: input.release.Service ?? 'Helm',
    };
    const capabilities = makeCapabilities(input.capabilities);
    const makeTop = (scope: ChartScope): Record<string, unknown> => {
      const values = importValue(scope.values ?? {});
      return {
        Values: isPlainMap(values) ? tagType(values, 'chartutil.Values') : values,
        Release: release,
        Chart: makeChart(scope.chart ?? {}),
        Files: makeFiles(scope.files ?? {}),
        Capabilities: capabilities,
      };
    };
    const subPaths = Object.keys(input.subcharts ?? {}).map((p) => (p.endsWith('/') ? p.slice(0, -1) : p)).sort((a, b) => b.length - a.length);
    const scopes = new Map<string | undefined, Scope>();
    scopes.set(undefined, { path: undefined, top: makeTop(input) });
    for (const p of subPaths) {
      const sc = input.subcharts?.[p] ?? input.subcharts?.[`${p}/`];
      if (sc) scopes.set(p, { path: p, top: makeTop(sc) });
    }
    const scopeOf = (name: string): Scope => {
      for (const p of subPaths) if (name.startsWith(`${p}/`)) return scopes.get(p) as Scope;
      return scopes.get(undefined) as Scope;
    };
    // .Subcharts: each chart's direct subcharts, by name.
    const rootPath = Object.keys(input.templates).map((n) => basePath(n)).filter((b) => !subPaths.some((p) => b.startsWith(`${p}/`)))
      .map((b) => b.replace(/\/templates$/, ''))[0];
    for (const [p, scope] of scopes) {
      const prefix = `${p ?? rootPath ?? ''}/charts/`;
      const subs: Record<string, unknown> = {};
      for (const q of subPaths) {
        if (q.startsWith(prefix) && !q.slice(prefix.length).includes('/')) subs[q.slice(prefix.length)] = (scopes.get(q) as Scope).top;
      }
      scope.top.Subcharts = subs;
    }

    // Parse everything in Helm's order; defines are global.
    const set = new TemplateSet();
    const mains = new Map<string, Tree>();
    const order = helmTemplateOrder(Object.keys(input.templates));
    for (const name of order) {
      const text = input.templates[name] ?? '';
      try {
        const parsed = exec.parse(new Source(name, text));
        mains.set(name, parsed.main);
        set.trees.set(name, parsed.main);
        for (const [dn, tree] of parsed.defines) {
          const old = set.trees.get(dn);
          if (old && isEmptyTree(tree.root)) continue;
          set.trees.set(dn, tree);
        }
      } catch (e) {
        if (e instanceof ParseError) {
          const loc = e.location();
          errors.push({ template: name, line: loc.line, column: loc.column, message: e.message, kind: 'parse' });
        } else if (e instanceof RangeError) {
          errors.push({ template: name, line: 1, message: `template nests too deeply to parse: ${e.message}`, kind: 'limit' });
        } else throw e;
      }
    }

    // Execute the non-partial templates, in Helm's order (values mutated by one are seen by the next).
    for (const name of order) {
      if (baseName(name).startsWith('_')) continue;
      const tree = mains.get(name);
      if (!tree) continue;
      const scope = scopeOf(name);
      const data = { ...scope.top, Template: { Name: name, BasePath: basePath(name) } };
      exec.resetTemplateBudget();
      try {
        const out = exec.execute(tree, data, set);
        outputs[name] = out.includes('<no value>') ? out.replaceAll('<no value>', '') : out;
      } catch (e) {
        if (e instanceof ExecError) errors.push(errorFromExec(name, e));
        else if (e instanceof LimitError || e instanceof RangeError) {
          errors.push({ template: name, line: 1, message: e.message, kind: 'limit' });
        } else throw e;
      }
    }
    stats.steps = exec.totalSteps;
    stats.outputChars = exec.totalOutput;
  } catch (e) {
    errors.push({ template: '', line: 0, message: `internal error: ${e instanceof Error ? e.message : String(e)}`, kind: 'exec' });
  }
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(outputs).sort()) sorted[k] = outputs[k] as string;
  return { outputs: sorted, errors, stats };
}
