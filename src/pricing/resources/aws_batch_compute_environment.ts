/**
 * Batch compute environment: Batch is free; its EC2 instances bill instance-hours (min_vcpus keeps
 * a baseline running all month, jobs above it bill per use, max_vcpus is the ceiling) and Fargate
 * jobs bill vCPU-hours and GB-hours. https://aws.amazon.com/batch/pricing/
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { fargateCompute, instanceHours } from '../common.js';
import type { ComponentSpec, Pricer, PricerContext, ResourceView } from '../types.js';

const VCPU_HOURS = 'monthly_vcpu_hours';
const GB_HOURS = 'monthly_gb_hours';

/** Sizes tried, smallest first, when only an instance family is given. */
const SIZES = ['medium', 'large', 'xlarge', '2xlarge', '3xlarge', '4xlarge', '6xlarge', '8xlarge', '9xlarge', '10xlarge', '12xlarge', '16xlarge', '18xlarge', '24xlarge', '32xlarge', '48xlarge'];

/** Families Batch picks from for its instance-type bundles (AWS Batch ComputeResource docs). */
const BUNDLES: Record<string, { family: string; said: string }> = {
  optimal: { family: 'm6i', said: 'optimal picks from the m6i, c6i, r6i and c7i families' },
  default_x86_64: { family: 'm6i', said: 'default_x86_64 picks from the m6i, c6i, r6i and c7i families' },
  default_arm64: { family: 'm6g', said: 'default_arm64 picks from the m6g, c6g, r6g and c7g families' },
};

interface Choice {
  type: string | undefined;
  vcpu: number | undefined;
  why: string;
  assumptions: string[];
}

/** The instance type priced for the environment, from its instance_type list. */
function chooseType(cr: ResourceView, minVcpus: number, ctx: PricerContext): Choice {
  const raw = cr.get('instance_type');
  const types = Array.isArray(raw) ? raw.filter((t): t is string => typeof t === 'string') : [];
  const first = types[0];
  if (first === undefined) return { type: undefined, vcpu: undefined, why: cr.why('instance_type'), assumptions: [] };
  const assumptions: string[] = [];
  if (types.length > 1) assumptions.push(`${first} (listed first) assumed; Batch may launch any of ${types.join(', ')}`);
  if (first.includes('.')) return { type: first, vcpu: ctx.instanceSpec(first)?.vcpu, why: '', assumptions };
  const bundle = BUNDLES[first];
  const family = bundle?.family ?? first;
  const sized = SIZES.map((s) => `${family}.${s}`).map((t) => ({ t, vcpu: ctx.instanceSpec(t)?.vcpu })).filter((x): x is { t: string; vcpu: number } => x.vcpu !== undefined);
  const pick = sized.find((x) => x.vcpu >= minVcpus) ?? sized[sized.length - 1];
  if (!pick) return { type: undefined, vcpu: undefined, why: `no known instance sizes for ${first}`, assumptions };
  assumptions.push(`${bundle ? `${bundle.said}; ` : ''}${pick.t} assumed (the smallest ${family} size covering min_vcpus; Batch picks the sizes)`);
  return { type: pick.t, vcpu: pick.vcpu, why: '', assumptions };
}

export const awsBatchComputeEnvironment = {
  type: 'aws_batch_compute_environment',
  components(r, ctx) {
    const kind = r.str('type') ?? 'MANAGED';
    if (kind.toUpperCase() === 'UNMANAGED')
      return [{ name: 'Compute (unmanaged)', unit: 'hours', monthlyQuantity: null, price: null, unpricedReason: 'unmanaged environment: you run its instances, billed as their own resources', line: r.line('type') }];
    const cr = r.list('compute_resources')[0];
    if (!cr) return [{ name: 'Compute', unit: 'hours', monthlyQuantity: null, price: null, unpricedReason: r.why('compute_resources'), line: r.line() }];
    const crType = cr.str('type');
    const vcpuHours = ctx.usage.num(VCPU_HOURS);
    if (crType === 'FARGATE' || crType === 'FARGATE_SPOT') {
      const gbHours = ctx.usage.num(GB_HOURS);
      return fargateCompute(r, {
        vcpuHours: vcpuHours ?? null,
        gbHours: gbHours ?? null,
        arch: 'x86',
        spot: crType === 'FARGATE_SPOT',
        usage: { vcpu: VCPU_HOURS, memory: GB_HOURS },
        assumption: 'x86 assumed (the job definitions choose the CPU architecture)',
        line: cr.line('type'),
      });
    }
    if (crType !== 'EC2' && crType !== 'SPOT')
      return [{ name: 'Compute', unit: 'hours', monthlyQuantity: null, price: null, unpricedReason: cr.why('type'), line: cr.line() }];
    const purchase = crType === 'SPOT' ? 'spot' : 'on-demand';
    const minVcpus = cr.num('min_vcpus', 0);
    const choice = chooseType(cr, minVcpus, ctx);
    const line = cr.line('min_vcpus');
    const base = { instanceType: choice.type, typeWhy: choice.why, purchase, line } as const;
    const perVcpu = choice.vcpu;
    const out: ComponentSpec[] = [];
    const baselineNote = minVcpus === 0
      ? 'min_vcpus is 0: no instance runs between jobs; jobs bill per use'
      : `${minVcpus} vCPUs always on (min_vcpus)`;
    const baseline = instanceHours(r, {
      ...base,
      label: 'Baseline instances',
      count: minVcpus === 0 || perVcpu === undefined ? 0 : Math.ceil(minVcpus / perVcpu),
      assumption: [baselineNote, ...choice.assumptions].join('; '),
    });
    // Ceiling: max_vcpus of instances running all month, job hours included (same type, same price).
    const maxVcpus = cr.num('max_vcpus');
    const jobHours = vcpuHours === undefined || perVcpu === undefined ? 0 : vcpuHours / perVcpu;
    const ceiling = maxVcpus !== undefined && perVcpu !== undefined ? { ceilingQuantity: Math.ceil(maxVcpus / perVcpu) * HOURS_PER_MONTH - jobHours } : {};
    if (minVcpus > 0 && perVcpu === undefined && choice.type)
      out.push({ ...baseline, monthlyQuantity: null, price: null, unpricedReason: `vCPU count of ${choice.type} is not known` });
    else out.push({ ...baseline, ...ceiling });
    const conversion = perVcpu === undefined ? [] : [`instance-hours = ${VCPU_HOURS} / ${perVcpu} vCPUs per ${choice.type}`];
    const jobs = instanceHours(r, { ...base, label: 'Job instances above the baseline', count: 0, assumption: [...conversion, ...choice.assumptions].join('; ') });
    out.push({
      ...jobs,
      monthlyQuantity: vcpuHours === undefined || perVcpu === undefined ? null : vcpuHours / perVcpu,
      usageBased: true,
      usageKey: VCPU_HOURS,
    });
    return out;
  },
  details(r) {
    const cr = r.list('compute_resources')[0];
    return {
      ...(cr?.str('type') ? { computeType: cr.str('type') } : {}),
      ...(cr?.num('min_vcpus') !== undefined ? { minVcpus: cr.num('min_vcpus') } : {}),
      ...(cr?.num('max_vcpus') !== undefined ? { maxVcpus: cr.num('max_vcpus') } : {}),
      ...(cr?.num('desired_vcpus') !== undefined ? { desiredVcpus: cr.num('desired_vcpus') } : {}),
    };
  },
} satisfies Pricer;
