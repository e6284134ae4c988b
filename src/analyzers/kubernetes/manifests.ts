/**
 * Kubernetes manifests (already parsed: plain objects with their file and line) -> resources.
 * Used by the kubernetes analyzer for manifest files and by the Helm loader for rendered charts.
 *
 * Addresses: `<type>.<namespace>["<name>"]`, e.g. `kubernetes_deployment.ml["llm-server"]`
 * (namespace `default` when the manifest names none, or the namespace the caller gives). Types
 * follow Terraform's kubernetes provider: `kubernetes_deployment`, `kubernetes_stateful_set`, ...
 * and, for the ML kinds, `kubernetes_inference_service`, `kubernetes_ray_cluster`, ...
 *
 * Each workload carries its pod groups (replicas and per-pod requests), the node pools it may be
 * placed on (config, Karpenter NodePools in the same project, or the default pools) and the
 * storage classes it may use; placement and prices are decided by the pricers.
 */
import type { AnalysisError, AnalysisResult, IgnoreComment, Resource, Value } from '../../core/types.js';
import type { KubernetesConfig } from '../../policy/schema.js';
import { runsPerMonth } from './cron.js';
import type { Path, PodShape } from './pods.js';
import { isObject, podShape, shapeValue, strMap } from './pods.js';
import type { PoolData } from './pools.js';
import { byKarpenterOrder, configPools, defaultPools, karpenterPool, poolValue } from './pools.js';
import { tidy, toGiB } from './quantity.js';

export interface KubernetesOptions {
  /** The `kubernetes:` section of `.mlcost.yml`. */
  config?: KubernetesConfig;
  /** Namespace of manifests that name none (a Helm release's namespace); `default` otherwise. */
  namespace?: string;
}

/** One parsed manifest document. */
export interface ManifestDoc {
  file: string;
  /** Line where the document starts. */
  line: number;
  manifest: unknown;
  /** Line of a path inside the document (`['spec', 'replicas']`), when positions are known. */
  locate?(path: Path): number | undefined;
  /** `# mlcost:ignore` comments right above the document or its `kind:`. */
  ignores?: IgnoreComment[];
}

export const DEFAULT_REGION = 'us-east-1';
/** A replica count above this is priced but flagged: it is more often a typo than a plan. */
export const REPLICA_OUTLIER = 1000;
/**
 * KServe's default container resources (inferenceservice-config `resource`: 1 CPU, 2Gi), which
 * the controller fills in, key by key, where a container's requests leave them out.
 */
const KSERVE_DEFAULTS = { cpu: 1, memoryGiB: 2, label: "KServe's default requests (1 CPU, 2Gi per container)" };
const KSERVE_FRAMEWORKS = ['model', 'sklearn', 'xgboost', 'tensorflow', 'pytorch', 'triton', 'onnx', 'pmml', 'lightgbm', 'paddle', 'huggingface', 'alibi', 'art'];

/** group/Kind -> resource type. The group is the part of apiVersion before `/` (empty for core). */
const TYPES: Record<string, string> = {
  'apps/Deployment': 'kubernetes_deployment',
  'extensions/Deployment': 'kubernetes_deployment',
  'apps/StatefulSet': 'kubernetes_stateful_set',
  'apps/DaemonSet': 'kubernetes_daemon_set',
  'extensions/DaemonSet': 'kubernetes_daemon_set',
  'apps/ReplicaSet': 'kubernetes_replica_set',
  'extensions/ReplicaSet': 'kubernetes_replica_set',
  '/Pod': 'kubernetes_pod',
  'batch/Job': 'kubernetes_job',
  'batch/CronJob': 'kubernetes_cron_job',
  '/PersistentVolumeClaim': 'kubernetes_persistent_volume_claim',
  '/Service': 'kubernetes_service',
  'networking.k8s.io/Ingress': 'kubernetes_ingress',
  'extensions/Ingress': 'kubernetes_ingress',
  'serving.kserve.io/InferenceService': 'kubernetes_inference_service',
  'serving.kserve.io/LLMInferenceService': 'kubernetes_llm_inference_service',
  'ray.io/RayCluster': 'kubernetes_ray_cluster',
  'ray.io/RayJob': 'kubernetes_ray_job',
  'kubeflow.org/PyTorchJob': 'kubernetes_pytorch_job',
  'kubeflow.org/TFJob': 'kubernetes_tf_job',
  'leaderworkerset.x-k8s.io/LeaderWorkerSet': 'kubernetes_leader_worker_set',
};

/** Kinds read for what they say about others (scalers, pools, classes), never priced themselves. */
const SUPPORTING = new Set([
  'autoscaling/HorizontalPodAutoscaler',
  'keda.sh/ScaledObject',
  'karpenter.sh/NodePool',
  'storage.k8s.io/StorageClass',
  'networking.k8s.io/IngressClass',
]);

const EBS_PROVISIONERS = new Set(['ebs.csi.aws.com', 'kubernetes.io/aws-ebs']);
const ALB_CONTROLLER = 'ingress.k8s.aws/alb';

interface Entry {
  doc: ManifestDoc;
  /** Path of the manifest inside the document (items of a List). */
  base: Path;
  m: Record<string, unknown>;
  group: string;
  kind: string;
  apiVersion: string;
  name: string;
  namespace: string;
}

function obj(v: unknown): Record<string, unknown> {
  return isObject(v) ? v : {};
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function strOf(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

export function addressOf(type: string, namespace: string, name: string): string {
  return `${type}.${namespace}[${JSON.stringify(name)}]`;
}

/** Lists (`kind: List`, `kubectl get -o yaml`) unfold into their items. */
function unfold(doc: ManifestDoc, defaultNs: string): Entry[] {
  const out: Entry[] = [];
  const visit = (m: unknown, base: Path, depth: number) => {
    if (!isObject(m) || typeof m.apiVersion !== 'string' || typeof m.kind !== 'string') return;
    if (/List$/.test(m.kind) && Array.isArray(m.items) && depth < 2) {
      m.items.forEach((item, i) => visit(item, [...base, 'items', i], depth + 1));
      return;
    }
    const meta = obj(m.metadata);
    const name = strOf(meta.name) ?? (typeof meta.generateName === 'string' ? `${meta.generateName}*` : `unnamed at ${doc.file}:${lineIn(doc, base)}`);
    out.push({ doc, base, m, group: groupOf(m.apiVersion), kind: m.kind, apiVersion: m.apiVersion, name, namespace: strOf(meta.namespace) ?? defaultNs });
  };
  visit(doc.manifest, [], 0);
  return out;
}

function lineIn(doc: ManifestDoc, path: Path): number {
  return (path.length ? doc.locate?.(path) : undefined) ?? doc.line;
}

/** Whether a manifest of an unknown kind runs containers (something mlcost should say it skipped). */
function runsContainers(v: unknown, depth = 0): boolean {
  if (depth > 8) return false;
  if (Array.isArray(v)) return v.some((x) => runsContainers(x, depth + 1));
  if (!isObject(v)) return false;
  if (Array.isArray(v.containers) && v.containers.some((c) => isObject(c) && typeof c.image === 'string')) return true;
  return Object.values(v).some((x) => runsContainers(x, depth + 1));
}

interface StorageClassData {
  provisioner: string;
  type: string | null;
  iops: number | null;
  iops_per_gb: number | null;
  throughput: number | null;
  source: 'config' | 'manifest';
  origin: string;
}

interface Context {
  errors: AnalysisError[];
  pools: Value[];
  classes: Record<string, Value>;
  defaultClass: string | null;
  albClasses: Set<string>;
  defaultIngressAlb: boolean;
  fargate: Record<string, Value>;
  region: string;
}

/** Line of a path relative to the manifest (`['spec', 'replicas']`). */
function at(e: Entry, path: Path): number {
  return lineIn(e.doc, [...e.base, ...path]);
}

function warn(ctx: Context, e: Entry, path: Path, message: string): void {
  ctx.errors.push({ file: e.doc.file, line: at(e, path), message, severity: 'warning' });
}

/** The shape of a pod template (`{ metadata, spec }`) at `path` (relative to the manifest); issues become warnings. */
function podShapeAt(ctx: Context, e: Entry, template: unknown, path: Path, opts: Parameters<typeof podShape>[3] = {}): PodShape {
  const t = obj(template);
  return reported(ctx, e, podShape(t.spec, strMap(obj(t.metadata).labels), [...path, 'spec'], opts));
}

function reported(ctx: Context, e: Entry, shape: PodShape): PodShape {
  for (const issue of shape.issues) warn(ctx, e, issue.path, `${e.kind} ${e.name}: ${issue.message}`);
  return shape;
}

interface GroupInput {
  name: string;
  replicas: number;
  maxReplicas?: number;
  shape: PodShape;
  line: number;
  /** Said on the group's cost lines, besides the pod's own assumptions. */
  notes?: string[];
}

function groupValue(g: GroupInput): Record<string, Value> {
  const pod = shapeValue(g.shape);
  return {
    name: g.name,
    replicas: g.replicas,
    max_replicas: g.maxReplicas ?? null,
    ...pod,
    assumptions: [...(g.notes ?? []), ...(pod.assumptions as string[])],
    line: g.line,
  };
}

/** A replica count as written; a value that is not a count is flagged and 1 assumed. */
function count(ctx: Context, e: Entry, v: unknown, path: Path, fallback: number, notes: string[]): number {
  if (v === undefined || v === null) return fallback;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (Number.isInteger(n) && n >= 0) return n;
  warn(ctx, e, path, `${e.kind} ${e.name}: ${path[path.length - 1]} "${String(v)}" is not a count; ${fallback} assumed`);
  notes.push(`${fallback} assumed for ${path[path.length - 1]} "${String(v)}"`);
  return fallback;
}

/** Texts of a manifest's spec that name checkpoints or S3 locations (env values, args, mount paths), for the guardrails. */
const TEXT_REF = /checkpoint|ckpt|s3:\/\//i;
const TEXT_REFS_MAX = 20;

function textRefs(v: unknown, out: string[], depth = 0): string[] {
  if (out.length >= TEXT_REFS_MAX || depth > 12) return out;
  if (typeof v === 'string') {
    if (TEXT_REF.test(v) && !out.includes(v)) out.push(v.slice(0, 300));
  } else if (Array.isArray(v)) {
    for (const x of v) textRefs(x, out, depth + 1);
  } else if (isObject(v)) {
    for (const x of Object.values(v)) textRefs(x, out, depth + 1);
  }
  return out;
}

function common(ctx: Context, e: Entry, type: string): Omit<Resource, 'attributes'> & { attributes: Record<string, Value> } {
  return {
    address: addressOf(type, e.namespace, e.name),
    type,
    file: e.doc.file,
    line: at(e, []),
    region: ctx.region,
    attributes: {
      kind: e.kind,
      api_version: e.apiVersion,
      namespace: e.namespace,
      name: e.name,
      text_refs: textRefs(e.m.spec, []),
    },
    attributeLines: {},
    ...(e.base.length === 0 && e.doc.ignores?.length ? { ignores: e.doc.ignores.map((i) => ({ ...i })) } : {}),
  };
}

function withPlacement(ctx: Context, attrs: Record<string, Value>): void {
  attrs.node_pools = ctx.pools;
  attrs.fargate = ctx.fargate;
}

function claimValue(ctx: Context, e: Entry, claim: Record<string, unknown>, path: Path, name: string): Record<string, Value> {
  const spec = obj(claim.spec);
  const raw = obj(obj(spec.resources).requests).storage;
  const gib = toGiB(raw);
  if (raw !== undefined && gib === undefined) warn(ctx, e, [...path, 'spec', 'resources', 'requests', 'storage'], `${e.kind} ${e.name}: storage "${String(raw)}" is not a Kubernetes quantity`);
  return {
    name,
    storage_gib: gib === undefined ? null : tidy(gib),
    storage_class: typeof spec.storageClassName === 'string' ? spec.storageClassName : null,
    line: at(e, path),
  };
}

function storageAttrs(ctx: Context, attrs: Record<string, Value>): void {
  attrs.storage_classes = ctx.classes;
  attrs.default_storage_class = ctx.defaultClass;
}

// ---------------------------------------------------------------------------------------------
// Kinds

type Builder = (ctx: Context, e: Entry, type: string) => Resource | null;

function replicated(ctx: Context, e: Entry, type: string): Resource {
  const r = common(ctx, e, type);
  const spec = obj(e.m.spec);
  const notes: string[] = [];
  const replicas = count(ctx, e, spec.replicas, ['spec', 'replicas'], 1, notes);
  const shape = podShapeAt(ctx, e, spec.template, ['spec', 'template']);
  const line = at(e, ['spec', 'replicas']);
  r.attributes.mode = 'service';
  r.attributes.groups = [groupValue({ name: 'pod', replicas, shape, line, notes })];
  r.attributeLines = { replicas: line };
  if (type === 'kubernetes_stateful_set') {
    r.attributes.volumes = arr(spec.volumeClaimTemplates)
      .map((c, i) => (isObject(c) ? claimValue(ctx, e, c, ['spec', 'volumeClaimTemplates', i], strOf(obj(c.metadata).name) ?? `#${i}`) : null))
      .filter((x): x is Record<string, Value> => x !== null);
    storageAttrs(ctx, r.attributes);
  }
  withPlacement(ctx, r.attributes);
  return r;
}

function daemonSet(ctx: Context, e: Entry, type: string): Resource {
  const r = common(ctx, e, type);
  const shape = podShapeAt(ctx, e, obj(e.m.spec).template, ['spec', 'template']);
  r.attributes.mode = 'daemon';
  r.attributes.groups = [groupValue({ name: 'pod', replicas: 1, shape, line: r.line })];
  withPlacement(ctx, r.attributes);
  return r;
}

function pod(ctx: Context, e: Entry, type: string): Resource {
  const r = common(ctx, e, type);
  const shape = reported(ctx, e, podShape(e.m.spec, strMap(obj(e.m.metadata).labels), ['spec']));
  r.attributes.mode = 'service';
  r.attributes.groups = [groupValue({ name: 'pod', replicas: 1, shape, line: r.line })];
  withPlacement(ctx, r.attributes);
  return r;
}

/** Pods of one run of a Job spec: completions, else parallelism, else 1. */
function jobGroup(ctx: Context, e: Entry, jobSpec: Record<string, unknown>, path: Path, notes: string[]): Record<string, Value> {
  const completions = count(ctx, e, jobSpec.completions, [...path, 'completions'], 1, notes);
  const parallelism = count(ctx, e, jobSpec.parallelism, [...path, 'parallelism'], 1, notes);
  const pods = jobSpec.completions !== undefined && jobSpec.completions !== null ? completions : jobSpec.parallelism !== undefined && jobSpec.parallelism !== null ? parallelism : 1;
  const shape = podShapeAt(ctx, e, jobSpec.template, [...path, 'template']);
  const line = at(e, [...path, jobSpec.completions !== undefined ? 'completions' : 'template']);
  return groupValue({ name: 'pod', replicas: pods, shape, line, notes });
}

function job(ctx: Context, e: Entry, type: string): Resource {
  const r = common(ctx, e, type);
  const notes: string[] = [];
  r.attributes.mode = 'job';
  r.attributes.groups = [jobGroup(ctx, e, obj(e.m.spec), ['spec'], notes)];
  r.attributes.suspend = obj(e.m.spec).suspend === true;
  withPlacement(ctx, r.attributes);
  return r;
}

function cronJob(ctx: Context, e: Entry, type: string): Resource {
  const r = common(ctx, e, type);
  const spec = obj(e.m.spec);
  const notes: string[] = [];
  const jobSpec = obj(obj(spec.jobTemplate).spec);
  r.attributes.mode = 'job';
  r.attributes.groups = [jobGroup(ctx, e, jobSpec, ['spec', 'jobTemplate', 'spec'], notes)];
  const schedule = strOf(spec.schedule);
  r.attributes.schedule = schedule ?? null;
  r.attributes.suspend = spec.suspend === true;
  r.attributeLines = { schedule: at(e, ['spec', 'schedule']) };
  if (schedule === undefined) {
    r.attributes.schedule_error = 'spec.schedule is not set';
  } else {
    const runs = runsPerMonth(schedule);
    if (runs.ok) r.attributes.runs_per_month = tidy(runs.runsPerMonth);
    else {
      r.attributes.schedule_error = runs.reason;
      warn(ctx, e, ['spec', 'schedule'], `CronJob ${e.name}: ${runs.reason}`);
    }
  }
  withPlacement(ctx, r.attributes);
  return r;
}

function pvc(ctx: Context, e: Entry, type: string): Resource {
  const r = common(ctx, e, type);
  const claim = claimValue(ctx, e, e.m, [], e.name);
  r.attributes.volumes = [claim];
  r.attributeLines = { storage: at(e, ['spec', 'resources', 'requests', 'storage']) };
  storageAttrs(ctx, r.attributes);
  return r;
}

const NLB_TYPES = new Set(['nlb', 'nlb-ip', 'external']);

function service(ctx: Context, e: Entry, type: string): Resource | null {
  const spec = obj(e.m.spec);
  if (spec.type !== 'LoadBalancer') return null;
  const r = common(ctx, e, type);
  const ann = strMap(obj(e.m.metadata).annotations);
  const lbType = ann['service.beta.kubernetes.io/aws-load-balancer-type'];
  const lbClass = strOf(spec.loadBalancerClass);
  let kind: string;
  if (lbClass !== undefined) kind = lbClass === 'service.k8s.aws/nlb' ? 'nlb' : `class:${lbClass}`;
  else kind = lbType !== undefined && NLB_TYPES.has(lbType) ? 'nlb' : 'classic';
  r.attributes.load_balancer = kind;
  r.attributes.scheme = ann['service.beta.kubernetes.io/aws-load-balancer-scheme'] ?? (ann['service.beta.kubernetes.io/aws-load-balancer-internal'] === 'true' ? 'internal' : null);
  r.attributeLines = { load_balancer: at(e, ['spec', 'type']) };
  return r;
}

function ingress(ctx: Context, e: Entry, type: string): Resource | null {
  const spec = obj(e.m.spec);
  const ann = strMap(obj(e.m.metadata).annotations);
  const cls = strOf(spec.ingressClassName) ?? ann['kubernetes.io/ingress.class'];
  const alb = cls === undefined ? ctx.defaultIngressAlb : cls === 'alb' || ctx.albClasses.has(cls);
  if (!alb) return null;
  const r = common(ctx, e, type);
  r.attributes.load_balancer = 'alb';
  r.attributes.group = ann['alb.ingress.kubernetes.io/group.name'] ?? null;
  r.attributes.scheme = ann['alb.ingress.kubernetes.io/scheme'] ?? null;
  return r;
}

function inferenceService(ctx: Context, e: Entry, type: string): Resource {
  const r = common(ctx, e, type);
  const spec = obj(e.m.spec);
  const groups: Record<string, Value>[] = [];
  for (const component of ['predictor', 'transformer', 'explainer']) {
    const c = spec[component];
    if (!isObject(c)) continue;
    const path: Path = ['spec', component];
    const notes: string[] = [];
    // KServe: minReplicas defaults to 1; 0 scales to zero when idle.
    const min = count(ctx, e, c.minReplicas, [...path, 'minReplicas'], 1, notes);
    const max = c.maxReplicas === undefined || c.maxReplicas === null ? undefined : count(ctx, e, c.maxReplicas, [...path, 'maxReplicas'], min, notes);
    const containers = [
      ...KSERVE_FRAMEWORKS.filter((k) => isObject(c[k])).map((k) => ({ value: c[k], path: [...path, k] })),
      ...arr(c.containers).map((value, i) => ({ value, path: [...path, 'containers', i] })),
    ];
    const shape = reported(ctx, e, podShape(c, strMap(obj(e.m.metadata).labels), path, { containers, defaults: KSERVE_DEFAULTS }));
    if (min === 0) notes.push('minReplicas 0: scales to zero when idle, so no baseline pods');
    const line = at(e, c.minReplicas !== undefined ? [...path, 'minReplicas'] : path);
    groups.push(groupValue({ name: component, replicas: min, ...(max !== undefined && max > 0 ? { maxReplicas: max } : {}), shape, line, notes }));
  }
  r.attributes.mode = 'service';
  r.attributes.groups = groups;
  withPlacement(ctx, r.attributes);
  return r;
}

function llmInferenceService(ctx: Context, e: Entry, type: string): Resource {
  const r = common(ctx, e, type);
  const spec = obj(e.m.spec);
  const notes: string[] = [];
  const replicas = count(ctx, e, spec.replicas, ['spec', 'replicas'], 1, notes);
  const shape = reported(ctx, e, podShape(spec.template, strMap(obj(e.m.metadata).labels), ['spec', 'template']));
  r.attributes.mode = 'service';
  r.attributes.groups = [groupValue({ name: 'main', replicas, shape, line: at(e, ['spec', 'replicas']), notes })];
  r.attributes.unpriced_parts = ['worker', 'prefill'].filter((k) => spec[k] !== undefined && spec[k] !== null).map((k) => `spec.${k}: mlcost does not price ${k} pods of an LLMInferenceService yet`);
  withPlacement(ctx, r.attributes);
  return r;
}

/** Head and worker groups of a RayCluster spec (also a RayJob's rayClusterSpec). */
function rayGroups(ctx: Context, e: Entry, cluster: Record<string, unknown>, path: Path): Record<string, Value>[] {
  const groups: Record<string, Value>[] = [];
  const head = obj(cluster.headGroupSpec);
  const autoscaling = cluster.enableInTreeAutoscaling === true;
  groups.push(groupValue({ name: 'head', replicas: 1, shape: podShapeAt(ctx, e, head.template, [...path, 'headGroupSpec', 'template']), line: at(e, [...path, 'headGroupSpec']) }));
  arr(cluster.workerGroupSpecs).forEach((w, i) => {
    if (!isObject(w)) return;
    const wp: Path = [...path, 'workerGroupSpecs', i];
    const notes: string[] = [];
    const min = count(ctx, e, w.minReplicas, [...wp, 'minReplicas'], 0, notes);
    const replicas = count(ctx, e, w.replicas, [...wp, 'replicas'], min, notes);
    const hosts = count(ctx, e, w.numOfHosts, [...wp, 'numOfHosts'], 1, notes);
    const max = autoscaling && w.maxReplicas !== undefined ? count(ctx, e, w.maxReplicas, [...wp, 'maxReplicas'], replicas, notes) : undefined;
    if (w.replicas === undefined && w.minReplicas === undefined) notes.push('replicas and minReplicas not set: KubeRay starts 0 workers');
    groups.push(
      groupValue({
        name: `worker ${strOf(w.groupName) ?? `#${i}`}`,
        replicas: replicas * hosts,
        ...(max !== undefined ? { maxReplicas: max * hosts } : {}),
        shape: podShapeAt(ctx, e, w.template, [...wp, 'template']),
        line: at(e, [...wp, w.replicas !== undefined ? 'replicas' : 'groupName']),
        notes,
      }),
    );
  });
  return groups;
}

function rayCluster(ctx: Context, e: Entry, type: string): Resource {
  const r = common(ctx, e, type);
  r.attributes.mode = 'service';
  r.attributes.groups = rayGroups(ctx, e, obj(e.m.spec), ['spec']);
  withPlacement(ctx, r.attributes);
  return r;
}

function rayJob(ctx: Context, e: Entry, type: string): Resource {
  const r = common(ctx, e, type);
  const spec = obj(e.m.spec);
  if (!isObject(spec.rayClusterSpec)) {
    r.attributes.mode = 'job';
    r.attributes.groups = [];
    r.attributes.existing_cluster = true;
  } else if (spec.shutdownAfterJobFinishes === true) {
    r.attributes.mode = 'job';
    r.attributes.groups = rayGroups(ctx, e, spec.rayClusterSpec, ['spec', 'rayClusterSpec']);
  } else {
    // Without shutdownAfterJobFinishes the cluster outlives the job: it is billed all month.
    r.attributes.mode = 'service';
    r.attributes.kept_after_job = true;
    r.attributes.groups = rayGroups(ctx, e, spec.rayClusterSpec, ['spec', 'rayClusterSpec']);
  }
  r.attributes.suspend = spec.suspend === true;
  withPlacement(ctx, r.attributes);
  return r;
}

function kubeflowJob(field: string): Builder {
  return (ctx, e, type) => {
    const r = common(ctx, e, type);
    const specs = obj(obj(e.m.spec)[field]);
    r.attributes.mode = 'job';
    r.attributes.groups = Object.entries(specs)
      .filter(([, s]) => isObject(s))
      .map(([role, s]) => {
        const rs = s as Record<string, unknown>;
        const notes: string[] = [];
        const replicas = count(ctx, e, rs.replicas, ['spec', field, role, 'replicas'], 1, notes);
        return groupValue({ name: role, replicas, shape: podShapeAt(ctx, e, rs.template, ['spec', field, role, 'template']), line: at(e, ['spec', field, role, 'replicas']), notes });
      });
    r.attributes.suspend = obj(obj(e.m.spec).runPolicy).suspend === true;
    withPlacement(ctx, r.attributes);
    return r;
  };
}

function leaderWorkerSet(ctx: Context, e: Entry, type: string): Resource {
  const r = common(ctx, e, type);
  const spec = obj(e.m.spec);
  const notes: string[] = [];
  const replicas = count(ctx, e, spec.replicas, ['spec', 'replicas'], 1, notes);
  const lwt = obj(spec.leaderWorkerTemplate);
  const size = count(ctx, e, lwt.size, ['spec', 'leaderWorkerTemplate', 'size'], 1, notes);
  const base: Path = ['spec', 'leaderWorkerTemplate'];
  const line = at(e, ['spec', 'replicas']);
  const leaderTemplate = isObject(lwt.leaderTemplate) ? lwt.leaderTemplate : lwt.workerTemplate;
  const groups = [groupValue({ name: 'leader', replicas, shape: podShapeAt(ctx, e, leaderTemplate, [...base, isObject(lwt.leaderTemplate) ? 'leaderTemplate' : 'workerTemplate']), line, notes })];
  if (size > 1) groups.push(groupValue({ name: 'worker', replicas: replicas * (size - 1), shape: podShapeAt(ctx, e, lwt.workerTemplate, [...base, 'workerTemplate']), line: at(e, [...base, 'size']), notes }));
  r.attributes.mode = 'service';
  r.attributes.groups = groups;
  r.attributes.group_size = size;
  withPlacement(ctx, r.attributes);
  return r;
}

const BUILDERS: Record<string, Builder> = {
  kubernetes_deployment: replicated,
  kubernetes_stateful_set: replicated,
  kubernetes_replica_set: replicated,
  kubernetes_daemon_set: daemonSet,
  kubernetes_pod: pod,
  kubernetes_job: job,
  kubernetes_cron_job: cronJob,
  kubernetes_persistent_volume_claim: pvc,
  kubernetes_service: service,
  kubernetes_ingress: ingress,
  kubernetes_inference_service: inferenceService,
  kubernetes_llm_inference_service: llmInferenceService,
  kubernetes_ray_cluster: rayCluster,
  kubernetes_ray_job: rayJob,
  kubernetes_pytorch_job: kubeflowJob('pytorchReplicaSpecs'),
  kubernetes_tf_job: kubeflowJob('tfReplicaSpecs'),
  kubernetes_leader_worker_set: leaderWorkerSet,
};

// ---------------------------------------------------------------------------------------------
// Supporting kinds

function storageClass(e: Entry): StorageClassData {
  const params = strMap(e.m.parameters);
  const provisioner = strOf(e.m.provisioner) ?? '';
  const num = (k: string) => {
    const v = params[k];
    return v !== undefined && /^\d+(\.\d+)?$/.test(v) ? Number(v) : null;
  };
  const ebs = EBS_PROVISIONERS.has(provisioner);
  // The EBS CSI driver creates gp3 volumes by default; the in-tree provisioner gp2.
  const type = ebs ? (params.type ?? params.Type ?? (provisioner === 'kubernetes.io/aws-ebs' ? 'gp2' : 'gp3')).toLowerCase() : null;
  return { provisioner, type, iops: num('iops'), iops_per_gb: num('iopsPerGB') ?? num('iopsPerGb'), throughput: num('throughput'), source: 'manifest', origin: `${e.doc.file}:${at(e, [])}` };
}

interface Scaler {
  e: Entry;
  targetKind: string;
  targetName: string;
  min: number;
  max: number | undefined;
  notes: string[];
  label: string;
}

function scalerOf(ctx: Context, e: Entry): Scaler | null {
  const spec = obj(e.m.spec);
  const ref = obj(spec.scaleTargetRef);
  const targetName = strOf(ref.name);
  if (!targetName) return null;
  const notes: string[] = [];
  if (e.kind === 'ScaledObject') {
    const min = count(ctx, e, spec.minReplicaCount, ['spec', 'minReplicaCount'], 0, notes);
    const max = count(ctx, e, spec.maxReplicaCount, ['spec', 'maxReplicaCount'], 100, notes);
    if (spec.minReplicaCount === undefined) notes.push("minReplicaCount not set: KEDA's default 0 (scales to zero)");
    if (spec.maxReplicaCount === undefined) notes.push("maxReplicaCount not set: KEDA's default 100");
    return { e, targetKind: strOf(ref.kind) ?? 'Deployment', targetName, min, max, notes, label: `ScaledObject ${e.name}` };
  }
  const min = count(ctx, e, spec.minReplicas, ['spec', 'minReplicas'], 1, notes);
  const max = spec.maxReplicas === undefined ? undefined : count(ctx, e, spec.maxReplicas, ['spec', 'maxReplicas'], min, notes);
  return { e, targetKind: strOf(ref.kind) ?? '', targetName, min, max, notes, label: `HorizontalPodAutoscaler ${e.name}` };
}

export function fargateValue(config: KubernetesConfig | undefined): Record<string, Value> {
  return {
    all: config?.fargate ?? false,
    profiles: (config?.fargateProfiles ?? []).map((p) => ({ name: p.name, selectors: p.selectors.map((s) => ({ namespace: s.namespace, labels: { ...s.labels } })) })),
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * Resources of a set of manifest documents (one project: a directory of manifests, or a rendered
 * Helm chart). Documents that are not Kubernetes objects are skipped; kinds that run containers but
 * are not priced come back in `notAnalysed`.
 */
export function resourcesFromManifests(docs: ManifestDoc[], options: KubernetesOptions = {}): AnalysisResult {
  const config = options.config;
  const defaultNs = options.namespace ?? 'default';
  const entries = docs.flatMap((d) => unfold(d, defaultNs));
  const errors: AnalysisError[] = [];
  const ctx: Context = {
    errors,
    pools: [],
    classes: {},
    defaultClass: null,
    albClasses: new Set(),
    defaultIngressAlb: false,
    fargate: fargateValue(config),
    region: config?.region ?? DEFAULT_REGION,
  };

  // Pools, storage classes and ingress classes first: workloads refer to them.
  const pools: PoolData[] = configPools(config);
  const seenPools = new Set(pools.map((p) => p.name));
  const classes: Record<string, StorageClassData> = {};
  for (const e of entries) {
    const key = `${e.group}/${e.kind}`;
    if (key === 'karpenter.sh/NodePool') {
      const p = karpenterPool(e.m, `${e.doc.file}:${at(e, [])}`);
      if (p && seenPools.has(p.name)) warn(ctx, e, [], `NodePool ${p.name} is defined again; the first definition is used`);
      else if (p) {
        pools.push(p);
        seenPools.add(p.name);
      }
    } else if (key === 'storage.k8s.io/StorageClass') {
      classes[e.name] = storageClass(e);
      if (strMap(obj(e.m.metadata).annotations)['storageclass.kubernetes.io/is-default-class'] === 'true') ctx.defaultClass = e.name;
    } else if (key === 'networking.k8s.io/IngressClass' && obj(e.m.spec).controller === ALB_CONTROLLER) {
      ctx.albClasses.add(e.name);
      if (strMap(obj(e.m.metadata).annotations)['ingressclass.kubernetes.io/is-default-class'] === 'true') ctx.defaultIngressAlb = true;
    }
  }
  for (const [name, type] of Object.entries(config?.storageClasses ?? {}))
    classes[name] = { provisioner: 'ebs.csi.aws.com', type, iops: classes[name]?.iops ?? null, iops_per_gb: classes[name]?.iops_per_gb ?? null, throughput: classes[name]?.throughput ?? null, source: 'config', origin: `.mlcost.yml kubernetes.storageClasses.${name}` };
  const karpenter = pools.filter((p) => p.source === 'karpenter').sort(byKarpenterOrder);
  const ordered = [...pools.filter((p) => p.source !== 'karpenter'), ...karpenter];
  const usable = ordered.length ? ordered : defaultPools();
  const preferred = config?.defaultPool;
  if (preferred) usable.sort((a, b) => (a.name === preferred ? -1 : b.name === preferred ? 1 : 0));
  ctx.pools = usable.map(poolValue);
  ctx.classes = Object.fromEntries(Object.entries(classes).map(([k, v]) => [k, { ...v }]));

  const resources: Resource[] = [];
  const notAnalysed: NonNullable<AnalysisResult['notAnalysed']> = [];
  const byAddress = new Map<string, Resource>();
  const byKind = new Map<string, Resource>();
  for (const e of entries) {
    const key = `${e.group}/${e.kind}`;
    const type = TYPES[key];
    if (!type) {
      if (!SUPPORTING.has(key) && runsContainers(e.m.spec))
        notAnalysed.push({ address: addressOf('kubernetes_manifest', e.namespace, `${e.kind}/${e.name}`), type: 'kubernetes_manifest', reason: `mlcost does not price ${e.kind} (${e.apiVersion}) yet` });
      continue;
    }
    const builder = BUILDERS[type] as Builder;
    const r = builder(ctx, e, type);
    if (!r) continue;
    const first = byAddress.get(r.address);
    if (first) {
      warn(ctx, e, [], `${e.kind} ${e.namespace}/${e.name} is defined again (first at ${first.file}:${first.line}); priced once`);
      continue;
    }
    byAddress.set(r.address, r);
    byKind.set(`${e.kind}/${e.namespace}/${e.name}`, r);
    resources.push(r);
  }

  // HorizontalPodAutoscalers and KEDA ScaledObjects set their target's baseline and ceiling.
  for (const e of entries) {
    const key = `${e.group}/${e.kind}`;
    if (key !== 'autoscaling/HorizontalPodAutoscaler' && key !== 'keda.sh/ScaledObject') continue;
    const s = scalerOf(ctx, e);
    if (!s) continue;
    const target = byKind.get(`${s.targetKind}/${e.namespace}/${s.targetName}`);
    const groups = target?.attributes.groups;
    if (!target || !Array.isArray(groups) || groups.length !== 1 || target.attributes.mode !== 'service') {
      warn(ctx, e, ['spec', 'scaleTargetRef'], `${s.label} scales ${s.targetKind || 'a target'} ${s.targetName}, which is not a workload of this project that mlcost prices; ignored`);
      continue;
    }
    const g = groups[0] as Record<string, Value>;
    g.replicas = s.min;
    g.max_replicas = s.max ?? null;
    const scalerLine = at(e, ['spec', e.kind === 'ScaledObject' ? 'minReplicaCount' : 'minReplicas']);
    if (e.doc.file === target.file) g.line = scalerLine;
    g.scaler_at = { file: e.doc.file, line: scalerLine };
    g.assumptions = [...s.notes, ...(g.assumptions as string[]).filter((a) => !/ assumed for replicas /.test(a))];
    target.attributes.scaled_by = `${s.label} (min ${s.min}${s.max !== undefined ? `, max ${s.max}` : ''})`;
    if (target.attributeLines) target.attributeLines.replicas = g.line as number;
  }

  // Ingresses of one ALB group share one load balancer: it is billed on the first of them.
  const albGroups = new Map<string, string>();
  for (const r of resources) {
    if (r.type !== 'kubernetes_ingress' || typeof r.attributes.group !== 'string') continue;
    const leader = albGroups.get(r.attributes.group);
    if (leader) r.attributes.shares_alb_with = leader;
    else albGroups.set(r.attributes.group, r.address);
  }

  // A replica count this large is more often a typo than a plan: priced, and flagged.
  for (const r of resources) {
    for (const g of (Array.isArray(r.attributes.groups) ? r.attributes.groups : []) as Record<string, Value>[]) {
      const n = g.replicas;
      if (typeof n !== 'number' || n <= REPLICA_OUTLIER) continue;
      const scaler = isObject(g.scaler_at) ? (g.scaler_at as { file: string; line: number }) : undefined;
      errors.push({ file: scaler?.file ?? r.file, line: scaler?.line ?? (typeof g.line === 'number' ? g.line : r.line), message: `${r.address}: ${n.toLocaleString('en-US')} replicas is unusually many (over ${REPLICA_OUTLIER.toLocaleString('en-US')}); priced as written: check for a typo`, severity: 'warning' });
      g.assumptions = [...(g.assumptions as string[]), `${n.toLocaleString('en-US')} replicas is an outlier (over ${REPLICA_OUTLIER.toLocaleString('en-US')}): priced as written, check for a typo`];
    }
  }

  if (!config?.region && resources.length) {
    const first = resources[0] as Resource;
    errors.push({ file: first.file, line: first.line, message: `kubernetes.region is not set in .mlcost.yml; prices are for ${DEFAULT_REGION} (assumed)`, severity: 'warning' });
  }
  resources.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return { resources, errors, ...(notAnalysed.length ? { notAnalysed } : {}) };
}
