/**
 * The node pools pods are placed on: `kubernetes.nodePools` of `.mlcost.yml`, Karpenter NodePools
 * (karpenter.sh) found among the manifests, or, when there are neither, mlcost's documented default
 * pools. Pools travel to the pricers as plain attribute data; placement happens there, where
 * instance specs are known (src/pricing/kubernetes.ts).
 */
import type { Value } from '../../core/types.js';
import type { KubernetesConfig } from '../../policy/schema.js';
import { isObject, strMap } from './pods.js';

/** Karpenter tries NodePools by weight, higher first, then by name. */
export function byKarpenterOrder(a: PoolData, b: PoolData): number {
  return b.weight - a.weight || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** The general-purpose default pool: m6i.xlarge, or the smallest larger m6i a bigger pod fits. */
export const DEFAULT_POOL_TYPES = ['m6i.xlarge', 'm6i.2xlarge', 'm6i.4xlarge', 'm6i.8xlarge', 'm6i.16xlarge', 'm6i.32xlarge'];
/** Pods requesting nvidia.com/gpu: g5.xlarge (1 A10G), or the smallest larger g5 the pod fits. */
export const DEFAULT_GPU_POOL_TYPES = ['g5.xlarge', 'g5.2xlarge', 'g5.4xlarge', 'g5.8xlarge', 'g5.16xlarge', 'g5.12xlarge', 'g5.24xlarge', 'g5.48xlarge'];
/** Pods requesting Neuron devices or cores: inf2.xlarge (1 Inferentia2), or the smallest larger inf2 the pod fits. */
export const DEFAULT_NEURON_POOL_TYPES = ['inf2.xlarge', 'inf2.8xlarge', 'inf2.24xlarge', 'inf2.48xlarge'];

export interface PoolRequirement {
  key: string;
  operator: string;
  values: string[];
}

/** A pool as the pricer reads it (attribute `node_pools`). */
export interface PoolData {
  name: string;
  source: 'config' | 'karpenter' | 'default';
  /** Instance types to choose from, in order; empty: mlcost's candidate list filtered by requirements. */
  instance_types: string[];
  /** Karpenter requirements (instance family, category, generation, arch, ...). */
  requirements: PoolRequirement[];
  /** Capacity types allowed, preferred first (Karpenter prefers spot when both are allowed). */
  capacity: ('on-demand' | 'spot')[];
  labels: Record<string, string>;
  taints: { key: string; value: string; effect: string }[];
  nodes: number | null;
  /** Default pools that only take pods asking for this accelerator. */
  accelerator: 'gpu' | 'neuron' | null;
  /** Where the pool is defined: `.mlcost.yml` or the NodePool manifest. */
  origin: string;
  /** Karpenter's spec.weight: pools with a higher weight are tried first. */
  weight: number;
}

export function configPools(config: KubernetesConfig | undefined): PoolData[] {
  return (config?.nodePools ?? []).map((p) => ({
    name: p.name,
    source: 'config',
    instance_types: [p.instanceType],
    requirements: [],
    capacity: [p.capacity],
    labels: { ...p.labels },
    taints: p.taints.map((t) => ({ key: t.key, value: t.value ?? '', effect: t.effect })),
    nodes: p.nodes ?? null,
    accelerator: null,
    origin: '.mlcost.yml kubernetes.nodePools',
    weight: 0,
  }));
}

const INSTANCE_TYPE_KEYS = ['node.kubernetes.io/instance-type', 'beta.kubernetes.io/instance-type'];
const CAPACITY_KEY = 'karpenter.sh/capacity-type';

/** A Karpenter NodePool (karpenter.sh/v1 or v1beta1) as a pool. */
export function karpenterPool(manifest: Record<string, unknown>, where: string): PoolData | null {
  const meta = isObject(manifest.metadata) ? manifest.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : null;
  if (!name) return null;
  const spec = isObject(manifest.spec) ? manifest.spec : {};
  const template = isObject(spec.template) ? spec.template : {};
  const tspec = isObject(template.spec) ? template.spec : {};
  const tmeta = isObject(template.metadata) ? template.metadata : {};
  const requirements: PoolRequirement[] = (Array.isArray(tspec.requirements) ? tspec.requirements : [])
    .filter(isObject)
    .map((r) => ({
      key: String(r.key ?? ''),
      operator: String(r.operator ?? ''),
      values: (Array.isArray(r.values) ? r.values : []).map((v) => String(v)),
    }))
    .filter((r) => r.key !== '');
  const typeReq = requirements.find((r) => INSTANCE_TYPE_KEYS.includes(r.key) && r.operator === 'In');
  const capReq = requirements.find((r) => r.key === CAPACITY_KEY);
  // Karpenter launches on-demand nodes unless the pool allows spot; with both allowed it prefers spot.
  let capacity: ('on-demand' | 'spot')[] = ['on-demand'];
  if (capReq?.operator === 'In') capacity = (['spot', 'on-demand'] as const).filter((c) => capReq.values.includes(c));
  else if (capReq?.operator === 'NotIn') capacity = (['spot', 'on-demand'] as const).filter((c) => !capReq.values.includes(c));
  else if (capReq?.operator === 'Exists') capacity = ['spot', 'on-demand'];
  const taints = [...(Array.isArray(tspec.taints) ? tspec.taints : [])].filter(isObject).map((t) => ({
    key: String(t.key ?? ''),
    value: t.value === undefined || t.value === null ? '' : String(t.value),
    effect: String(t.effect ?? ''),
  }));
  return {
    name,
    source: 'karpenter',
    instance_types: typeReq ? typeReq.values : [],
    requirements: requirements.filter((r) => r !== typeReq && r !== capReq),
    capacity,
    labels: strMap(tmeta.labels),
    taints,
    nodes: null,
    accelerator: null,
    origin: where,
    weight: typeof spec.weight === 'number' ? spec.weight : 0,
  };
}

export function defaultPools(): PoolData[] {
  // On-demand, unless a pod selects spot capacity: the default pools stand for whatever nodes the cluster has.
  const base = { source: 'default' as const, requirements: [], capacity: ['on-demand' as const, 'spot' as const], labels: {}, taints: [], nodes: null, origin: 'mlcost default', weight: 0 };
  return [
    { ...base, name: 'default', instance_types: DEFAULT_POOL_TYPES, accelerator: null },
    { ...base, name: 'default-gpu', instance_types: DEFAULT_GPU_POOL_TYPES, accelerator: 'gpu' },
    { ...base, name: 'default-neuron', instance_types: DEFAULT_NEURON_POOL_TYPES, accelerator: 'neuron' },
  ];
}

export function poolValue(p: PoolData): Record<string, Value> {
  return {
    name: p.name,
    source: p.source,
    instance_types: [...p.instance_types],
    requirements: p.requirements.map((r) => ({ key: r.key, operator: r.operator, values: [...r.values] })),
    capacity: [...p.capacity],
    labels: { ...p.labels },
    taints: p.taints.map((t) => ({ ...t })),
    nodes: p.nodes,
    accelerator: p.accelerator,
    origin: p.origin,
  };
}
