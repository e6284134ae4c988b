/**
 * A pod template's scheduling facts: what it requests (CPU, memory, GPUs, Neuron devices), where it
 * may run (nodeSelector, required node affinity, tolerations) and its labels. Requests default to
 * limits, as the API server does; init containers count as Kubernetes counts them.
 */
import type { Value } from '../../core/types.js';
import { parseQuantity, tidy } from './quantity.js';

export type Path = (string | number)[];

export interface PodIssue {
  path: Path;
  message: string;
}

export interface PodShape {
  cpu: number;
  memoryGiB: number;
  gpu: number;
  /** Neuron devices (aws.amazon.com/neuron, aws.amazon.com/neurondevice). */
  neuron: number;
  /** NeuronCores (aws.amazon.com/neuroncore); turned into devices once the instance type is known. */
  neuronCores: number;
  /** No container asks for CPU, memory or an accelerator: nothing to size the pod by. */
  noRequests: boolean;
  labels: Record<string, string>;
  nodeSelector: Record<string, string>;
  /** Required node affinity: any term may match; every expression of a term must. */
  affinity: { key: string; operator: string; values: string[] }[][];
  tolerations: { key: string; operator: string; value: string; effect: string }[];
  /** Said on every cost line of the pod (requests taken from limits, containers without requests). */
  assumptions: string[];
  issues: PodIssue[];
}

const GPU_KEYS = ['nvidia.com/gpu', 'amd.com/gpu'];
const NEURON_DEVICE_KEYS = ['aws.amazon.com/neuron', 'aws.amazon.com/neurondevice'];
const NEURON_CORE_KEY = 'aws.amazon.com/neuroncore';

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
  return out;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

interface Amounts {
  cpu: number;
  memoryGiB: number;
  gpu: number;
  neuron: number;
  neuronCores: number;
}

const ZERO: Amounts = { cpu: 0, memoryGiB: 0, gpu: 0, neuron: 0, neuronCores: 0 };

/** Requests a controller sets on containers that do not (KServe's configured defaults), per resource. */
export interface ContainerDefaults {
  cpu: number;
  memoryGiB: number;
  /** Said when the defaults are used: `KServe's default requests (1 CPU, 2Gi)`. */
  label: string;
}

function containerAmounts(c: Record<string, unknown>, path: Path, issues: PodIssue[], fromLimits: Set<string>, defaults?: ContainerDefaults, defaulted?: Set<string>): { amounts: Amounts; sized: boolean; accel: boolean } {
  const res = isObject(c.resources) ? c.resources : {};
  const requests = isObject(res.requests) ? res.requests : {};
  const limits = isObject(res.limits) ? res.limits : {};
  const amount = (key: string): number | undefined => {
    // A controller's defaults (KServe) fill missing requests before the API server copies limits.
    const fallback = key === 'cpu' ? defaults?.cpu : key === 'memory' && defaults ? defaults.memoryGiB * 2 ** 30 : undefined;
    if ((requests[key] === undefined || requests[key] === null) && fallback !== undefined) {
      defaulted?.add(key);
      return fallback;
    }
    const where = requests[key] !== undefined && requests[key] !== null ? 'requests' : limits[key] !== undefined && limits[key] !== null ? 'limits' : undefined;
    if (!where) return undefined;
    const raw = (where === 'requests' ? requests : limits)[key];
    const n = parseQuantity(raw);
    if (n === undefined) {
      issues.push({ path: [...path, 'resources', where, key], message: `${key} ${where} "${String(raw)}" is not a Kubernetes quantity; ignored` });
      return undefined;
    }
    if (where === 'limits') fromLimits.add(key);
    return n;
  };
  const cpu = amount('cpu');
  const mem = amount('memory');
  const gpu = GPU_KEYS.reduce((a, k) => a + (amount(k) ?? 0), 0);
  const neuron = NEURON_DEVICE_KEYS.reduce((a, k) => a + (amount(k) ?? 0), 0);
  const neuronCores = amount(NEURON_CORE_KEY) ?? 0;
  return {
    amounts: { cpu: cpu ?? 0, memoryGiB: (mem ?? 0) / 2 ** 30, gpu, neuron, neuronCores },
    sized: cpu !== undefined || mem !== undefined,
    accel: gpu + neuron + neuronCores > 0,
  };
}

function add(a: Amounts, b: Amounts): Amounts {
  return { cpu: a.cpu + b.cpu, memoryGiB: a.memoryGiB + b.memoryGiB, gpu: a.gpu + b.gpu, neuron: a.neuron + b.neuron, neuronCores: a.neuronCores + b.neuronCores };
}

function max(a: Amounts, b: Amounts): Amounts {
  return {
    cpu: Math.max(a.cpu, b.cpu),
    memoryGiB: Math.max(a.memoryGiB, b.memoryGiB),
    gpu: Math.max(a.gpu, b.gpu),
    neuron: Math.max(a.neuron, b.neuron),
    neuronCores: Math.max(a.neuronCores, b.neuronCores),
  };
}

/**
 * The shape of a pod from its spec (`spec` is a PodSpec; `path` locates it in the document for
 * issue lines). `containers` overrides where the containers are (KServe's `predictor.model`).
 */
export function podShape(spec: unknown, labels: Record<string, string>, path: Path, opts: { containers?: { value: unknown; path: Path }[]; defaults?: ContainerDefaults } = {}): PodShape {
  const s = isObject(spec) ? spec : {};
  const issues: PodIssue[] = [];
  const assumptions: string[] = [];
  const fromLimits = new Set<string>();
  const containers = opts.containers ?? list(s.containers).map((value, i) => ({ value, path: [...path, 'containers', i] }));
  let sum = ZERO;
  let anySized = false;
  let anyAccel = false;
  const bare: string[] = [];
  const defaulted = new Set<string>();
  for (const { value, path: cpath } of containers) {
    if (!isObject(value)) continue;
    const a = containerAmounts(value, cpath, issues, fromLimits, opts.defaults, defaulted);
    if (!a.sized && !a.accel) {
      bare.push(typeof value.name === 'string' ? value.name : `#${cpath[cpath.length - 1]}`);
      issues.push({ path: cpath, message: `container ${typeof value.name === 'string' ? value.name : ''} sets no CPU or memory requests or limits`.replace('  ', ' ') });
    }
    anySized ||= a.sized;
    anyAccel ||= a.accel;
    sum = add(sum, a.amounts);
  }
  // Sidecars (init containers that keep running) add up with the app containers; the others run
  // one after the other before them, so the pod needs the largest of them or the sum, whichever is more.
  let initMax = ZERO;
  list(s.initContainers).forEach((value, i) => {
    if (!isObject(value)) return;
    const a = containerAmounts(value, [...path, 'initContainers', i], issues, fromLimits);
    if (value.restartPolicy === 'Always') sum = add(sum, a.amounts);
    else initMax = max(initMax, a.amounts);
  });
  const total = max(sum, initMax);
  if (defaulted.size && opts.defaults) assumptions.push(`${opts.defaults.label} assumed for ${[...defaulted].sort().join(' and ')} requests the containers do not set`);
  const limitKeys = [...fromLimits].filter((k) => k === 'cpu' || k === 'memory');
  if (limitKeys.length) assumptions.push(`${limitKeys.join(' and ')} requests taken from limits`);
  const noRequests = !anySized && !anyAccel;
  if (bare.length && !noRequests) assumptions.push(`container${bare.length > 1 ? 's' : ''} ${bare.join(', ')} set${bare.length > 1 ? '' : 's'} no CPU or memory requests or limits: counted as 0`);
  return {
    cpu: tidy(total.cpu),
    memoryGiB: tidy(total.memoryGiB),
    gpu: total.gpu,
    neuron: total.neuron,
    neuronCores: total.neuronCores,
    noRequests,
    labels,
    nodeSelector: strMap(s.nodeSelector),
    affinity: requiredAffinity(s.affinity),
    tolerations: list(s.tolerations)
      .filter(isObject)
      .map((t) => ({ key: str(t.key), operator: str(t.operator) || 'Equal', value: str(t.value), effect: str(t.effect) })),
    assumptions,
    issues,
  };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

function requiredAffinity(aff: unknown): PodShape['affinity'] {
  if (!isObject(aff) || !isObject(aff.nodeAffinity)) return [];
  const req = aff.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
  if (!isObject(req)) return [];
  return list(req.nodeSelectorTerms)
    .filter(isObject)
    .map((term) =>
      list(term.matchExpressions)
        .filter(isObject)
        .map((e) => ({ key: str(e.key), operator: str(e.operator), values: list(e.values).map(str) })),
    );
}

/** The shape as a resource attribute (plain data for the pricer). */
export function shapeValue(p: PodShape): Record<string, Value> {
  return {
    cpu: p.cpu,
    memory_gib: p.memoryGiB,
    gpu: p.gpu,
    neuron: p.neuron,
    neuron_cores: p.neuronCores,
    no_requests: p.noRequests,
    labels: p.labels,
    node_selector: p.nodeSelector,
    affinity: p.affinity.map((t) => t.map((e) => ({ key: e.key, operator: e.operator, values: e.values }))),
    tolerations: p.tolerations.map((t) => ({ ...t })),
    assumptions: [...p.assumptions],
  };
}
