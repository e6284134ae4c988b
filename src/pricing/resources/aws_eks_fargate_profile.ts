/**
 * EKS Fargate profile: the pods it schedules bill Fargate vCPU-hours and GB-hours for the size
 * Fargate provisions per pod; all from usage (a profile only selects pods).
 * https://aws.amazon.com/fargate/pricing/
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { fargateCompute } from '../common.js';
import type { Pricer, PricerContext } from '../types.js';

/**
 * Usage keys. vCPU and GB per pod are the size Fargate bills (the pod's CapacityProvisioned
 * annotation: its requests plus 256 MB, rounded up to a Fargate size), not the raw requests.
 */
const PODS = 'pods';
const VCPU = 'vcpu_per_pod';
const MEMORY = 'memory_gb_per_pod';
const HOURS = 'monthly_hours_per_pod';

function usage(ctx: PricerContext) {
  const pods = ctx.usage.num(PODS);
  const vcpu = ctx.usage.num(VCPU);
  const memory = ctx.usage.num(MEMORY);
  const hours = ctx.usage.num(HOURS);
  return { pods, vcpu, memory, hours: hours ?? HOURS_PER_MONTH, hoursAssumed: hours === undefined };
}

export const awsEksFargateProfile = {
  type: 'aws_eks_fargate_profile',
  components(r, ctx) {
    const u = usage(ctx);
    const qty = (perPod: number | undefined) => (u.pods === undefined || perPod === undefined ? null : u.pods * perPod * u.hours);
    return fargateCompute(r, {
      vcpuHours: qty(u.vcpu),
      gbHours: qty(u.memory),
      // EKS on Fargate runs Linux x86 pods only.
      arch: 'x86',
      usage: { vcpu: VCPU, memory: MEMORY },
      ...(u.pods !== undefined && u.hoursAssumed
        ? { assumption: `pods assumed running all month (${HOURS_PER_MONTH} h; set usage ${HOURS} to change)` }
        : {}),
    }).map((c) => (u.pods === undefined ? { ...c, usageKey: PODS } : c));
  },
  details(r, ctx) {
    const u = usage(ctx);
    return {
      selectors: r.list('selector').map((s) => s.str('namespace')).filter((n): n is string => n !== undefined),
      ...(u.pods !== undefined ? { pods: u.pods } : {}),
    };
  },
} satisfies Pricer;
