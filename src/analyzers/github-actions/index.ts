/**
 * GitHub Actions analyzer: one workflow file (with the reusable workflows of the repository it
 * calls) -> one `github_actions_job` resource per job, carrying what a run costs and how often it
 * runs: the runner of each matrix combination (GitHub-hosted SKU, a self-hosted label mapped in
 * `.mlcost.yml` `pipelines.runners`, or unknown), the matrix size, `timeout-minutes`, instances the
 * job launches itself, and the triggers it runs for (each cron counted, event triggers at a labelled
 * default), after its `if:` and `needs:` are evaluated for each trigger. Nothing is run.
 *
 * Addresses: `github_actions_job.<workflow file stem>["<job id>"]`; jobs of a called reusable
 * workflow are `["<caller job>/<job>"]`.
 */
import type { AnalysisError, AnalysisResult, ProjectFiles, Resource, Value } from '../../core/types.js';
import { pipelineFlavour } from '../../core/projects.js';
import { joinPath } from '../../core/paths.js';
import type { PipelinesConfig } from '../../policy/schema.js';
import { countSchedules } from '../kubernetes/cron.js';
import { manifestDocs } from '../kubernetes/index.js';
import type { ManifestDoc } from '../kubernetes/manifests.js';
import type { AnalyzeOptions, Analyzer } from '../types.js';
import { addressName, fileStem, once, pipelineRegion, scheduleTrigger, triggerValue } from '../pipelines/common.js';
import type { Trigger } from '../pipelines/common.js';
import type { ExprValue, Lookup } from './expressions.js';
import { evaluateCondition, interpolate, UNKNOWN, usesStatusFunction } from './expressions.js';
import type { Combination } from './matrix.js';
import { expandMatrix, MATRIX_MAX } from './matrix.js';

/** Runs per month mlcost assumes for an event trigger when `usage:` gives none (labelled as assumed). */
export const DEFAULT_EVENT_RUNS: Record<string, number> = {
  push: 60,
  pull_request: 120,
  pull_request_target: 120,
  merge_group: 60,
  release: 2,
  workflow_dispatch: 0,
  workflow_call: 0,
  workflow_run: 0,
  repository_dispatch: 0,
};
/** GitHub runs scheduled workflows at most every 5 minutes. */
export const GITHUB_MIN_SCHEDULE_MINUTES = 5;
/** GitHub's default (and maximum) job timeout on GitHub-hosted runners, the ceiling of a run. */
export const GITHUB_DEFAULT_TIMEOUT_MINUTES = 360;
const MAX_CALL_DEPTH = 10;

/** Standard GitHub-hosted runner labels -> billing SKU (the ids of `keys.githubRunner`). */
const HOSTED: [RegExp, string][] = [
  [/^ubuntu-slim$/, 'linux-1-core'],
  [/^ubuntu-(latest|\d\d\.\d\d)-arm$/, 'linux-2-core-arm'],
  [/^ubuntu-(latest|\d\d\.\d\d)$/, 'linux-2-core'],
  [/^windows-(latest-)?11-arm$|^windows-11-arm$/, 'windows-2-core-arm'],
  [/^windows-(latest|\d{4})$/, 'windows-2-core'],
  [/^macos-(latest|\d+)-large$/, 'macos-l'],
  [/^macos-(latest|\d+)-xlarge$/, 'macos-xl'],
  [/^macos-(latest|\d+)$/, 'macos'],
];
/** SKUs free on public repositories (standard runners; larger runners are always billed). */
const STANDARD_SKUS = new Set(['linux-1-core', 'linux-2-core', 'linux-2-core-arm', 'windows-2-core', 'windows-2-core-arm', 'macos']);
/** Labels that say little about the machine: tried last when matching `pipelines.runners`. */
const GENERIC_LABELS = new Set(['self-hosted', 'linux', 'windows', 'macos', 'x64', 'arm64', 'arm', 'gpu']);

export interface GithubActionsOptions {
  config?: PipelinesConfig;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strOf(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** The runner a set of matrix combinations resolves to. */
interface RunnerSlot {
  label: string;
  combos: number;
  kind: 'github' | 'ec2' | 'free' | 'unknown';
  sku: string | null;
  instance_type: string | null;
  capacity: 'on-demand' | 'spot';
  origin: string | null;
  reason: string | null;
  no_charge: string | null;
}

interface Launch {
  instance_type: string | null;
  count: number;
  service: 'ec2' | 'sagemaker';
  action: string;
  line: number;
  reason: string | null;
}

interface Ctx {
  project: ProjectFiles;
  config: PipelinesConfig | undefined;
  errors: AnalysisError[];
  notAnalysed: NonNullable<AnalysisResult['notAnalysed']>;
  region: () => string;
}

interface WorkflowDoc {
  file: string;
  doc: ManifestDoc;
  root: Obj;
}

function readWorkflow(ctx: Ctx, file: string): WorkflowDoc | null {
  const text = ctx.project.files[file];
  if (text === undefined) return null;
  const errs: AnalysisError[] = [];
  const docs = manifestDocs(file, text, errs);
  if (errs.length) {
    ctx.errors.push(...errs.map((e) => ({ ...e, message: e.message.replace('; this document is skipped', '; the workflow is not priced') })));
    return null;
  }
  const doc = docs[0];
  if (!doc || !isObj(doc.manifest)) {
    ctx.errors.push({ file, line: doc?.line ?? 1, message: 'not a GitHub Actions workflow (expected a mapping with `on:` and `jobs:`); not priced' });
    return null;
  }
  if (!isObj(doc.manifest.jobs)) {
    ctx.errors.push({ file, line: doc.locate?.(['jobs']) ?? doc.line, message: 'workflow has no `jobs:` mapping; not priced' });
    return null;
  }
  return { file, doc, root: doc.manifest };
}

function lineOf(w: WorkflowDoc, path: (string | number)[]): number {
  return w.doc.locate?.(path) ?? w.doc.line;
}

// ---------------------------------------------------------------------------------------------
// Triggers

function eventNames(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.filter((x): x is string => typeof x === 'string');
  if (isObj(on)) return Object.keys(on);
  return [];
}

function readTriggers(ctx: Ctx, w: WorkflowDoc): Trigger[] {
  const on = w.root.on ?? w.root.true;
  const out: Trigger[] = [];
  if (on === undefined) {
    ctx.errors.push({ file: w.file, line: w.doc.line, message: 'workflow has no `on:` triggers: it never runs' , severity: 'warning' });
    return out;
  }
  for (const event of eventNames(on)) {
    const eventLine = lineOf(w, ['on', event]);
    if (event === 'schedule') {
      const list = isObj(on) ? on.schedule : undefined;
      (Array.isArray(list) ? list : []).forEach((item, i) => {
        const cron = isObj(item) ? strOf(item.cron) : undefined;
        const line = lineOf(w, ['on', 'schedule', i, 'cron']);
        if (cron === undefined) {
          ctx.errors.push({ file: w.file, line, message: 'schedule entry without a `cron:`; ignored' });
          return;
        }
        const count = countSchedules([cron], { dialect: 'github', minIntervalMinutes: GITHUB_MIN_SCHEDULE_MINUTES });
        const plain = countSchedules([cron], { dialect: 'github' });
        const capped = count.ok && plain.ok && Math.round(plain.runsPerMonth * 1000) > Math.round(count.runsPerMonth * 1000);
        const t = scheduleTrigger('schedule', cron, count, line, capped ? `GitHub runs a schedule at most every ${GITHUB_MIN_SCHEDULE_MINUTES} minutes` : null);
        if (t.error) ctx.errors.push({ file: w.file, line, message: `invalid cron: ${t.error}; its runs are not counted` });
        out.push(t);
      });
      continue;
    }
    const runs = DEFAULT_EVENT_RUNS[event];
    out.push({
      event,
      schedule: null,
      runs_per_month: runs ?? 0,
      assumed: true,
      line: eventLine,
      note: runs === undefined ? `no default for ${event} events: 0 assumed` : null,
      error: null,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Runners

function matchConfig(ctx: Ctx, labels: string[], group: string | null): { key: string; spec: NonNullable<PipelinesConfig['runners'][string]> } | undefined {
  const runners = ctx.config?.runners ?? {};
  const ordered = [...(group ? [group] : []), ...labels.filter((l) => !GENERIC_LABELS.has(l)), ...labels.filter((l) => GENERIC_LABELS.has(l))];
  for (const key of ordered) {
    const spec = runners[key];
    if (spec) return { key, spec };
  }
  return undefined;
}

/** What a resolved `runs-on` (labels and/or group) costs. */
function classify(ctx: Ctx, labels: string[], group: string | null): Omit<RunnerSlot, 'combos'> {
  const label = group ? `group ${group}${labels.length ? ` [${labels.join(', ')}]` : ''}` : labels.length === 1 ? (labels[0] as string) : `[${labels.join(', ')}]`;
  const base = { label, sku: null, instance_type: null, capacity: 'on-demand' as const, origin: null, reason: null, no_charge: null };
  const mapped = matchConfig(ctx, labels, group);
  if (mapped) {
    const origin = `.mlcost.yml pipelines.runners.${mapped.key}`;
    if ('free' in mapped.spec) return { ...base, kind: 'free', origin, no_charge: 'self-hosted runner the team already pays for' };
    if ('githubRunner' in mapped.spec) return { ...base, kind: 'github', sku: mapped.spec.githubRunner, origin };
    return { ...base, kind: 'ec2', instance_type: mapped.spec.instanceType, capacity: mapped.spec.capacity, origin };
  }
  const hint = `map it under pipelines.runners in .mlcost.yml ({ instanceType: <EC2 type> }, { githubRunner: <id> } or { free: true })`;
  if (labels.includes('self-hosted')) return { ...base, kind: 'unknown', reason: `self-hosted runner ${label} is not mapped: ${hint}` };
  if (group) return { ...base, kind: 'unknown', reason: `runner group ${group} (a larger or self-hosted runner) is not mapped: ${hint}` };
  if (labels.length === 1) {
    const l = labels[0] as string;
    const hosted = HOSTED.find(([re]) => re.test(l));
    if (hosted) {
      const sku = hosted[1];
      if (ctx.config?.publicRepository && STANDARD_SKUS.has(sku))
        return { ...base, kind: 'free', sku, origin: '.mlcost.yml pipelines.publicRepository', no_charge: 'standard GitHub-hosted runners are free for public repositories' };
      return { ...base, kind: 'github', sku, origin: `GitHub-hosted label ${l}` };
    }
  }
  return { ...base, kind: 'unknown', reason: `runs-on ${label} is not a standard GitHub-hosted label (a larger or self-hosted runner): ${hint}` };
}

/** `runs-on` for one matrix combination -> labels and group, or the unresolved expression. */
function resolveRunsOn(raw: unknown, lookup: Lookup): { labels: string[]; group: string | null } | { unknown: string } {
  const one = (v: unknown): ExprValue | undefined => (typeof v === 'string' ? (v.includes('${{') ? interpolate(v, lookup) : v) : (v as ExprValue | undefined));
  const value = one(raw);
  if (value === UNKNOWN) return { unknown: String(raw) };
  const labelsOf = (v: unknown): string[] | null => {
    if (typeof v === 'string') return [v];
    if (Array.isArray(v)) {
      const out: string[] = [];
      for (const x of v) {
        const r = one(x);
        if (r === UNKNOWN || typeof r !== 'string') return null;
        out.push(r);
      }
      return out;
    }
    return v === undefined || v === null ? [] : null;
  };
  if (isObj(value)) {
    const g = one(value.group);
    const labels = labelsOf(one(value.labels));
    if (g === UNKNOWN || labels === null) return { unknown: JSON.stringify(raw) };
    return { labels, group: typeof g === 'string' ? g : null };
  }
  const labels = labelsOf(value);
  if (labels === null || labels.length === 0) return { unknown: typeof raw === 'string' ? raw : JSON.stringify(raw) };
  return { labels, group: null };
}

// ---------------------------------------------------------------------------------------------
// Jobs

interface JobPlan {
  id: string;
  name: string;
  file: string;
  line: number;
  /** Runner per matrix combination (null combinations: unknown matrix). */
  runners: RunnerSlot[];
  matrixSize: number | null;
  matrixError: string | null;
  timeout: number | null;
  timeoutLine: number | null;
  launches: Launch[];
  triggers: Trigger[];
  notes: string[];
  calledFrom: string | null;
}

/** The job that starts an EC2 runner for others (machulav/ec2-github-runner `mode: start`), by job id. */
function ec2RunnerStarter(job: Obj, lookup: Lookup): { type: string | null; line: (string | number)[] } | null {
  const steps = Array.isArray(job.steps) ? job.steps : [];
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (!isObj(s) || typeof s.uses !== 'string' || !/ec2-github-runner/i.test(s.uses) || !isObj(s.with)) continue;
    if (String(s.with.mode ?? '').toLowerCase() !== 'start') continue;
    const raw = s.with['ec2-instance-type'] ?? s.with.ec2_instance_type;
    const v = typeof raw === 'string' ? interpolate(raw, lookup) : raw;
    return { type: typeof v === 'string' ? v : null, line: ['steps', i, 'with'] };
  }
  return null;
}

const INSTANCE_TYPE_INPUT = /^(ec2[-_])?instance[-_]?type$/i;
const INSTANCE_COUNT_INPUT = /^(ec2[-_])?instance[-_]?count$/i;

/** Steps of a job that launch cloud instances through an action input (`instance-type: ml.p4d.24xlarge`). */
function launchesOf(w: WorkflowDoc, jobPath: (string | number)[], job: Obj, lookup: Lookup): Launch[] {
  const out: Launch[] = [];
  const steps = Array.isArray(job.steps) ? job.steps : [];
  steps.forEach((s, i) => {
    if (!isObj(s) || typeof s.uses !== 'string' || !isObj(s.with)) return;
    if (/ec2-github-runner/i.test(s.uses)) return; // a runner for other jobs, priced on them
    const entry = Object.entries(s.with).find(([k]) => INSTANCE_TYPE_INPUT.test(k));
    if (!entry) return;
    const [key, raw] = entry;
    const value = typeof raw === 'string' ? interpolate(raw, lookup) : raw;
    const countEntry = Object.entries(s.with).find(([k]) => INSTANCE_COUNT_INPUT.test(k));
    const countRaw = countEntry ? (typeof countEntry[1] === 'string' ? interpolate(countEntry[1], lookup) : countEntry[1]) : 1;
    const count = typeof countRaw === 'number' ? countRaw : typeof countRaw === 'string' && /^\d+$/.test(countRaw) ? Number(countRaw) : null;
    const type = typeof value === 'string' ? value : null;
    out.push({
      instance_type: type,
      count: count ?? 1,
      service: type?.startsWith('ml.') ? 'sagemaker' : 'ec2',
      action: s.uses,
      line: lineOf(w, [...jobPath, 'steps', i, 'with', key]),
      reason: type === null ? `${key} ${typeof raw === 'string' ? raw : ''} is set when the workflow runs`.replace('  ', ' ') : count === null ? null : null,
    });
  });
  return out;
}

function contextLookup(extra: { inputs?: Obj; env?: Obj; matrix?: Combination; event?: string; schedule?: string | null }): Lookup {
  return (path) => {
    const [head, ...rest] = path;
    const dig = (root: unknown, keys: string[]): ExprValue => {
      let cur: unknown = root;
      for (const k of keys) {
        if (!isObj(cur)) return UNKNOWN;
        if (!(k in cur)) return null;
        cur = cur[k];
      }
      return cur === undefined ? null : (cur as ExprValue);
    };
    if (head === 'matrix' && extra.matrix) return dig(extra.matrix, rest);
    if (head === 'inputs' && extra.inputs) {
      const k = rest[0];
      if (k === undefined || !(k in extra.inputs)) return UNKNOWN;
      return dig(extra.inputs, rest);
    }
    if (head === 'env' && extra.env && rest.length === 1 && typeof extra.env[rest[0] as string] === 'string' && !String(extra.env[rest[0] as string]).includes('${{')) return extra.env[rest[0] as string] as string;
    if (head === 'github' && extra.event !== undefined) {
      if (rest.length === 1 && rest[0] === 'event_name') return extra.event;
      if (rest.length === 2 && rest[0] === 'event' && rest[1] === 'schedule') return extra.event === 'schedule' ? (extra.schedule ?? null) : null;
    }
    return UNKNOWN;
  };
}

/** Whether a job runs for a trigger, from its `if:` (three-valued) and whether the jobs it needs run. */
function runsFor(job: Obj, trigger: Trigger, needsRun: (id: string) => boolean | typeof UNKNOWN, inputs?: Obj): { value: boolean | typeof UNKNOWN; error?: string } {
  const needs = typeof job.needs === 'string' ? [job.needs] : Array.isArray(job.needs) ? job.needs.filter((x): x is string => typeof x === 'string') : [];
  let needsValue: boolean | typeof UNKNOWN = true;
  for (const n of needs) {
    const v = needsRun(n);
    if (v === false) needsValue = false;
    else if (v === UNKNOWN && needsValue === true) needsValue = UNKNOWN;
  }
  if (needsValue === false && !usesStatusFunction(job.if)) return { value: false };
  if (job.if === undefined || job.if === null) return { value: needsValue };
  const c = evaluateCondition(job.if as string | boolean | number, contextLookup({ event: trigger.event, schedule: trigger.schedule, ...(inputs ? { inputs } : {}) }));
  if (c.value === false) return c;
  return { value: c.value === UNKNOWN || needsValue === UNKNOWN ? UNKNOWN : true, ...(c.error ? { error: c.error } : {}) };
}

interface Scope {
  w: WorkflowDoc;
  /** Job id prefix (`caller/`) for jobs of called workflows. */
  prefix: string;
  /** Caller's combinations (each with the callee's inputs resolved for it). */
  callerInputs: Obj[];
  /** The triggers each job of this workflow may run for, after the caller's own condition. */
  triggers: Trigger[];
  callerId: string | null;
  callerCondition: Map<Trigger, boolean | typeof UNKNOWN>;
  depth: number;
  stack: string[];
}

function workflowEnv(w: WorkflowDoc, job: Obj): Obj {
  return { ...(isObj(w.root.env) ? w.root.env : {}), ...(isObj(job.env) ? job.env : {}) };
}

function inputDefaults(w: WorkflowDoc): Obj {
  const on = w.root.on;
  const call = isObj(on) && isObj(on.workflow_call) ? on.workflow_call : undefined;
  const inputs = call && isObj(call.inputs) ? call.inputs : {};
  const out: Obj = {};
  for (const [k, v] of Object.entries(inputs)) if (isObj(v) && v.default !== undefined) out[k] = v.default;
  return out;
}

function planJobs(ctx: Ctx, scope: Scope, out: JobPlan[]): void {
  const { w } = scope;
  const jobs = w.root.jobs as Obj;
  const ids = Object.keys(jobs);
  // Which jobs run for which trigger: evaluated in `needs` order (memoised, cycles are unknown).
  const memo = new Map<string, Map<Trigger, { value: boolean | typeof UNKNOWN; error?: string }>>();
  const visiting = new Set<string>();
  const decide = (id: string, t: Trigger): boolean | typeof UNKNOWN => {
    const job = jobs[id];
    if (!isObj(job)) return UNKNOWN;
    let m = memo.get(id);
    if (!m) memo.set(id, (m = new Map()));
    const hit = m.get(t);
    if (hit) return hit.value;
    if (visiting.has(id)) return UNKNOWN;
    visiting.add(id);
    const own = runsFor(job, t, (n) => decide(n, t), scope.callerInputs[0]);
    const caller = scope.callerCondition.get(t) ?? true;
    const value = caller === false ? false : own.value === false ? false : caller === UNKNOWN || own.value === UNKNOWN ? UNKNOWN : true;
    visiting.delete(id);
    m.set(t, { value, ...(own.error ? { error: own.error } : {}) });
    return value;
  };
  const starters = new Map<string, { type: string | null; line: number }>();
  for (const id of ids) {
    const job = jobs[id];
    if (!isObj(job)) continue;
    const s = ec2RunnerStarter(job, contextLookup({ env: workflowEnv(w, job), inputs: scope.callerInputs[0] ?? {} }));
    if (s) starters.set(id, { type: s.type, line: lineOf(w, ['jobs', id, ...s.line]) });
  }

  for (const id of ids) {
    const job = jobs[id];
    const jobPath = ['jobs', id];
    const line = lineOf(w, jobPath);
    if (!isObj(job)) {
      ctx.errors.push({ file: w.file, line, message: `job ${id} is not a mapping; ignored` });
      continue;
    }
    const fullId = `${scope.prefix}${id}`;
    // Triggers this job runs for.
    const triggers: Trigger[] = [];
    const notes: string[] = [];
    for (const t of scope.triggers) {
      const v = decide(id, t);
      if (v === false) continue;
      const err = memo.get(id)?.get(t)?.error;
      if (err) ctx.errors.push({ file: w.file, line: lineOf(w, [...jobPath, 'if']), message: `job ${fullId}: if: cannot be read (${err}); assumed to run`, severity: 'warning' });
      triggers.push(v === UNKNOWN ? { ...t, note: [t.note, 'its `if:` cannot be decided statically: assumed to run'].filter(Boolean).join('; ') } : t);
    }
    const env = workflowEnv(w, job);
    const strategy = isObj(job.strategy) ? job.strategy : {};
    const callerInputs = scope.callerInputs.length ? scope.callerInputs : [{}];
    // Reusable workflow: its jobs are this job's jobs, each caller combination calling it once.
    if (typeof job.uses === 'string') {
      const m = /^\.\/(\.github\/workflows\/[^@\s]+\.ya?ml)$/.exec(job.uses.trim());
      if (!m) {
        ctx.notAnalysed.push({ address: `github_actions_job.${addressName(fileStem(ctx.project.path))}[${JSON.stringify(fullId)}]`, type: 'github_actions_job', reason: `calls ${job.uses}, a reusable workflow outside this repository: not read` });
        continue;
      }
      const root = w.file.includes('.github/workflows/') ? w.file.slice(0, w.file.lastIndexOf('.github/workflows/')) : '';
      const target = joinPath(root ? root.replace(/\/$/, '') : '.', m[1] as string) as string;
      if (scope.stack.includes(target) || scope.depth >= MAX_CALL_DEPTH) {
        ctx.errors.push({ file: w.file, line: lineOf(w, [...jobPath, 'uses']), message: `job ${fullId}: reusable workflow ${target} calls itself (or nests more than ${MAX_CALL_DEPTH} deep); not expanded` });
        continue;
      }
      const callee = readWorkflow(ctx, target);
      if (!callee) {
        if (ctx.project.files[target] === undefined) ctx.errors.push({ file: w.file, line: lineOf(w, [...jobPath, 'uses']), message: `job ${fullId}: reusable workflow ${target} is not in the repository; not priced` });
        continue;
      }
      const matrix = expandMatrix(strategy.matrix, contextLookup({ env }));
      if (!matrix.ok) {
        ctx.errors.push({ file: w.file, line: lineOf(w, [...jobPath, 'strategy', 'matrix']), message: `job ${fullId}: ${matrix.reason}; the matrix size is unknown (set matrix_size under usage:)`, severity: 'warning' });
      }
      const combos = matrix.ok ? matrix.combinations : [{}];
      const defaults = inputDefaults(callee);
      const inputs = combos.flatMap((combo) =>
        callerInputs.map((ci) => {
          const resolved: Obj = { ...defaults };
          for (const [k, v] of Object.entries(isObj(job.with) ? job.with : {})) {
            const r = typeof v === 'string' ? interpolate(v, contextLookup({ matrix: combo, env, inputs: ci })) : v;
            resolved[k] = r === UNKNOWN ? undefined : r;
            if (r === UNKNOWN) delete resolved[k];
          }
          return resolved;
        }),
      );
      const before = out.length;
      // The called jobs run for the triggers the calling job runs for (with its notes).
      planJobs(ctx, { w: callee, prefix: `${fullId}/`, callerInputs: inputs, triggers, callerId: fullId, callerCondition: new Map(), depth: scope.depth + 1, stack: [...scope.stack, target] }, out);
      if (!matrix.ok) for (const p of out.slice(before)) if (p.matrixSize !== null) {
        p.matrixSize = null;
        p.matrixError = matrix.reason;
      }
      continue;
    }
    // Matrix and runner per combination.
    const matrix = expandMatrix(strategy.matrix, contextLookup({ env, inputs: callerInputs[0] ?? {} }));
    let matrixSize: number | null = null;
    let matrixError: string | null = null;
    const slots = new Map<string, RunnerSlot>();
    const addSlot = (runner: Omit<RunnerSlot, 'combos'>, n: number) => {
      const key = JSON.stringify(runner);
      const s = slots.get(key);
      if (s) s.combos += n;
      else slots.set(key, { ...runner, combos: n });
    };
    const runnerFor = (combo: Combination, inputs: Obj): Omit<RunnerSlot, 'combos'> => {
      const lookup = contextLookup({ matrix: combo, env, inputs });
      const r = resolveRunsOn(job['runs-on'], lookup);
      if ('unknown' in r) {
        const needsRef = /needs\.([A-Za-z0-9_-]+)\.outputs/.exec(r.unknown);
        const starter = needsRef ? starters.get(needsRef[1] as string) : undefined;
        if (starter) {
          const origin = `EC2 runner started by job ${needsRef?.[1]} (${ctx.project.files[w.file] ? w.file : ''}:${starter.line})`;
          if (starter.type) return { label: `EC2 runner (${starter.type})`, kind: 'ec2', sku: null, instance_type: starter.type, capacity: 'on-demand', origin, reason: null, no_charge: null };
          return { label: 'EC2 runner', kind: 'unknown', sku: null, instance_type: null, capacity: 'on-demand', origin, reason: 'the EC2 runner\'s instance type is set when the workflow runs', no_charge: null };
        }
        if (job['runs-on'] === undefined) return { label: '(none)', kind: 'unknown', sku: null, instance_type: null, capacity: 'on-demand', origin: null, reason: 'the job has no runs-on', no_charge: null };
        return { label: r.unknown, kind: 'unknown', sku: null, instance_type: null, capacity: 'on-demand', origin: null, reason: `runs-on ${r.unknown} is decided when the workflow runs; map the label under pipelines.runners or set it literally`, no_charge: null };
      }
      return classify(ctx, r.labels, r.group);
    };
    if (matrix.ok && matrix.tooMany !== undefined) {
      matrixSize = matrix.tooMany;
      ctx.errors.push({ file: w.file, line: lineOf(w, [...jobPath, 'strategy', 'matrix']), message: `job ${fullId}: the matrix makes ${matrix.tooMany.toLocaleString('en-US')} combinations, over GitHub's limit of ${MATRIX_MAX} jobs; counted without include/exclude`, severity: 'warning' });
      addSlot(runnerFor({}, callerInputs[0] ?? {}), matrix.tooMany * callerInputs.length);
    } else if (matrix.ok) {
      matrixSize = matrix.combinations.length * callerInputs.length;
      if (matrix.combinations.length > MATRIX_MAX)
        ctx.errors.push({ file: w.file, line: lineOf(w, [...jobPath, 'strategy', 'matrix']), message: `job ${fullId}: ${matrix.combinations.length} matrix combinations, over GitHub's limit of ${MATRIX_MAX} jobs per matrix; priced as written`, severity: 'warning' });
      for (const inputs of callerInputs) for (const combo of matrix.combinations) addSlot(runnerFor(combo, inputs), 1);
    } else {
      matrixError = matrix.reason;
      ctx.errors.push({ file: w.file, line: lineOf(w, [...jobPath, 'strategy', 'matrix']), message: `job ${fullId}: ${matrix.reason}; the matrix size is unknown (set matrix_size under usage:)`, severity: 'warning' });
      addSlot(runnerFor({}, callerInputs[0] ?? {}), 0);
    }
    const timeoutRaw = job['timeout-minutes'];
    const timeout = typeof timeoutRaw === 'number' && timeoutRaw > 0 ? timeoutRaw : null;
    if (timeoutRaw !== undefined && timeout === null) notes.push(`timeout-minutes ${String(timeoutRaw)} is not a number: GitHub's default ${GITHUB_DEFAULT_TIMEOUT_MINUTES} used as the ceiling`);
    out.push({
      id: fullId,
      name: strOf(job.name) ?? id,
      file: w.file,
      line,
      runners: [...slots.values()],
      matrixSize,
      matrixError,
      timeout,
      timeoutLine: timeout !== null ? lineOf(w, [...jobPath, 'timeout-minutes']) : null,
      launches: launchesOf(w, jobPath, job, contextLookup({ env, inputs: callerInputs[0] ?? {} })),
      triggers,
      notes,
      calledFrom: scope.callerId,
    });
  }
}

function resourceOf(ctx: Ctx, workflow: WorkflowDoc, p: JobPlan): Resource {
  const wf = addressName(fileStem(ctx.project.path));
  const needsRegion = p.runners.some((r) => r.kind === 'ec2') || p.launches.length > 0;
  const attributes: Record<string, Value> = {
    workflow: strOf(workflow.root.name) ?? fileStem(ctx.project.path),
    job: p.id,
    job_name: p.name,
    triggers: p.triggers.map(triggerValue),
    runners: p.runners.map((r) => ({ ...r })),
    matrix_size: p.matrixSize,
    matrix_error: p.matrixError,
    timeout_minutes: p.timeout,
    minutes_ceiling: p.timeout ?? GITHUB_DEFAULT_TIMEOUT_MINUTES,
    ceiling_source: p.timeout !== null ? 'timeout-minutes' : `GitHub's default timeout-minutes ${GITHUB_DEFAULT_TIMEOUT_MINUTES}`,
    launches: p.launches.map((l) => ({ ...l })),
    notes: p.notes,
    called_from: p.calledFrom,
  };
  return {
    address: `github_actions_job.${wf}[${JSON.stringify(p.id)}]`,
    type: 'github_actions_job',
    file: p.file,
    line: p.line,
    region: needsRegion ? ctx.region() : null,
    attributes,
    attributeLines: { ...(p.timeoutLine !== null ? { timeout_minutes: p.timeoutLine } : {}) },
  };
}

export const githubActions = {
  id: 'github-actions',
  kind: 'pipeline',
  matches: (path: string) => /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(path),
  accepts: (project: ProjectFiles) => pipelineFlavour(project.path, project.files[project.path] ?? '') === 'github-actions',
  analyze(project: ProjectFiles, options: AnalyzeOptions = {}): AnalysisResult {
    const errors: AnalysisError[] = [];
    const notAnalysed: NonNullable<AnalysisResult['notAnalysed']> = [];
    const config = options.pipelines?.config;
    let region: string | undefined;
    const warnRegion = once(errors, { file: project.path, line: 1, message: 'pipelines.region is not set in .mlcost.yml; EC2 prices are for us-east-1 (assumed)', severity: 'warning' });
    const ctx: Ctx = { project, config, errors, notAnalysed, region: () => (region ??= pipelineRegion(config, undefined, warnRegion)) };
    const w = readWorkflow(ctx, project.path);
    if (!w) return { resources: [], errors };
    const triggers = readTriggers(ctx, w);
    const plans: JobPlan[] = [];
    planJobs(ctx, { w, prefix: '', callerInputs: [], triggers, callerId: null, callerCondition: new Map(), depth: 0, stack: [project.path] }, plans);
    const resources = plans.map((p) => resourceOf(ctx, w, p)).sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    return { resources, errors, ...(notAnalysed.length ? { notAnalysed } : {}) };
  },
} satisfies Analyzer;
