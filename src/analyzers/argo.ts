/**
 * Argo Workflows analyzer: a file of Workflow / CronWorkflow / WorkflowTemplate /
 * ClusterWorkflowTemplate documents -> one `argo_workflow_template` resource per template that runs
 * a pod (container, script, containerSet), with how many pods of it one run starts: the product of
 * the fan-outs on the way from the entrypoint (`withItems`, `withParam` of a JSON literal,
 * `withSequence`) through `steps` and `dag` tasks, summed over every place it is called. A fan-out
 * computed at run time (`withParam` of an output) is unknown, with why (usage `fan_out`). Pods are
 * shaped and placed like Kubernetes pods (src/analyzers/kubernetes/pods.ts, node pools from
 * `kubernetes:` in `.mlcost.yml` or the defaults) and priced by src/pricing/kubernetes.ts.
 * CronWorkflow `schedule` / `schedules` -> runs per month (`suspend: true`: none); a Workflow runs
 * once (assumed); a WorkflowTemplate runs when submitted (0 assumed). `activeDeadlineSeconds` is
 * the ceiling of a pod's run. `parallelism` limits concurrency only: it does not change the cost.
 *
 * Addresses: `argo_workflow_template.<namespace>["<workflow>/<template>"]`.
 */
import type { AnalysisError, AnalysisResult, ProjectFiles, Resource, Value } from '../core/types.js';
import { pipelineFlavour } from '../core/projects.js';
import { countSchedules } from './kubernetes/cron.js';
import { manifestDocs } from './kubernetes/index.js';
import type { ManifestDoc } from './kubernetes/manifests.js';
import { isObject, podShape, shapeValue, strMap } from './kubernetes/pods.js';
import type { Path } from './kubernetes/pods.js';
import type { AnalyzeOptions, Analyzer } from './types.js';
import { clusterPools, configScheduleRuns, fargateValue, once, pipelineRegion, scheduleTrigger, triggerValue } from './pipelines/common.js';
import type { Trigger } from './pipelines/common.js';

const KINDS = new Set(['Workflow', 'CronWorkflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate']);
const MAX_DEPTH = 30;

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return isObject(v) ? v : {};
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

interface Doc {
  doc: ManifestDoc;
  kind: string;
  name: string;
  namespace: string;
  m: Obj;
  /** The workflow spec (a CronWorkflow's `workflowSpec`) and its path in the document. */
  spec: Obj;
  specPath: Path;
}

interface Leaf {
  template: Obj;
  templatePath: Path;
  owner: Doc;
  /** Pods per run; null: a fan-out on the way is unknown. */
  pods: number | null;
  why: string | null;
  notes: Set<string>;
  line: number;
}

function fanOut(step: Obj): { n: number | null; why?: string; label?: string } {
  if (Array.isArray(step.withItems)) return { n: step.withItems.length, label: `withItems (${step.withItems.length})` };
  if (step.withParam !== undefined) {
    const p = step.withParam;
    if (Array.isArray(p)) return { n: p.length, label: `withParam (${p.length})` };
    if (typeof p === 'string' && /^\s*\[/.test(p)) {
      try {
        const list = JSON.parse(p) as unknown;
        if (Array.isArray(list)) return { n: list.length, label: `withParam (${list.length})` };
      } catch {
        // not a literal: computed at run time
      }
    }
    return { n: null, why: `withParam ${String(p)} is computed when the workflow runs` };
  }
  if (isObject(step.withSequence)) {
    const s = step.withSequence;
    const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);
    const count = num(s.count);
    if (count !== undefined) return { n: count, label: `withSequence (${count})` };
    const start = num(s.start) ?? 0;
    const end = num(s.end);
    if (end !== undefined) return { n: Math.abs(end - start) + 1, label: `withSequence (${Math.abs(end - start) + 1})` };
    return { n: null, why: 'withSequence is computed when the workflow runs' };
  }
  return { n: 1 };
}

function seconds(v: unknown): number | null {
  if (typeof v === 'number' && v > 0) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return null;
}

export const argo = {
  id: 'argo',
  kind: 'pipeline',
  matches: (path: string) => /\.ya?ml$/i.test(path),
  accepts: (project: ProjectFiles) => pipelineFlavour(project.path, project.files[project.path] ?? '') === 'argo',
  analyze(project: ProjectFiles, options: AnalyzeOptions = {}): AnalysisResult {
    const errors: AnalysisError[] = [];
    const notAnalysed: NonNullable<AnalysisResult['notAnalysed']> = [];
    const k8s = options.kubernetes?.config;
    const pipelines = options.pipelines?.config;
    const warn = once(errors, { file: project.path, line: 1, message: 'neither kubernetes.region nor pipelines.region is set in .mlcost.yml; prices are for us-east-1 (assumed)', severity: 'warning' });
    const docs: Doc[] = [];
    for (const file of Object.keys(project.files).sort()) {
      for (const d of manifestDocs(file, project.files[file] as string, file === project.path ? errors : [])) {
        const m = obj(d.manifest);
        if (typeof m.kind !== 'string' || !KINDS.has(m.kind) || typeof m.apiVersion !== 'string' || !m.apiVersion.startsWith('argoproj.io/')) continue;
        const meta = obj(m.metadata);
        const cron = m.kind === 'CronWorkflow';
        docs.push({
          doc: d,
          kind: m.kind,
          name: typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? `${meta.generateName}*` : `unnamed@${d.line}`,
          namespace: typeof meta.namespace === 'string' ? meta.namespace : 'default',
          m,
          spec: cron ? obj(obj(m.spec).workflowSpec) : obj(m.spec),
          specPath: cron ? ['spec', 'workflowSpec'] : ['spec'],
        });
      }
    }
    const byTemplateName = new Map(docs.filter((d) => d.kind === 'WorkflowTemplate' || d.kind === 'ClusterWorkflowTemplate').map((d) => [d.name, d]));
    const region = pipelineRegion(pipelines, k8s?.region, warn);
    const pools = clusterPools(k8s);
    const fargate = fargateValue(k8s);
    const resources: Resource[] = [];

    for (const wf of docs.filter((d) => d.doc.file === project.path)) {
      const at = (d: Doc, path: Path) => d.doc.locate?.(path) ?? d.doc.line;
      // A workflowTemplateRef runs another template's spec.
      let owner = wf;
      const ref = obj(wf.spec.workflowTemplateRef);
      if (typeof ref.name === 'string') {
        const target = byTemplateName.get(ref.name);
        if (!target) {
          errors.push({ file: wf.doc.file, line: at(wf, [...wf.specPath, 'workflowTemplateRef']), message: `${wf.kind} ${wf.name}: WorkflowTemplate ${ref.name} is not in the repository; not priced`, severity: 'warning' });
          continue;
        }
        owner = target;
      }
      const entry = typeof wf.spec.entrypoint === 'string' ? wf.spec.entrypoint : typeof owner.spec.entrypoint === 'string' ? owner.spec.entrypoint : undefined;
      if (!entry) {
        if (wf.kind !== 'WorkflowTemplate' && wf.kind !== 'ClusterWorkflowTemplate')
          errors.push({ file: wf.doc.file, line: at(wf, wf.specPath), message: `${wf.kind} ${wf.name} has no entrypoint; not priced`, severity: 'warning' });
        continue;
      }
      const leaves = new Map<string, Leaf>();
      const find = (d: Doc, name: string): { d: Doc; t: Obj; path: Path } | undefined => {
        const i = arr(d.spec.templates).findIndex((t) => obj(t).name === name);
        return i >= 0 ? { d, t: obj(arr(d.spec.templates)[i]), path: [...d.specPath, 'templates', i] } : undefined;
      };
      const walk = (d: Doc, name: string, mult: number | null, why: string | null, notes: string[], stack: string[], callLine: number) => {
        const key = `${d.name}/${name}`;
        const found = find(d, name);
        if (!found) {
          errors.push({ file: wf.doc.file, line: callLine, message: `${wf.kind} ${wf.name}: template ${name} is not defined in ${d.kind} ${d.name}; not priced`, severity: 'warning' });
          return;
        }
        const { t, path } = found;
        if (stack.includes(key) || stack.length > MAX_DEPTH) {
          const leafWhy = `template ${name} calls itself: how many times it recurses is decided when the workflow runs`;
          for (const l of leaves.values()) if (stack.some((s) => s === `${l.owner.name}/${String(l.template.name)}`)) l.why ??= leafWhy;
          notes.push(leafWhy);
          return;
        }
        const inner = [...stack, key];
        const call = (s: Obj, sPath: Path) => {
          const f = fanOut(s);
          const n = mult === null || f.n === null ? null : mult * f.n;
          const w = why ?? f.why ?? null;
          const ns = [...notes, ...(f.label ? [`${f.label} in ${name}`] : []), ...(s.when !== undefined ? [`when: ${String(s.when)} assumed true`] : [])];
          const tr = obj(s.templateRef);
          const sLine = at(d, sPath);
          if (typeof s.template === 'string') walk(d, s.template, n, w, ns, inner, sLine);
          else if (typeof tr.name === 'string' && typeof tr.template === 'string') {
            const target = byTemplateName.get(tr.name);
            if (target) walk(target, tr.template, n, w, ns, inner, sLine);
            else errors.push({ file: wf.doc.file, line: sLine, message: `${wf.kind} ${wf.name}: templateRef ${tr.name}/${tr.template} is not in the repository; not priced`, severity: 'warning' });
          } else if (isObject(s.inline)) notAnalysed.push({ address: `argo_workflow_template.${wf.namespace}[${JSON.stringify(`${wf.name}/${String(s.name)}`)}]`, type: 'argo_workflow_template', reason: 'inline templates are not priced yet' });
        };
        if (Array.isArray(t.steps)) {
          t.steps.forEach((group, gi) => arr(group).forEach((s, si) => call(obj(s), [...path, 'steps', gi, si])));
          return;
        }
        if (isObject(t.dag)) {
          arr(t.dag.tasks).forEach((s, i) => call(obj(s), [...path, 'dag', 'tasks', i]));
          return;
        }
        if (isObject(t.resource)) {
          const manifest = typeof t.resource.manifest === 'string' ? (/kind:\s*(\S+)/.exec(t.resource.manifest)?.[1] ?? 'a resource') : 'a resource';
          notAnalysed.push({ address: `argo_workflow_template.${wf.namespace}[${JSON.stringify(`${wf.name}/${name}`)}]`, type: 'argo_workflow_template', reason: `resource template (${String(t.resource.action ?? 'create')} ${manifest}): what it creates is not priced here` });
          return;
        }
        if (!isObject(t.container) && !isObject(t.script) && !isObject(t.containerSet)) return; // suspend, http, plugin, data: no pod
        const leafKey = `${d.name}/${name}`;
        const leaf = leaves.get(leafKey);
        if (leaf) {
          leaf.pods = leaf.pods === null || mult === null ? null : leaf.pods + mult;
          leaf.why ??= why;
          notes.forEach((n) => leaf.notes.add(n));
        } else leaves.set(leafKey, { template: t, templatePath: path, owner: d, pods: mult, why, notes: new Set(notes), line: at(d, path) });
      };
      walk(owner, entry, 1, null, [], [], at(wf, [...wf.specPath, 'entrypoint']));

      // How often it runs.
      const configured = pipelines?.schedules[project.path] ?? pipelines?.schedules[wf.name];
      let triggers: Trigger[];
      const spec = obj(wf.m.spec);
      if (configured !== undefined) {
        triggers = (Array.isArray(configured) ? configured : [configured]).map((e) => scheduleTrigger('schedule', e, configScheduleRuns(e), null, '.mlcost.yml pipelines.schedules'));
      } else if (wf.kind === 'CronWorkflow') {
        const list = Array.isArray(spec.schedules) ? spec.schedules.filter((x): x is string => typeof x === 'string') : typeof spec.schedule === 'string' ? [spec.schedule] : [];
        const policy = typeof spec.concurrencyPolicy === 'string' ? spec.concurrencyPolicy : 'Allow';
        const union = list.length > 1 && (policy === 'Forbid' || policy === 'Replace');
        const line = at(wf, ['spec', Array.isArray(spec.schedules) ? 'schedules' : 'schedule']);
        if (list.length === 0) errors.push({ file: wf.doc.file, line, message: `CronWorkflow ${wf.name} has no schedule; not counted` });
        const count = countSchedules(list, { combine: union ? 'union' : 'sum' });
        const note = [spec.suspend === true ? 'suspend: true, no runs' : null, list.length > 1 ? (union ? `concurrencyPolicy ${policy}: a minute several schedules share runs once` : 'each schedule runs on its own (concurrencyPolicy Allow)') : null, typeof spec.timezone === 'string' ? `timezone ${spec.timezone}` : null].filter(Boolean).join('; ') || null;
        const t = scheduleTrigger('cron', list.join(', '), count, line, note);
        if (t.error) errors.push({ file: wf.doc.file, line, message: `CronWorkflow ${wf.name}: ${t.error}; its runs are not counted` });
        if (spec.suspend === true) t.runs_per_month = 0;
        triggers = [t];
      } else if (wf.kind === 'Workflow') triggers = [{ event: 'default', schedule: null, runs_per_month: 1, assumed: true, line: null, note: 'a Workflow runs once when submitted', error: null }];
      else triggers = [{ event: 'default', schedule: null, runs_per_month: 0, assumed: true, line: null, note: `a ${wf.kind} runs when a workflow is submitted from it`, error: null }];

      const wfDeadline = seconds(wf.spec.activeDeadlineSeconds) ?? seconds(owner.spec.activeDeadlineSeconds);
      for (const [key, leaf] of [...leaves.entries()].sort()) {
        const t = leaf.template;
        const tname = String(t.name);
        const containers = isObject(t.containerSet) ? arr(t.containerSet.containers) : [isObject(t.container) ? t.container : t.script];
        const podSpec = {
          containers: [...containers, ...arr(t.sidecars)],
          initContainers: arr(t.initContainers),
          nodeSelector: t.nodeSelector ?? leaf.owner.spec.nodeSelector ?? wf.spec.nodeSelector,
          tolerations: t.tolerations ?? leaf.owner.spec.tolerations ?? wf.spec.tolerations,
          affinity: t.affinity ?? leaf.owner.spec.affinity ?? wf.spec.affinity,
        };
        const shape = podShape(podSpec, strMap(obj(t.metadata).labels), leaf.templatePath);
        for (const issue of shape.issues) errors.push({ file: leaf.owner.doc.file, line: leaf.owner.doc.locate?.(issue.path) ?? leaf.line, message: `template ${tname}: ${issue.message}`, severity: 'warning' });
        const deadline = seconds(t.activeDeadlineSeconds) ?? wfDeadline;
        const name = key.startsWith(`${wf.name}/`) ? key : `${wf.name}/${key}`;
        const attributes: Record<string, Value> = {
          kind: wf.kind,
          workflow: wf.name,
          template: tname,
          namespace: wf.namespace,
          mode: 'job',
          groups: [{ name: 'pod', replicas: 1, max_replicas: null, ...shapeValue(shape), assumptions: [...shape.assumptions, ...leaf.notes], line: leaf.line }],
          fan_out: leaf.why ? null : leaf.pods,
          fan_out_error: leaf.why,
          minutes_ceiling: deadline !== null ? deadline / 60 : null,
          ceiling_source: deadline !== null ? (seconds(t.activeDeadlineSeconds) !== null ? 'template activeDeadlineSeconds' : 'workflow activeDeadlineSeconds') : null,
          triggers: triggers.map(triggerValue),
          node_pools: pools,
          fargate,
        };
        resources.push({
          address: `argo_workflow_template.${wf.namespace}[${JSON.stringify(name)}]`,
          type: 'argo_workflow_template',
          file: leaf.owner.doc.file,
          line: leaf.line,
          region,
          attributes,
        });
      }
    }
    resources.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    return { resources, errors, ...(notAnalysed.length ? { notAnalysed } : {}) };
  },
} satisfies Analyzer;
