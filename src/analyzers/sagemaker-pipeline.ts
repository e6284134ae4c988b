/**
 * SageMaker Pipelines analyzer: a pipeline definition JSON (what the SageMaker Python SDK's
 * `pipeline.definition()` writes) -> one `sagemaker_pipeline_step` per step that runs instances:
 * Training, Processing (and QualityCheck/ClarifyCheck processing jobs), Transform and Tuning, with
 * instance type and count, volume size, `MaxRuntimeInSeconds`, managed spot, and the steps inside
 * Condition branches. `{"Get": "Parameters.X"}` resolves to the parameter's default (usage
 * `parameters.X` replaces it at pricing). How often it runs comes from the Terraform of the
 * repository that creates it (`aws_sagemaker_pipeline` whose `pipeline_definition` reads this file)
 * and the EventBridge schedules that target it (`aws_scheduler_schedule`, or an
 * `aws_cloudwatch_event_rule` with a target): `rate(...)` / `cron(...)` -> runs per month.
 *
 * Addresses: `sagemaker_pipeline_step.<file stem>["<step name>"]`.
 */
import type { AnalysisError, AnalysisResult, ProjectFiles, Resource, Value } from '../core/types.js';
import { isUnknown } from '../core/types.js';
import { pipelineFlavour } from '../core/projects.js';
import { dirOf } from '../core/paths.js';
import { manifestDocs } from './kubernetes/index.js';
import type { ManifestDoc } from './kubernetes/manifests.js';
import { analyzeModule } from './terraform/module.js';
import type { AnalyzeOptions, Analyzer } from './types.js';
import { addressName, configScheduleRuns, eventBridgeRuns, fileStem, once, pipelineRegion, scheduleTrigger, triggerValue } from './pipelines/common.js';
import type { Trigger } from './pipelines/common.js';

/** Runs per month assumed when nothing in the repository schedules the pipeline (labelled). */
export const DEFAULT_SAGEMAKER_RUNS = 1;

type Obj = Record<string, unknown>;
type Path = (string | number)[];

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface Param {
  name: string;
  default: unknown;
}

/** A step value: a literal, a parameter (with its default), or something computed at run time. */
interface Resolved {
  value: string | number | boolean | null;
  param: string | null;
  why: string | null;
}

function resolve(v: unknown, params: Map<string, Param>, what: string): Resolved {
  if (v === undefined || v === null) return { value: null, param: null, why: null };
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return { value: v, param: null, why: null };
  if (isObj(v) && typeof v.Get === 'string') {
    const m = /^Parameters\.(.+)$/.exec(v.Get);
    if (m) {
      const p = params.get(m[1] as string);
      if (!p) return { value: null, param: m[1] as string, why: `${what} is parameter ${m[1]}, which the pipeline does not declare` };
      const d = p.default;
      if (typeof d === 'string' || typeof d === 'number' || typeof d === 'boolean') return { value: d, param: p.name, why: null };
      return { value: null, param: p.name, why: `${what} is parameter ${p.name}, which has no default (set parameters.${p.name} under usage:)` };
    }
    return { value: null, param: null, why: `${what} comes from ${v.Get}, known only when the pipeline runs` };
  }
  return { value: null, param: null, why: `${what} is an expression (${Object.keys(isObj(v) ? v : {}).join(', ')}) known only when the pipeline runs` };
}

const COMPUTE: Record<string, 'training' | 'processing' | 'batch'> = {
  Training: 'training',
  Tuning: 'training',
  Processing: 'processing',
  QualityCheck: 'processing',
  ClarifyCheck: 'processing',
  Transform: 'batch',
};
/** Steps that start no instances of their own. */
const NO_INSTANCES = new Set(['Condition', 'RegisterModel', 'Model', 'CreateModel', 'Fail']);

interface StepCtx {
  doc: ManifestDoc;
  params: Map<string, Param>;
  errors: AnalysisError[];
  notAnalysed: NonNullable<AnalysisResult['notAnalysed']>;
  pipeline: string;
  file: string;
  region: string;
  triggers: Trigger[];
  out: Resource[];
}

function at(ctx: StepCtx, path: Path): number {
  return ctx.doc.locate?.(path) ?? ctx.doc.line;
}

function resourceConfig(args: Obj, type: string): { config: Obj; path: Path } {
  if (type === 'Training') return { config: isObj(args.ResourceConfig) ? args.ResourceConfig : {}, path: ['ResourceConfig'] };
  if (type === 'Tuning') {
    const def = isObj(args.TrainingJobDefinition) ? args.TrainingJobDefinition : Array.isArray(args.TrainingJobDefinitions) && isObj(args.TrainingJobDefinitions[0]) ? (args.TrainingJobDefinitions[0] as Obj) : {};
    const base: Path = isObj(args.TrainingJobDefinition) ? ['TrainingJobDefinition'] : ['TrainingJobDefinitions', 0];
    return { config: isObj(def.ResourceConfig) ? def.ResourceConfig : {}, path: [...base, 'ResourceConfig'] };
  }
  if (type === 'Transform') return { config: isObj(args.TransformResources) ? args.TransformResources : {}, path: ['TransformResources'] };
  const pr = isObj(args.ProcessingResources) ? args.ProcessingResources : {};
  return { config: isObj(pr.ClusterConfig) ? pr.ClusterConfig : {}, path: ['ProcessingResources', 'ClusterConfig'] };
}

function stepResource(ctx: StepCtx, step: Obj, path: Path, branch: string | null): void {
  const name = typeof step.Name === 'string' ? step.Name : `#${String(path[path.length - 1])}`;
  const type = typeof step.Type === 'string' ? step.Type : '';
  const args = isObj(step.Arguments) ? step.Arguments : {};
  const argsPath: Path = [...path, 'Arguments'];
  if (type === 'Condition') {
    for (const side of ['IfSteps', 'ElseSteps'] as const) {
      const list = args[side];
      (Array.isArray(list) ? list : []).forEach((s, i) => {
        if (isObj(s)) stepResource(ctx, s, [...argsPath, side, i], `${side === 'IfSteps' ? 'if' : 'else'} branch of condition step ${name}`);
      });
    }
    return;
  }
  if (NO_INSTANCES.has(type)) return;
  const usage = COMPUTE[type];
  const address = `sagemaker_pipeline_step.${ctx.pipeline}[${JSON.stringify(name)}]`;
  if (!usage) {
    ctx.notAnalysed.push({ address, type: 'sagemaker_pipeline_step', reason: `${type || 'untyped'} step: mlcost does not price it${type === 'EMR' ? ' (the EMR cluster is priced where it is defined)' : ''}` });
    return;
  }
  const { config, path: rcPath } = resourceConfig(args, type);
  const rc = [...argsPath, ...rcPath];
  const it = resolve(config.InstanceType, ctx.params, 'InstanceType');
  const ic = resolve(config.InstanceCount ?? 1, ctx.params, 'InstanceCount');
  const vol = resolve(config.VolumeSizeInGB, ctx.params, 'VolumeSizeInGB');
  const tuning = type === 'Tuning';
  const def = tuning ? (isObj(args.TrainingJobDefinition) ? args.TrainingJobDefinition : Array.isArray(args.TrainingJobDefinitions) && isObj(args.TrainingJobDefinitions[0]) ? (args.TrainingJobDefinitions[0] as Obj) : {}) : args;
  const stopping = isObj(def.StoppingCondition) ? def.StoppingCondition : {};
  const maxRuntime = resolve(stopping.MaxRuntimeInSeconds, ctx.params, 'MaxRuntimeInSeconds');
  const maxWait = resolve(stopping.MaxWaitTimeInSeconds, ctx.params, 'MaxWaitTimeInSeconds');
  const spot = resolve(def.EnableManagedSpotTraining, ctx.params, 'EnableManagedSpotTraining');
  const limits = tuning && isObj(args.HyperParameterTuningJobConfig) && isObj(args.HyperParameterTuningJobConfig.ResourceLimits) ? args.HyperParameterTuningJobConfig.ResourceLimits : {};
  const jobs = tuning ? resolve(limits.MaxNumberOfTrainingJobs, ctx.params, 'MaxNumberOfTrainingJobs') : { value: 1, param: null, why: null };
  if (it.why) ctx.errors.push({ file: ctx.file, line: at(ctx, [...rc, 'InstanceType']), message: `step ${name}: ${it.why}`, severity: 'warning' });
  const runtimeDefault = usage === 'training' && maxRuntime.value === null && !maxRuntime.why;
  const attributes: Record<string, Value> = {
    pipeline: ctx.pipeline,
    step: name,
    step_type: type,
    usage,
    instance_type: typeof it.value === 'string' ? it.value : null,
    instance_type_param: it.param,
    instance_type_error: it.why,
    instance_count: typeof ic.value === 'number' ? ic.value : typeof ic.value === 'string' && /^\d+$/.test(ic.value) ? Number(ic.value) : null,
    instance_count_param: ic.param,
    instance_count_error: ic.why,
    volume_gb: typeof vol.value === 'number' ? vol.value : null,
    // SageMaker stops a training job after a day when MaxRuntimeInSeconds is not set.
    max_runtime_seconds: typeof maxRuntime.value === 'number' ? maxRuntime.value : runtimeDefault ? 86400 : null,
    max_runtime_source: typeof maxRuntime.value === 'number' ? 'MaxRuntimeInSeconds' : runtimeDefault ? "SageMaker's default MaxRuntimeInSeconds (1 day)" : null,
    max_wait_seconds: typeof maxWait.value === 'number' ? maxWait.value : null,
    spot: spot.value === true || spot.value === 'true',
    jobs_per_run: typeof jobs.value === 'number' ? jobs.value : null,
    jobs_error: jobs.why ?? (tuning && jobs.value === null ? 'the tuning job sets no MaxNumberOfTrainingJobs' : null),
    branch,
    triggers: ctx.triggers.map(triggerValue),
  };
  ctx.out.push({
    address,
    type: 'sagemaker_pipeline_step',
    file: ctx.file,
    line: at(ctx, [...path, 'Name']),
    region: ctx.region,
    attributes,
    attributeLines: { instance_type: at(ctx, [...rc, 'InstanceType']), max_runtime_seconds: at(ctx, [...argsPath, 'StoppingCondition', 'MaxRuntimeInSeconds']) },
  });
}

/** The source text of a Terraform resource block (from its header to the next top-level block). */
function blockText(text: string, type: string, name: string): string | null {
  const head = new RegExp(`^resource\\s+"${type}"\\s+"${name}"\\s*\\{`, 'm').exec(text);
  if (!head) return null;
  const rest = text.slice(head.index + head[0].length);
  const next = /^(resource|data|module|variable|output|locals|provider|terraform)\b/m.exec(rest);
  return next ? rest.slice(0, next.index) : rest;
}

interface Linked {
  triggers: Trigger[];
  region: string | null;
  note: string | null;
}

/** The Terraform that creates this pipeline and the EventBridge schedules that start it. */
function terraformSchedules(project: ProjectFiles, errors: AnalysisError[]): Linked | null {
  const tf: Record<string, string> = {};
  for (const [f, t] of Object.entries(project.files)) if (f !== project.path && (f.endsWith('.tf') || /\.tfvars(\.json)?$/.test(f))) tf[f] = t;
  const tfFiles = Object.keys(tf).filter((f) => f.endsWith('.tf'));
  if (tfFiles.length === 0) return null;
  const result = analyzeModule(tf, { rootDir: dirOf(tfFiles[0] as string) });
  const base = project.path.slice(project.path.lastIndexOf('/') + 1);
  const pipelines = result.resources.filter((r) => r.type === 'aws_sagemaker_pipeline' && !r.modulePath && tfFiles.some((f) => (blockText(tf[f] as string, r.type, r.address.split('.')[1]?.replace(/\[.*$/, '') ?? '') ?? '').includes(base)));
  if (pipelines.length === 0) return null;
  const ids = new Set(pipelines.map((p) => p.address.replace(/\[.*$/, '')));
  const refersToPipeline = (r: Resource) => Object.values(r.references ?? {}).some((list) => list.some((id) => ids.has(id)));
  const str = (v: Value | undefined) => (typeof v === 'string' ? v : undefined);
  const triggers: Trigger[] = [];
  const add = (r: Resource, expr: Value | undefined, disabled: boolean, line: number) => {
    if (disabled) {
      triggers.push({ event: 'schedule', schedule: str(expr) ?? null, runs_per_month: 0, assumed: false, line, note: `${r.address} is disabled`, error: null });
      return;
    }
    if (typeof expr !== 'string') {
      const why = isUnknown(expr) ? expr.reason : 'schedule_expression is not set';
      triggers.push({ event: 'schedule', schedule: null, runs_per_month: null, assumed: false, line, note: null, error: `${r.address}: ${why}` });
      return;
    }
    const c = eventBridgeRuns(expr);
    const t = scheduleTrigger('schedule', expr, c, line, [`${r.address} (${r.file}:${line})`, c.ok ? c.note ?? null : null].filter(Boolean).join('; '));
    if (t.error) errors.push({ file: r.file, line, message: `${r.address}: ${t.error}; its runs are not counted` });
    triggers.push(t);
  };
  for (const r of result.resources) {
    if (r.type === 'aws_scheduler_schedule' && refersToPipeline(r)) add(r, r.attributes.schedule_expression, str(r.attributes.state) === 'DISABLED', r.attributeLines?.schedule_expression ?? r.line);
    if (r.type === 'aws_cloudwatch_event_target' && refersToPipeline(r)) {
      const ruleIds = r.references?.rule ?? [];
      const rule = result.resources.find((x) => x.type === 'aws_cloudwatch_event_rule' && ruleIds.includes(x.address.replace(/\[.*$/, '')));
      if (!rule) continue;
      if (rule.attributes.schedule_expression === undefined || rule.attributes.schedule_expression === null) continue; // an event pattern rule: not a schedule
      add(rule, rule.attributes.schedule_expression, rule.attributes.is_enabled === false || str(rule.attributes.state) === 'DISABLED', rule.attributeLines?.schedule_expression ?? rule.line);
    }
  }
  const p = pipelines[0] as Resource;
  return { triggers, region: p.region, note: triggers.length ? null : `${p.address} (${p.file}:${p.line}) creates the pipeline, but no EventBridge schedule in its Terraform starts it` };
}

export const sagemakerPipeline = {
  id: 'sagemaker-pipeline',
  kind: 'pipeline',
  matches: (path: string) => path.endsWith('.json'),
  accepts: (project: ProjectFiles) => pipelineFlavour(project.path, project.files[project.path] ?? '') === 'sagemaker-pipeline',
  analyze(project: ProjectFiles, options: AnalyzeOptions = {}): AnalysisResult {
    const errors: AnalysisError[] = [];
    const notAnalysed: NonNullable<AnalysisResult['notAnalysed']> = [];
    const file = project.path;
    const text = project.files[file] ?? '';
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      const m = /position (\d+)/.exec((e as Error).message);
      const line = m ? text.slice(0, Number(m[1])).split('\n').length : 1;
      errors.push({ file, line, message: `not valid JSON (${(e as Error).message}); the pipeline is not priced` });
      return { resources: [], errors };
    }
    const docs = manifestDocs(file, text, []);
    const doc: ManifestDoc = docs[0] ?? { file, line: 1, manifest: json };
    const root = isObj(json) ? json : {};
    const params = new Map<string, Param>();
    (Array.isArray(root.Parameters) ? root.Parameters : []).forEach((p) => {
      if (isObj(p) && typeof p.Name === 'string') params.set(p.Name, { name: p.Name, default: p.DefaultValue });
    });
    const linked = terraformSchedules(project, errors);
    const config = options.pipelines?.config;
    // The region: .mlcost.yml, the Terraform provider, the ECR images of the steps, or assumed.
    const ecr = /\.dkr\.ecr\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com/.exec(text);
    const warn = once(errors, { file, line: 1, message: 'pipelines.region is not set in .mlcost.yml and the definition names no region; prices are for us-east-1 (assumed)', severity: 'warning' });
    const region = pipelineRegion(config, linked?.region ?? ecr?.[1] ?? undefined, warn);
    const scheduled = config?.schedules[file];
    let triggers: Trigger[];
    if (scheduled !== undefined) triggers = (Array.isArray(scheduled) ? scheduled : [scheduled]).map((expr) => scheduleTrigger('schedule', expr, configScheduleRuns(expr), null, '.mlcost.yml pipelines.schedules'));
    else if (linked && linked.triggers.length) triggers = linked.triggers;
    else
      triggers = [
        { event: 'default', schedule: null, runs_per_month: DEFAULT_SAGEMAKER_RUNS, assumed: true, line: null, note: linked?.note ?? 'no schedule for this pipeline in the repository', error: null },
      ];
    const out: Resource[] = [];
    const ctx: StepCtx = { doc, params, errors, notAnalysed, pipeline: addressName(fileStem(file)), file, region, triggers, out };
    const steps = root.Steps;
    if (!Array.isArray(steps)) errors.push({ file, line: 1, message: 'the definition has no Steps list; nothing to price' });
    (Array.isArray(steps) ? steps : []).forEach((s, i) => {
      if (isObj(s)) stepResource(ctx, s, ['Steps', i], null);
    });
    out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    return { resources: out, errors, ...(notAnalysed.length ? { notAnalysed } : {}) };
  },
} satisfies Analyzer;
