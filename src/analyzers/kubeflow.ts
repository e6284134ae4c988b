/**
 * Kubeflow Pipelines analyzer: a compiled v2 pipeline (the IR YAML `kfp.compiler` writes, or a
 * PipelineJob JSON with `pipelineSpec`) -> one `kubeflow_task` per container task reached from the
 * root DAG, with its resources (`cpuLimit`/`resourceCpuLimit`, requests, `memoryLimit` in GB or
 * `resourceMemoryLimit`, `accelerator` type and count), the node selector and tolerations of the
 * Kubernetes platform spec, and how many pods one run starts (ParallelFor `parameterIterator` items
 * of a literal list multiply; items from an input are unknown, with why: usage `fan_out`).
 * Conditions (`triggerPolicy.condition`) are assumed true, and said. A compiled pipeline holds no
 * schedule: recurring runs come from `.mlcost.yml` `pipelines.schedules` (by file or pipeline
 * name), usage `runs_per_month`, or 1 run a month assumed. Kubeflow training-operator jobs
 * (PyTorchJob, TFJob) are Kubernetes manifests: the Kubernetes analyzer prices them.
 *
 * Addresses: `kubeflow_task.<pipeline name>["<task path>"]`.
 */
import type { AnalysisError, AnalysisResult, ProjectFiles, Resource, Value } from '../core/types.js';
import { pipelineFlavour } from '../core/projects.js';
import { manifestDocs } from './kubernetes/index.js';
import type { ManifestDoc } from './kubernetes/manifests.js';
import { isObject, podShape, shapeValue } from './kubernetes/pods.js';
import type { Path } from './kubernetes/pods.js';
import type { AnalyzeOptions, Analyzer } from './types.js';
import { addressName, clusterPools, configScheduleRuns, fargateValue, fileStem, once, pipelineRegion, scheduleTrigger, triggerValue } from './pipelines/common.js';
import type { Trigger } from './pipelines/common.js';

/** Runs per month assumed when no schedule or usage says (labelled). */
export const DEFAULT_KUBEFLOW_RUNS = 1;
const MAX_DEPTH = 30;

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return isObject(v) ? v : {};
}

/** Vertex AI accelerator names -> the resource a Kubernetes pod asks for. */
function acceleratorKey(type: string): string {
  if (/^(nvidia\.com|amd\.com)\/gpu$/.test(type) || /^aws\.amazon\.com\/neuron/.test(type)) return type;
  if (/^NVIDIA_|^nvidia-/i.test(type)) return 'nvidia.com/gpu';
  if (/^TPU_/i.test(type)) return type;
  return 'nvidia.com/gpu';
}

/** A KFP resources block -> a container's Kubernetes resources (requests fall back to limits, as the API server does). */
function containerResources(res: Obj): { resources: Obj; notes: string[] } {
  const notes: string[] = [];
  const num = (v: unknown): string | undefined => (typeof v === 'number' ? String(v) : typeof v === 'string' && v.trim() ? v.trim() : undefined);
  // Legacy fields are numbers (CPUs; memory in GB); the newer resource* fields are Kubernetes quantities.
  const gb = (v: unknown): string | undefined => (typeof v === 'number' ? `${v}G` : num(v));
  const cpuLimit = num(res.resourceCpuLimit) ?? num(res.cpuLimit);
  const cpuRequest = num(res.resourceCpuRequest) ?? num(res.cpuRequest);
  const memLimit = num(res.resourceMemoryLimit) ?? gb(res.memoryLimit);
  const memRequest = num(res.resourceMemoryRequest) ?? gb(res.memoryRequest);
  const limits: Obj = {};
  const requests: Obj = {};
  if (cpuLimit) limits.cpu = cpuLimit;
  if (memLimit) limits.memory = memLimit;
  if (cpuRequest) requests.cpu = cpuRequest;
  if (memRequest) requests.memory = memRequest;
  const acc = obj(res.accelerator);
  const type = typeof acc.resourceType === 'string' ? acc.resourceType : typeof acc.type === 'string' ? acc.type : undefined;
  const count = num(acc.resourceCount) ?? num(acc.count);
  if (type) {
    const key = acceleratorKey(type);
    if (key.startsWith('TPU_')) notes.push(`accelerator ${type} is a Google Cloud TPU: not priced on AWS node pools`);
    else {
      limits[key] = count ?? '1';
      if (key !== type) notes.push(`accelerator ${type} read as ${key}`);
    }
  }
  return { resources: { limits, requests }, notes };
}

interface Leaf {
  path: string;
  executor: string;
  pods: number | null;
  why: string | null;
  notes: Set<string>;
  line: number;
}

export const kubeflow = {
  id: 'kubeflow',
  kind: 'pipeline',
  matches: (path: string) => /\.(ya?ml|json)$/i.test(path),
  accepts: (project: ProjectFiles) => pipelineFlavour(project.path, project.files[project.path] ?? '') === 'kubeflow',
  analyze(project: ProjectFiles, options: AnalyzeOptions = {}): AnalysisResult {
    const errors: AnalysisError[] = [];
    const file = project.path;
    const docs: ManifestDoc[] = manifestDocs(file, project.files[file] ?? '', errors);
    // The pipeline spec (first document, or a PipelineJob's pipelineSpec) and the Kubernetes platform spec.
    let spec: Obj | undefined;
    let base: Path = [];
    let specDoc: ManifestDoc | undefined;
    let platform: Obj = {};
    for (const d of docs) {
      const m = obj(d.manifest);
      if (!spec && isObject(m.pipelineSpec)) {
        spec = m.pipelineSpec;
        base = ['pipelineSpec'];
        specDoc = d;
        if (isObject(obj(m.platformSpec).platforms)) platform = obj(obj(obj(m.platformSpec).platforms).kubernetes);
      } else if (!spec && isObject(m.deploymentSpec)) {
        spec = m;
        specDoc = d;
      } else if (isObject(m.platforms)) platform = obj(obj(m.platforms).kubernetes);
    }
    if (!spec || !specDoc) {
      if (!errors.length) errors.push({ file, line: 1, message: 'no Kubeflow pipeline spec (deploymentSpec) found; not priced' });
      return { resources: [], errors };
    }
    const sd = specDoc;
    const at = (path: Path) => sd.locate?.([...base, ...path]) ?? sd.line;
    const name = typeof obj(spec.pipelineInfo).name === 'string' ? (obj(spec.pipelineInfo).name as string) : fileStem(file);
    const components = obj(spec.components);
    const executors = obj(obj(spec.deploymentSpec).executors);
    const platformExecutors = obj(obj(platform.deploymentSpec).executors);
    const leaves = new Map<string, Leaf>();

    const walk = (dag: Obj, dagPath: Path, prefix: string, mult: number | null, why: string | null, notes: string[], depth: number) => {
      if (depth > MAX_DEPTH) return;
      for (const [taskName, raw] of Object.entries(obj(dag.tasks))) {
        const task = obj(raw);
        const taskPath: Path = [...dagPath, 'tasks', taskName];
        const compName = obj(task.componentRef).name;
        const comp = typeof compName === 'string' ? obj(components[compName]) : {};
        const it = obj(task.parameterIterator ?? task.artifactIterator);
        let n: number | null = 1;
        let w = why;
        const ns = [...notes];
        if (Object.keys(it).length) {
          const items = obj(it.items);
          if (typeof items.raw === 'string') {
            try {
              const list = JSON.parse(items.raw) as unknown;
              n = Array.isArray(list) ? list.length : null;
            } catch {
              n = null;
            }
            if (n === null) w ??= `ParallelFor ${taskName}: items ${items.raw} are not a JSON list`;
            else ns.push(`ParallelFor ${taskName} over ${n} items`);
          } else {
            n = null;
            w ??= `ParallelFor ${taskName} iterates over ${String(items.inputParameter ?? items.inputArtifact ?? 'an input')}, known only when the pipeline runs`;
          }
        }
        const cond = obj(task.triggerPolicy).condition;
        if (typeof cond === 'string') ns.push(`condition ${cond} assumed true`);
        const m = mult === null || n === null ? null : mult * n;
        const path = `${prefix}${taskName}`;
        if (isObject(comp.dag)) {
          walk(comp.dag, ['components', compName as string, 'dag'], `${path}/`, m, w, ns, depth + 1);
          continue;
        }
        const executor = typeof comp.executorLabel === 'string' ? comp.executorLabel : undefined;
        if (!executor || !isObject(obj(executors[executor]).container)) continue; // importers, resolvers: no pod
        leaves.set(path, { path, executor, pods: m, why: w, notes: new Set(ns), line: at(taskPath) });
      }
    };
    walk(obj(spec.root).dag as Obj ?? {}, ['root', 'dag'], '', 1, null, [], 0);

    const k8s = options.kubernetes?.config;
    const pipelines = options.pipelines?.config;
    const warn = once(errors, { file, line: 1, message: 'neither kubernetes.region nor pipelines.region is set in .mlcost.yml; prices are for us-east-1 (assumed)', severity: 'warning' });
    const region = pipelineRegion(pipelines, k8s?.region, warn);
    const configured = pipelines?.schedules[file] ?? pipelines?.schedules[name];
    const triggers: Trigger[] =
      configured !== undefined
        ? (Array.isArray(configured) ? configured : [configured]).map((e) => {
            const t = scheduleTrigger('schedule', e, configScheduleRuns(e), null, '.mlcost.yml pipelines.schedules');
            if (t.error) errors.push({ file, line: 1, message: `pipelines.schedules for ${file}: ${t.error}`, severity: 'warning' });
            return t;
          })
        : [{ event: 'default', schedule: null, runs_per_month: DEFAULT_KUBEFLOW_RUNS, assumed: true, line: null, note: 'a compiled pipeline holds no schedule: set its recurring run under pipelines.schedules', error: null }];
    const pools = clusterPools(k8s);
    const fargate = fargateValue(k8s);
    const pipelineName = addressName(name);
    const resources: Resource[] = [];
    for (const leaf of [...leaves.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
      const container = obj(obj(executors[leaf.executor]).container);
      const { resources: res, notes } = containerResources(obj(container.resources));
      const pe = obj(platformExecutors[leaf.executor]);
      const selector = obj(pe.nodeSelector);
      const podSpec = {
        containers: [{ name: leaf.executor, resources: res }],
        nodeSelector: isObject(selector.labels) ? selector.labels : selector,
        tolerations: Array.isArray(pe.tolerations) ? pe.tolerations : [],
      };
      const shape = podShape(podSpec, {}, ['deploymentSpec', 'executors', leaf.executor, 'container']);
      for (const issue of shape.issues) errors.push({ file, line: at(['deploymentSpec', 'executors', leaf.executor, 'container']), message: `task ${leaf.path}: ${issue.message.replace('container ' + leaf.executor + ' ', '')}`, severity: 'warning' });
      const attributes: Record<string, Value> = {
        pipeline: name,
        task: leaf.path,
        executor: leaf.executor,
        namespace: 'kubeflow',
        mode: 'job',
        groups: [{ name: 'pod', replicas: 1, max_replicas: null, ...shapeValue(shape), assumptions: [...shape.assumptions, ...notes, ...leaf.notes], line: leaf.line }],
        fan_out: leaf.why ? null : leaf.pods,
        fan_out_error: leaf.why,
        minutes_ceiling: null,
        ceiling_source: null,
        triggers: triggers.map(triggerValue),
        node_pools: pools,
        fargate,
      };
      resources.push({ address: `kubeflow_task.${pipelineName}[${JSON.stringify(leaf.path)}]`, type: 'kubeflow_task', file, line: leaf.line, region, attributes });
    }
    return { resources, errors };
  },
} satisfies Analyzer;
