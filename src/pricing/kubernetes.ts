/**
 * Kubernetes workloads priced on the nodes they run on. Written once here; the kubernetes_* pricers
 * in resources/ only say which parts of a resource bill.
 *
 * Placement: a pod goes to a node pool when its nodeSelector labels and required node affinity
 * match the pool's node labels (configured labels, Karpenter requirements, and the labels every
 * EKS node carries: instance type, arch, capacity type, ...), it tolerates the pool's NoSchedule
 * and NoExecute taints, and it fits the instance type, GPUs and Neuron devices included. Among
 * several matching pools the first wins (`kubernetes.defaultPool` first, then config order),
 * skipping accelerator nodes for pods that need none when another pool fits.
 *
 * Cost: a pod pays for its share of the node, the larger of its CPU and memory shares (and of its
 * GPU or Neuron share: gpus / node gpus), at the node's price: the line `Node share (g5.xlarge,
 * on-demand, pool gpu)` is node-hours (replicas x hours x share) at the EC2 instance price.
 */
import type { InstanceSpec } from '../core/ports.js';
import type { Value } from '../core/types.js';
import { HOURS_PER_MONTH } from './cost.js';
import { ebsVolume, fargateCompute, perInstance } from './common.js';
import { keys } from './keys.js';
import type { ComponentSpec, PricerContext, ResourceView, SubresourceSpec } from './types.js';

/** Nodes a DaemonSet is multiplied by in a pool whose size nobody gave. */
export const ASSUMED_POOL_NODES = 3;
/** Minutes a Job or CronJob run lasts when usage does not say. */
export const ASSUMED_MINUTES_PER_RUN = 60;
/** EBS volume type of a claim whose storage class mlcost cannot map. */
export const ASSUMED_VOLUME_TYPE = 'gp3';

export interface Toleration {
  key: string;
  operator: string;
  value: string;
  effect: string;
}

export interface Requirement {
  key: string;
  operator: string;
  values: string[];
}

export interface PodGroup {
  name: string;
  replicas: number;
  maxReplicas: number | null;
  cpu: number;
  memoryGiB: number;
  gpu: number;
  neuron: number;
  neuronCores: number;
  noRequests: boolean;
  labels: Record<string, string>;
  nodeSelector: Record<string, string>;
  affinity: Requirement[][];
  tolerations: Toleration[];
  assumptions: string[];
  line: number | undefined;
}

export interface Pool {
  name: string;
  source: 'config' | 'karpenter' | 'default';
  instanceTypes: string[];
  requirements: Requirement[];
  capacity: ('on-demand' | 'spot')[];
  labels: Record<string, string>;
  taints: { key: string; value: string; effect: string }[];
  nodes: number | null;
  accelerator: 'gpu' | 'neuron' | null;
  origin: string;
}

// ---------------------------------------------------------------------------------------------
// Reading attributes

function isObj(v: unknown): v is Record<string, Value> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { $unknown?: unknown }).$unknown !== true;
}

function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function smap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObj(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' ? v : fallback;
}

function requirements(v: unknown): Requirement[] {
  return (Array.isArray(v) ? v : []).filter(isObj).map((e) => ({ key: String(e.key ?? ''), operator: String(e.operator ?? ''), values: strs(e.values) }));
}

export function groupsOf(r: ResourceView): PodGroup[] {
  const v = r.get('groups');
  return (Array.isArray(v) ? v : []).filter(isObj).map((g) => ({
    name: typeof g.name === 'string' ? g.name : 'pod',
    replicas: num(g.replicas),
    maxReplicas: typeof g.max_replicas === 'number' ? g.max_replicas : null,
    cpu: num(g.cpu),
    memoryGiB: num(g.memory_gib),
    gpu: num(g.gpu),
    neuron: num(g.neuron),
    neuronCores: num(g.neuron_cores),
    noRequests: g.no_requests === true,
    labels: smap(g.labels),
    nodeSelector: smap(g.node_selector),
    affinity: (Array.isArray(g.affinity) ? g.affinity : []).map(requirements),
    tolerations: (Array.isArray(g.tolerations) ? g.tolerations : [])
      .filter(isObj)
      .map((t) => ({ key: String(t.key ?? ''), operator: String(t.operator ?? 'Equal'), value: String(t.value ?? ''), effect: String(t.effect ?? '') })),
    assumptions: strs(g.assumptions),
    line: typeof g.line === 'number' ? g.line : undefined,
  }));
}

export function poolsOf(r: ResourceView): Pool[] {
  const v = r.get('node_pools');
  return (Array.isArray(v) ? v : []).filter(isObj).map((p) => ({
    name: String(p.name ?? ''),
    source: p.source === 'karpenter' ? 'karpenter' : p.source === 'default' ? 'default' : 'config',
    instanceTypes: strs(p.instance_types),
    requirements: requirements(p.requirements),
    capacity: strs(p.capacity).filter((c): c is 'on-demand' | 'spot' => c === 'on-demand' || c === 'spot'),
    labels: smap(p.labels),
    taints: (Array.isArray(p.taints) ? p.taints : []).filter(isObj).map((t) => ({ key: String(t.key ?? ''), value: String(t.value ?? ''), effect: String(t.effect ?? '') })),
    nodes: typeof p.nodes === 'number' ? p.nodes : null,
    accelerator: p.accelerator === 'gpu' || p.accelerator === 'neuron' ? p.accelerator : null,
    origin: String(p.origin ?? ''),
  }));
}

// ---------------------------------------------------------------------------------------------
// Instance types and node labels

/**
 * Instance families mlcost tries, in order, for a Karpenter NodePool that does not list instance
 * types: general purpose first, then compute and memory optimised, then accelerators.
 */
const CPU_FAMILIES = ['m6i', 'm7i', 'm5', 'c6i', 'c7i', 'c5', 'r6i', 'r7i', 'r5', 'm6a', 'm7a', 'c6a', 'c7a', 'r6a', 'r7a', 'm6g', 'm7g', 'c6g', 'c7g', 'r6g', 'r7g', 't3', 't3a', 'm5a', 'c5a', 'r5a', 'm5n', 'c5n', 'r5n', 'i4i', 'x2idn'];
const GPU_FAMILIES = ['g5', 'g6', 'g6e', 'g4dn', 'g5g', 'p3', 'p4d', 'p4de', 'p5', 'p5e', 'p5en'];
const NEURON_FAMILIES = ['inf2', 'trn1', 'trn1n', 'inf1', 'trn2'];
const SIZES = ['medium', 'large', 'xlarge', '2xlarge', '3xlarge', '4xlarge', '6xlarge', '8xlarge', '9xlarge', '12xlarge', '16xlarge', '18xlarge', '24xlarge', '32xlarge', '48xlarge'];

function generated(families: string[]): string[] {
  return families.flatMap((f) => SIZES.map((s) => `${f}.${s}`));
}

/** Labels with values mlcost cannot know (zone, hostname): any selector on them is taken as met. */
const UNKNOWABLE = new Set(['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone', 'topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region', 'kubernetes.io/hostname', 'topology.ebs.csi.aws.com/zone', 'karpenter.k8s.aws/instance-hypervisor', 'karpenter.k8s.aws/instance-encryption-in-transit-supported', 'karpenter.k8s.aws/instance-network-bandwidth', 'karpenter.k8s.aws/instance-local-nvme', 'karpenter.k8s.aws/instance-ebs-bandwidth']);

function neuronCoresPerDevice(spec: InstanceSpec): number {
  return spec.acceleratorName === 'inferentia' ? 4 : spec.acceleratorName === 'trainium2' ? 8 : 2;
}

/** The labels an EKS node of this type and capacity carries (plus the pool's own). */
function nodeLabels(pool: Pool, type: string, spec: InstanceSpec, capacity: 'on-demand' | 'spot'): Map<string, string> {
  const [family = '', size = ''] = type.split('.');
  const m = /^([a-z]+)(\d+)/.exec(family);
  const labels = new Map<string, string>([
    ['kubernetes.io/os', 'linux'],
    ['kubernetes.io/arch', spec.arch === 'arm64' ? 'arm64' : 'amd64'],
    ['node.kubernetes.io/instance-type', type],
    ['beta.kubernetes.io/instance-type', type],
    ['karpenter.sh/capacity-type', capacity],
    ['eks.amazonaws.com/capacityType', capacity === 'spot' ? 'SPOT' : 'ON_DEMAND'],
    ['karpenter.k8s.aws/instance-family', family],
    ['karpenter.k8s.aws/instance-size', size],
    ['karpenter.k8s.aws/instance-cpu', String(spec.vcpu)],
    ['karpenter.k8s.aws/instance-memory', String(Math.round(spec.memoryGiB * 1024))],
    ['karpenter.k8s.aws/instance-gpu-count', String(spec.gpuCount)],
  ]);
  if (m) {
    labels.set('karpenter.k8s.aws/instance-category', m[1] as string);
    labels.set('karpenter.k8s.aws/instance-generation', m[2] as string);
  }
  if (spec.gpuName) {
    labels.set('karpenter.k8s.aws/instance-gpu-name', spec.gpuName);
    labels.set('karpenter.k8s.aws/instance-gpu-manufacturer', ['radeon-pro-v520'].includes(spec.gpuName) ? 'amd' : 'nvidia');
  }
  if (spec.acceleratorName) {
    labels.set('karpenter.k8s.aws/instance-accelerator-name', spec.acceleratorName);
    labels.set('karpenter.k8s.aws/instance-accelerator-count', String(spec.acceleratorCount ?? 0));
  }
  if (pool.source === 'karpenter') labels.set('karpenter.sh/nodepool', pool.name);
  if (pool.source === 'config') labels.set('eks.amazonaws.com/nodegroup', pool.name);
  for (const [k, v] of Object.entries(pool.labels)) labels.set(k, v);
  return labels;
}

/** Whether one requirement (In, NotIn, Exists, DoesNotExist, Gt, Lt) holds on a node. */
function holds(req: Requirement, labels: Map<string, string>, poolReqs: Requirement[]): boolean {
  const value = labels.get(req.key);
  if (value === undefined) {
    if (UNKNOWABLE.has(req.key)) return req.operator !== 'DoesNotExist';
    // A key the pool constrains but no fixed label gives (a Karpenter requirement on a custom label).
    const own = poolReqs.filter((p) => p.key === req.key);
    if (own.length) {
      if (req.operator === 'Exists') return own.some((p) => p.operator !== 'DoesNotExist');
      if (req.operator === 'DoesNotExist') return own.every((p) => p.operator === 'DoesNotExist');
      if (req.operator === 'In') return req.values.some((v) => own.every((p) => allows(p, v)));
      if (req.operator === 'NotIn') return own.some((p) => p.operator === 'In' && p.values.some((v) => !req.values.includes(v)));
      return true;
    }
    return req.operator === 'NotIn' || req.operator === 'DoesNotExist';
  }
  return allows(req, value);
}

function allows(req: Requirement, value: string): boolean {
  switch (req.operator) {
    case 'In':
      return req.values.includes(value);
    case 'NotIn':
      return !req.values.includes(value);
    case 'Exists':
      return true;
    case 'DoesNotExist':
      return false;
    case 'Gt':
      return Number(value) > Number(req.values[0]);
    case 'Lt':
      return Number(value) < Number(req.values[0]);
    default:
      return false;
  }
}

function tolerated(taint: Pool['taints'][number], tolerations: Toleration[]): boolean {
  return tolerations.some(
    (t) =>
      (t.key === '' ? t.operator === 'Exists' : t.key === taint.key) &&
      (t.operator === 'Exists' || t.value === taint.value) &&
      (t.effect === '' || t.effect === taint.effect),
  );
}

function hasAccelerators(g: PodGroup): boolean {
  return g.gpu > 0 || g.neuron > 0 || g.neuronCores > 0;
}

function isAcceleratorType(spec: InstanceSpec): boolean {
  return spec.gpuCount > 0 || (spec.acceleratorCount ?? 0) > 0;
}

/** The pod's share of one node of `spec`: the largest of its CPU, memory and accelerator shares. */
export function shareOf(g: PodGroup, spec: InstanceSpec): { share: number; fits: boolean; why?: string } {
  const cpu = g.cpu / spec.vcpu;
  const mem = g.memoryGiB / spec.memoryGiB;
  let acc = 0;
  if (g.gpu > 0) {
    if (spec.gpuCount === 0) return { share: 0, fits: false, why: 'has no GPUs' };
    acc = g.gpu / spec.gpuCount;
  } else if (g.neuron > 0 || g.neuronCores > 0) {
    const devices = spec.acceleratorCount ?? 0;
    if (devices === 0 || !/^(inferentia|trainium)/.test(spec.acceleratorName ?? '')) return { share: 0, fits: false, why: 'has no Neuron devices' };
    acc = (g.neuron + g.neuronCores / neuronCoresPerDevice(spec)) / devices;
  }
  const share = Math.max(cpu, mem, acc);
  const over = [cpu > 1 ? `${g.cpu} CPU > ${spec.vcpu} vCPU` : '', mem > 1 ? `${round(g.memoryGiB)} GiB > ${spec.memoryGiB} GiB` : '', acc > 1 ? 'more accelerators than the node has' : ''].filter(Boolean);
  return over.length ? { share, fits: false, why: `too small (${over.join(', ')})` } : { share, fits: true };
}

function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

// ---------------------------------------------------------------------------------------------
// Placement

export interface Placed {
  ok: true;
  pool: Pool;
  instanceType: string;
  spec: InstanceSpec;
  capacity: 'on-demand' | 'spot';
  share: number;
  /** What was assumed to get here, said on the cost line. */
  notes: string[];
}

export type Placement = Placed | { ok: false; reason: string };

interface PoolFit {
  placed?: Placed;
  why?: string;
}

const INSTANCE_TYPE_KEYS = ['node.kubernetes.io/instance-type', 'beta.kubernetes.io/instance-type'];
/** Labels that decide the instance type and capacity: checked even on the default pools. */
const STRICT_KEYS = new Set([...INSTANCE_TYPE_KEYS, 'karpenter.sh/capacity-type', 'eks.amazonaws.com/capacityType']);

/** Instance types a pod pins with its nodeSelector or required node affinity. */
function pinnedTypes(g: PodGroup): string[] {
  for (const k of INSTANCE_TYPE_KEYS) if (g.nodeSelector[k]) return [g.nodeSelector[k] as string];
  for (const term of g.affinity) for (const e of term) if (INSTANCE_TYPE_KEYS.includes(e.key) && e.operator === 'In') return e.values;
  return [];
}

/** The first instance type and capacity of `pool` the group may run on, or why none. */
function fitPool(g: PodGroup, pool: Pool, ctx: PricerContext, daemon: boolean): PoolFit {
  // The default pools stand for the cluster's nodes, which nobody described: what a pod pins
  // (instance type, capacity type) is honoured, its other node selectors are taken as met, and said.
  const lenient = pool.source === 'default';
  const pinned = lenient ? pinnedTypes(g) : [];
  if (!pinned.length) {
    if (pool.accelerator === 'gpu' && g.gpu === 0) return { why: 'default GPU pool: only for pods requesting nvidia.com/gpu' };
    if (pool.accelerator === 'neuron' && g.neuron === 0 && g.neuronCores === 0) return { why: 'default Neuron pool: only for pods requesting Neuron devices' };
  } else if (pool.accelerator !== null) return { why: 'the pod pins its instance type' };
  const untolerated = pool.taints.filter((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerated(t, g.tolerations));
  if (untolerated.length) return { why: `taint ${untolerated.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')} not tolerated` };
  const explicit = pinned.length > 0 || pool.instanceTypes.length > 0;
  const accel = hasAccelerators(g);
  const candidates = pinned.length ? pinned : pool.instanceTypes.length ? pool.instanceTypes : generated(g.gpu > 0 ? GPU_FAMILIES : g.neuron > 0 || g.neuronCores > 0 ? NEURON_FAMILIES : CPU_FAMILIES);
  // Why no candidate fits: the reason of the candidate that got furthest (requirements < selectors < affinity < size).
  let why: { stage: number; text: string } | undefined;
  const fail = (stage: number, text: string) => {
    if (!why || stage > why.stage) why = { stage, text };
  };
  let known = 0;
  for (const capacity of pool.capacity) {
    for (const type of candidates) {
      const spec = ctx.instanceSpec(type);
      if (!spec) continue;
      known++;
      if (!explicit && !accel && isAcceleratorType(spec)) continue;
      const labels = nodeLabels(pool, type, spec, capacity);
      const custom = pool.requirements.filter((q) => !labels.has(q.key));
      if (!pool.requirements.every((q) => holds(q, labels, custom))) {
        fail(0, explicit ? `${type} does not meet the pool's requirements` : 'no instance type meets its requirements');
        continue;
      }
      const assumedMet: string[] = [];
      const check = (q: Requirement, text: string): boolean => {
        if (holds(q, labels, custom)) return true;
        if (lenient && !STRICT_KEYS.has(q.key)) {
          assumedMet.push(text);
          return true;
        }
        return false;
      };
      const unmet = Object.entries(g.nodeSelector).filter(([k, v]) => !check({ key: k, operator: 'In', values: [v] }, `${k}=${v}`));
      if (unmet.length) {
        fail(1, `nodeSelector ${unmet.map(([k, v]) => `${k}=${v}`).join(', ')} not matched`);
        continue;
      }
      if (g.affinity.length && !g.affinity.some((term) => term.every((q) => check(q, `${q.key} ${q.operator} ${q.values.join(',')}`.trim())))) {
        fail(2, 'required node affinity not matched');
        continue;
      }
      const s = shareOf(g, spec);
      if (!s.fits) {
        fail(3, `${type} ${s.why}`);
        continue;
      }
      const notes: string[] = [];
      if (pool.source === 'default') {
        notes.push(`no node pools configured: default pool ${pool.name} (${type}, ${capacity}) assumed; describe your pools under kubernetes.nodePools in .mlcost.yml`);
        if (assumedMet.length) notes.push(`node selectors ${[...new Set(assumedMet)].join(', ')} assumed met by the default pool`);
      } else if (pool.source === 'karpenter' && !explicit)
        notes.push(`${type} assumed for Karpenter NodePool ${pool.name} (the first type in mlcost's candidate list that its requirements allow and the pod fits; Karpenter picks per batch of pods; list instance types in the NodePool or kubernetes.nodePools to be exact)`);
      else if (pool.source === 'karpenter' && pool.instanceTypes.length > 1)
        notes.push(`${type} assumed for Karpenter NodePool ${pool.name} (the first of its ${pool.instanceTypes.length} allowed instance types the pod fits)`);
      if (pool.source === 'karpenter' && capacity === 'spot' && pool.capacity.includes('on-demand')) notes.push('spot assumed (Karpenter prefers spot when a NodePool allows both)');
      if (daemon && pool.nodes === null) notes.push(`${ASSUMED_POOL_NODES} nodes assumed in pool ${pool.name} (set nodes for the pool in kubernetes.nodePools)`);
      return { placed: { ok: true, pool, instanceType: type, spec, capacity, share: s.share, notes } };
    }
  }
  if (known === 0) return { why: explicit ? `instance type${candidates.length > 1 ? 's' : ''} ${candidates.join(', ')} not in the price snapshot's specs` : 'no known instance type' };
  return { why: (why as { text: string } | undefined)?.text ?? 'no instance type fits' };
}

function rejection(g: PodGroup, whys: string[]): string {
  const need = [g.cpu ? `${round(g.cpu)} CPU` : '', g.memoryGiB ? `${round(g.memoryGiB)} GiB` : '', g.gpu ? `${g.gpu} GPU` : '', g.neuron ? `${g.neuron} Neuron device(s)` : '', g.neuronCores ? `${g.neuronCores} NeuronCore(s)` : ''].filter(Boolean).join(', ');
  return `no node pool takes this pod (${need || 'no requests'}): ${whys.join('; ')}`;
}

/** The pool a (non-DaemonSet) pod group is placed on. */
export function place(g: PodGroup, pools: Pool[], ctx: PricerContext): Placement {
  const fits: Placed[] = [];
  const whys: string[] = [];
  for (const pool of pools) {
    const f = fitPool(g, pool, ctx, false);
    if (f.placed) fits.push(f.placed);
    else whys.push(`pool ${pool.name}: ${f.why}`);
  }
  if (fits.length === 0) return { ok: false, reason: pools.length ? rejection(g, whys) : 'no node pools' };
  // Pods without accelerators go to accelerator nodes only when nothing else takes them.
  const ordered = hasAccelerators(g) ? fits : [...fits.filter((p) => !isAcceleratorType(p.spec)), ...fits.filter((p) => isAcceleratorType(p.spec))];
  const chosen = ordered[0] as Placed;
  const configured = fits.filter((p) => p.pool.source !== 'default');
  if (configured.length > 1) chosen.notes.push(`placed on pool ${chosen.pool.name}, the first of ${configured.length} matching pools (${configured.map((p) => p.pool.name).join(', ')})`);
  return chosen;
}

/** Every pool a DaemonSet's pods run on (one per node). */
export function placeDaemon(g: PodGroup, pools: Pool[], ctx: PricerContext): { placed: Placed[]; reason?: string } {
  const placed: Placed[] = [];
  const whys: string[] = [];
  for (const pool of pools) {
    const f = fitPool(g, pool, ctx, true);
    if (f.placed) placed.push(f.placed);
    else whys.push(`pool ${pool.name}: ${f.why}`);
  }
  return placed.length ? { placed } : { placed, reason: rejection(g, whys) };
}

// ---------------------------------------------------------------------------------------------
// Fargate

/** Fargate's vCPU sizes and the memory (GB) each allows: https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html */
const FARGATE_SIZES: { vcpu: number; memory: number[] }[] = [
  { vcpu: 1 / 4, memory: [1 / 2, 1, 2] },
  { vcpu: 1 / 2, memory: [1, 2, 3, 4] },
  { vcpu: 1, memory: [2, 3, 4, 5, 6, 7, 8] },
  { vcpu: 2, memory: Array.from({ length: 13 }, (_, i) => 4 + i) },
  { vcpu: 4, memory: Array.from({ length: 23 }, (_, i) => 8 + i) },
  { vcpu: 8, memory: Array.from({ length: 12 }, (_, i) => 16 + 4 * i) },
  { vcpu: 16, memory: Array.from({ length: 12 }, (_, i) => 32 + 8 * i) },
];
/** Memory Fargate adds to every pod for the kubelet, kube-proxy and containerd (GB). */
const FARGATE_OVERHEAD_GB = 1 / 4;

/** The Fargate size a pod is billed at: its requests (+ 256 MB) rounded up to a configuration. */
export function fargateSize(cpu: number, memoryGiB: number): { vcpu: number; memoryGB: number } | undefined {
  const need = memoryGiB + FARGATE_OVERHEAD_GB;
  for (const s of FARGATE_SIZES) {
    if (s.vcpu < cpu) continue;
    const m = s.memory.find((x) => x >= need);
    if (m !== undefined) return { vcpu: s.vcpu, memoryGB: m };
  }
  return undefined;
}

function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(text);
}

/** The Fargate profile a pod of `namespace` with `labels` lands on, if any. */
export function fargateProfile(r: ResourceView, g: PodGroup): string | undefined {
  const f = r.get('fargate');
  if (!isObj(f)) return undefined;
  if (f.all === true) return 'kubernetes.fargate';
  const ns = r.str('namespace') ?? 'default';
  for (const p of (Array.isArray(f.profiles) ? f.profiles : []).filter(isObj)) {
    const selectors = (Array.isArray(p.selectors) ? p.selectors : []).filter(isObj);
    if (selectors.some((s) => globMatch(String(s.namespace ?? ''), ns) && Object.entries(smap(s.labels)).every(([k, v]) => g.labels[k] === v))) return String(p.name ?? '');
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Cost lines

/** Quantities keep 9 decimals: float noise goes, 1/3 of a node stays exact to the cent at any price. */
function q(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}

function joinNotes(notes: string[]): string | undefined {
  const unique = [...new Set(notes.filter(Boolean))];
  return unique.length ? unique.join('; ') : undefined;
}

function prefix(g: PodGroup, groups: PodGroup[]): string {
  return groups.length > 1 ? `${g.name}: ` : '';
}

export interface Hours {
  /** Hours each pod runs in a month (730 for long-running pods). */
  perPod: number;
  notes: string[];
  /** Set when the hours cannot be known (an unreadable schedule). */
  unknown?: string;
}

export const ALWAYS_ON: Hours = { perPod: HOURS_PER_MONTH, notes: [] };

function nodeShareLine(r: ResourceView, g: PodGroup, groups: PodGroup[], p: Placed, pods: number, hours: Hours, ceilingPods: number | null, extra: string[] = []): ComponentSpec {
  const name = `${prefix(g, groups)}Node share (${p.instanceType}, ${p.capacity}, pool ${p.pool.name})`;
  const perPodNodeHours = hours.perPod * p.share;
  const assumption = joinNotes([...g.assumptions, ...p.notes, ...hours.notes, ...extra]);
  const base: ComponentSpec = {
    name,
    unit: 'node-hours',
    monthlyQuantity: hours.unknown ? null : q(pods * perPodNodeHours),
    price: r.region ? (p.capacity === 'spot' ? keys.ec2Spot(r.region, p.instanceType) : keys.ec2Instance(r.region, p.instanceType)) : null,
    ...(assumption ? { assumption } : {}),
    ...(g.line ? { line: g.line } : {}),
    ...(ceilingPods !== null && ceilingPods > pods && !hours.unknown ? { ceilingQuantity: q(ceilingPods * perPodNodeHours) } : {}),
  };
  if (!r.region) return { ...base, unpricedReason: 'region is unknown' };
  if (hours.unknown) return { ...base, price: null, unpricedReason: hours.unknown };
  return base;
}

function unplacedLine(g: PodGroup, groups: PodGroup[], reason: string): ComponentSpec {
  const assumption = joinNotes(g.assumptions);
  return { name: `${prefix(g, groups)}Node share`, unit: 'node-hours', monthlyQuantity: null, price: null, unpricedReason: reason, ...(assumption ? { assumption } : {}), ...(g.line ? { line: g.line } : {}) };
}

const NO_REQUESTS = 'no container sets CPU or memory requests or limits, so the scheduler reserves nothing and its node share is unknown; set resources.requests to price it';

function fargateLines(r: ResourceView, g: PodGroup, groups: PodGroup[], profile: string, pods: number, hours: Hours): ComponentSpec[] {
  const p = prefix(g, groups);
  if (hasAccelerators(g)) return [unplacedLine(g, groups, `Fargate profile ${profile} selects this pod, but Fargate runs no GPU or Neuron pods`)];
  const size = fargateSize(g.cpu, g.memoryGiB);
  if (!size) return [unplacedLine(g, groups, `Fargate profile ${profile} selects this pod, but ${round(g.cpu)} CPU / ${round(g.memoryGiB)} GiB is over Fargate's largest size (16 vCPU, 120 GB)`)];
  const notes = [...g.assumptions, ...hours.notes];
  if (g.noRequests) notes.push("no requests: Fargate's smallest size (0.25 vCPU, 0.5 GB)");
  const assumption = joinNotes(notes);
  const podHours = hours.unknown ? null : pods * hours.perPod;
  return fargateCompute(r, {
    vcpuHours: podHours === null ? null : q(podHours * size.vcpu),
    gbHours: podHours === null ? null : q(podHours * size.memoryGB),
    arch: 'x86',
    ...(assumption ? { assumption } : {}),
    ...(g.line ? { line: g.line } : {}),
  }).map((c) => ({
    ...c,
    name: `${p}${c.name.replace(')', `, profile ${profile}, ${size.vcpu} vCPU ${size.memoryGB} GB per pod)`)}`,
    ...(hours.unknown ? { price: null, unpricedReason: hours.unknown } : {}),
    ...(g.maxReplicas !== null && g.maxReplicas > pods && c.monthlyQuantity !== null && pods > 0 ? { ceilingQuantity: q((c.monthlyQuantity / pods) * g.maxReplicas) } : {}),
  }));
}

/** Lines of every pod group of a workload (Deployment, Job, Ray, KServe, ...): node shares or Fargate. */
export function podGroupLines(r: ResourceView, ctx: PricerContext, hours: Hours = ALWAYS_ON, extra: string[] = []): ComponentSpec[] {
  const groups = groupsOf(r);
  const pools = poolsOf(r);
  const out: ComponentSpec[] = [];
  for (const g of groups) {
    const withExtra = { ...g, assumptions: [...g.assumptions, ...extra] };
    const profile = fargateProfile(r, g);
    if (profile !== undefined) {
      out.push(...fargateLines(r, withExtra, groups, profile, g.replicas, hours));
      continue;
    }
    if (g.noRequests) {
      out.push(unplacedLine(withExtra, groups, NO_REQUESTS));
      continue;
    }
    const p = place(g, pools, ctx);
    // No pods and no ceiling: nothing is billed, wherever they would have gone (details say why not).
    if (!p.ok && g.replicas === 0 && !(g.maxReplicas !== null && g.maxReplicas > 0)) continue;
    if (!p.ok) {
      out.push(unplacedLine(withExtra, groups, p.reason));
      continue;
    }
    out.push(nodeShareLine(r, withExtra, groups, p, g.replicas, hours, g.maxReplicas));
  }
  for (const part of strs(r.get('unpriced_parts'))) out.push({ name: part.split(':')[0] as string, unit: 'pods', monthlyQuantity: null, price: null, unpricedReason: part.slice(part.indexOf(':') + 2) });
  return out;
}

/** A DaemonSet: one pod per node of every pool it runs on. */
export function daemonLines(r: ResourceView, ctx: PricerContext): ComponentSpec[] {
  const groups = groupsOf(r);
  const out: ComponentSpec[] = [];
  for (const g of groups) {
    if (g.noRequests) {
      out.push(unplacedLine(g, groups, NO_REQUESTS));
      continue;
    }
    const { placed, reason } = placeDaemon(g, poolsOf(r), ctx);
    if (!placed.length) {
      out.push(unplacedLine(g, groups, reason ?? 'no node pool'));
      continue;
    }
    for (const p of placed) out.push(nodeShareLine(r, g, groups, p, p.pool.nodes ?? ASSUMED_POOL_NODES, ALWAYS_ON, null));
  }
  return out;
}

/** Runs per month and minutes per run of a Job-like resource (usage first, then what it says, then assumed). */
export function jobHours(r: ResourceView, ctx: PricerContext, opts: { schedule?: boolean; runsLabel?: string } = {}): Hours & { runs: number | null; minutes: number } {
  const notes: string[] = [];
  const usageAt = `usage: in .mlcost.yml (${r.address} or ${r.resource.type})`;
  const minutesGiven = ctx.usage.num('minutes_per_run');
  const minutes = minutesGiven ?? ASSUMED_MINUTES_PER_RUN;
  if (minutesGiven === undefined) notes.push(`${ASSUMED_MINUTES_PER_RUN} minutes per run assumed (set minutes_per_run under ${usageAt})`);
  let runs: number | null;
  let unknownWhy: string | undefined;
  const runsGiven = ctx.usage.num('runs_per_month');
  if (r.bool('suspend') === true) {
    runs = 0;
    notes.splice(0);
    notes.push('suspended: no runs');
  } else if (runsGiven !== undefined) runs = runsGiven;
  else if (opts.schedule) {
    const n = r.num('runs_per_month');
    runs = n ?? null;
    if (n === undefined) unknownWhy = `${r.str('schedule_error') ?? 'schedule unknown'}; set runs_per_month under ${usageAt}`;
  } else {
    runs = 1;
    notes.push(`1 run per month assumed (${opts.runsLabel ?? 'a Job runs once when applied'}; set runs_per_month under ${usageAt})`);
  }
  return { perPod: runs === null ? 0 : (runs * minutes) / 60, notes, runs, minutes, ...(unknownWhy ? { unknown: unknownWhy } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Volumes

interface VolumeType {
  type?: string;
  iops?: number;
  iopsPerGb?: number;
  throughput?: number;
  assumption?: string;
  unpriced?: string;
}

const EBS_NAMES = new Set(['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1', 'standard']);

/** The EBS volume type behind a storage class name (null: the claim names none). */
export function volumeType(r: ResourceView, className: string | null): VolumeType {
  const classes = r.get('storage_classes');
  const all = isObj(classes) ? classes : {};
  const name = className ?? r.str('default_storage_class') ?? null;
  const configured = className === null && isObj(all.default) && all.default.source === 'config' ? all.default : undefined;
  const sc = configured ?? (name !== null && isObj(all[name]) ? (all[name] as Record<string, Value>) : undefined);
  if (sc) {
    const type = typeof sc.type === 'string' ? sc.type : undefined;
    if (!type) return { unpriced: `storage class ${name ?? 'default'} uses provisioner ${String(sc.provisioner)}: not an EBS volume, which mlcost does not price here` };
    if (!EBS_NAMES.has(type)) return { unpriced: `storage class ${name ?? 'default'}: unknown EBS volume type "${type}"` };
    return {
      type,
      ...(typeof sc.iops === 'number' ? { iops: sc.iops } : {}),
      ...(typeof sc.iops_per_gb === 'number' ? { iopsPerGb: sc.iops_per_gb } : {}),
      ...(typeof sc.throughput === 'number' ? { throughput: sc.throughput } : {}),
      ...(className === null ? { assumption: `no storageClassName: the cluster's default class ${configured ? '(kubernetes.storageClasses.default)' : `${name} (${String(sc.origin ?? '')})`} assumed` } : {}),
    };
  }
  if (name === null) return { type: ASSUMED_VOLUME_TYPE, assumption: `no storageClassName: the cluster's default class decides; ${ASSUMED_VOLUME_TYPE} assumed (map it under kubernetes.storageClasses.default in .mlcost.yml)` };
  if (EBS_NAMES.has(name)) return { type: name, assumption: `storage class ${name} read as EBS ${name} (map it under kubernetes.storageClasses in .mlcost.yml if it is not)` };
  return { type: ASSUMED_VOLUME_TYPE, assumption: `storage class ${name} unknown: EBS ${ASSUMED_VOLUME_TYPE} assumed (map it under kubernetes.storageClasses in .mlcost.yml)` };
}

/** EBS lines of the claims of a resource (a PVC, or a StatefulSet's volumeClaimTemplates per replica). */
export function volumeSubresources(r: ResourceView, opts: { perReplica?: { replicas: number; max: number | null } } = {}): SubresourceSpec[] {
  return r.list('volumes').map((v) => {
    const name = v.str('name') ?? 'volume';
    const gib = v.num('storage_gib');
    const vt = volumeType(r, v.str('storage_class') ?? null);
    const line = v.num('line');
    const common = { ...(line !== undefined ? { line } : {}) };
    let components: ComponentSpec[];
    if (vt.unpriced || !vt.type) {
      components = [{ name: 'Storage', unit: 'GB', monthlyQuantity: gib ?? null, price: null, unpricedReason: vt.unpriced ?? 'unknown storage class', ...common }];
    } else {
      const iops = vt.iops ?? (vt.iopsPerGb !== undefined && gib !== undefined ? vt.iopsPerGb * gib : undefined);
      components = ebsVolume(r, {
        volumeType: vt.type,
        sizeGb: gib,
        sizeWhy: 'spec.resources.requests.storage is not set',
        ...(iops !== undefined ? { iops } : {}),
        ...(vt.throughput !== undefined ? { throughput: vt.throughput } : {}),
        ...(vt.assumption ? { assumption: vt.assumption } : {}),
        ...common,
      }).map((c) => (vt.assumption && !c.assumption ? { ...c, assumption: vt.assumption } : c));
    }
    if (opts.perReplica) components = perInstance(components, opts.perReplica.replicas, opts.perReplica.max ?? undefined);
    return { name: opts.perReplica ? `volume_claim_template[${JSON.stringify(name)}]` : 'volume', ...common, components };
  });
}

// ---------------------------------------------------------------------------------------------
// Details

function placementDetails(r: ResourceView, g: PodGroup, ctx: PricerContext, daemon: boolean): Record<string, unknown> {
  const profile = fargateProfile(r, g);
  if (profile !== undefined && !daemon) {
    const size = fargateSize(g.cpu, g.memoryGiB);
    return { fargateProfile: profile, ...(size ? { fargateSize: `${size.vcpu} vCPU, ${size.memoryGB} GB` } : {}) };
  }
  if (g.noRequests) return {};
  if (daemon) {
    const { placed } = placeDaemon(g, poolsOf(r), ctx);
    const pools = placed.map((p) => ({ pool: p.pool.name, instanceType: p.instanceType, capacity: p.capacity, nodes: p.pool.nodes ?? ASSUMED_POOL_NODES }));
    // One pod per node: the pods are the nodes of every pool it runs on.
    return placed.length ? { replicas: pools.reduce((a, p) => a + p.nodes, 0), pools } : {};
  }
  const p = place(g, poolsOf(r), ctx);
  return p.ok ? { pool: p.pool.name, instanceType: p.instanceType, capacity: p.capacity, nodeShare: round(p.share, 6) } : { unplaced: p.reason };
}

function groupDetails(r: ResourceView, g: PodGroup, ctx: PricerContext, daemon: boolean): Record<string, unknown> {
  const placement = placementDetails(r, g, ctx, daemon);
  return {
    ...(daemon ? { replicas: placement.replicas ?? 0 } : { replicas: g.replicas }),
    ...(g.maxReplicas !== null ? { maxReplicas: g.maxReplicas } : {}),
    cpu: round(g.cpu, 6),
    memoryGiB: round(g.memoryGiB, 6),
    gpu: g.gpu,
    ...(g.neuron || g.neuronCores ? { neuron: g.neuron, neuronCores: g.neuronCores } : {}),
    ...placement,
  };
}

/**
 * `details` of a workload: replicas, cpu, memoryGiB (per pod), gpu and where it runs; resources with
 * several pod groups (Ray head and workers, KServe predictor and transformer, ...) list them in `groups`.
 */
export function workloadDetails(r: ResourceView, ctx: PricerContext, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const groups = groupsOf(r);
  const daemon = r.str('mode') === 'daemon';
  const scaledBy = r.str('scaled_by');
  const common = { ...(scaledBy ? { scaledBy } : {}), ...extra };
  if (groups.length === 1) return { ...groupDetails(r, groups[0] as PodGroup, ctx, daemon), ...common };
  return { replicas: groups.reduce((a, g) => a + g.replicas, 0), groups: groups.map((g) => ({ name: g.name, ...groupDetails(r, g, ctx, daemon) })), ...common };
}
