/**
 * ECS service on Fargate: desired_count tasks x the task definition's vCPU and memory, per hour
 * (x86 or ARM, Fargate or Fargate Spot), plus ephemeral storage above 20 GB; the ceiling is at the
 * max_capacity of its autoscaling target. Tasks on the EC2 launch type are billed by their
 * instances. https://aws.amazon.com/fargate/pricing/
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { fargateCompute } from '../common.js';
import type { FargateArch } from '../common.js';
import { keys } from '../keys.js';
import type { ComponentSpec, Pricer, PricerContext, ResourceView } from '../types.js';

/** Ephemeral storage every Fargate task gets at no charge (GB). */
const FREE_EPHEMERAL_GB = 20;
const CPU_UNITS_PER_VCPU = 1024;
const MIB_PER_GB = 1024;

interface Share {
  provider: string;
  tasks: number;
}

/** Tasks per capacity provider: each provider's base first, the rest by weight. */
function strategyShares(r: ResourceView, tasks: number): Share[] {
  const items = r.list('capacity_provider_strategy').map((s) => ({ provider: s.str('capacity_provider') ?? 'unknown', base: s.num('base', 0), weight: s.num('weight', 0) }));
  let rest = tasks;
  const shares = items.map((i) => {
    const fromBase = Math.min(rest, i.base);
    rest -= fromBase;
    return { provider: i.provider, tasks: fromBase, weight: i.weight };
  });
  const totalWeight = shares.reduce((a, s) => a + s.weight, 0);
  if (totalWeight > 0) for (const s of shares) s.tasks += (rest * s.weight) / totalWeight;
  return shares.map(({ provider, tasks: t }) => ({ provider, tasks: t }));
}

interface Tasks {
  count: number;
  /** max_capacity of the service's autoscaling target: the most tasks it can scale to. */
  max?: number;
  assumption?: string;
}

/** desired_count, else the min_capacity of an autoscaling target of the service, else 0 (Terraform default). */
function taskCount(r: ResourceView, ctx: PricerContext): Tasks {
  const target = ctx.referencing(r, 'aws_appautoscaling_target').find((t) => t.num('min_capacity') !== undefined || t.num('max_capacity') !== undefined);
  const max = target?.num('max_capacity');
  const scaling = max !== undefined ? { max } : {};
  const desired = r.num('desired_count');
  if (desired !== undefined) return { count: desired, ...scaling };
  const min = target?.num('min_capacity');
  if (target && min !== undefined)
    return { count: min, ...scaling, assumption: `${min} task(s) assumed (desired_count is not set; min_capacity of ${target.address})` };
  return { count: 0, ...scaling };
}

function taskDefinition(r: ResourceView, ctx: PricerContext): { td?: ResourceView; why: string } {
  const td = ctx.referenced(r, 'task_definition').find((x) => x.resource.type === 'aws_ecs_task_definition');
  if (td) return { td, why: '' };
  const v = r.get('task_definition');
  if (typeof v === 'string') return { why: `task definition ${v} is not defined in this project` };
  return { why: r.why('task_definition') };
}

/** Fargate lines of `tasks` tasks of one task definition, with their ceiling at `ceilingTasks`. */
function fargateTasks(r: ResourceView, td: ResourceView, tasks: number, ceilingTasks: number | undefined, spot: boolean, assumption: string | undefined): ComponentSpec[] {
  const lines = taskLines(r, td, tasks, spot, assumption);
  if (ceilingTasks === undefined || ceilingTasks <= tasks) return lines;
  const top = taskLines(r, td, ceilingTasks, spot, assumption);
  return lines.map((c, i) => {
    const q = top[i]?.monthlyQuantity;
    return q === null || q === undefined ? c : { ...c, ceilingQuantity: q };
  });
}

function taskLines(r: ResourceView, td: ResourceView, tasks: number, spot: boolean, assumption: string | undefined): ComponentSpec[] {
  const cpu = td.num('cpu');
  const memory = td.num('memory');
  const arch: FargateArch = td.str('runtime_platform.0.cpu_architecture') === 'ARM64' ? 'arm' : 'x86';
  const os = td.str('runtime_platform.0.operating_system_family');
  const hours = tasks * HOURS_PER_MONTH;
  const line = r.line('desired_count');
  const out = fargateCompute(r, {
    vcpuHours: cpu === undefined ? null : (hours * cpu) / CPU_UNITS_PER_VCPU,
    gbHours: memory === undefined ? null : (hours * memory) / MIB_PER_GB,
    arch,
    spot,
    ...(assumption ? { assumption } : {}),
    line,
  }).map((c) => {
    const missing = c.unit === 'vCPU-hours' ? (cpu === undefined ? 'cpu' : undefined) : memory === undefined ? 'memory' : undefined;
    return missing ? { ...c, price: null, unpricedReason: `${td.address}: ${td.why(missing)} (Fargate bills the task-level size)` } : c;
  });
  if (os && os.startsWith('WINDOWS') && r.region) {
    const windows = (c: ComponentSpec, dim: 'vcpu' | 'memory'): ComponentSpec => ({ ...c, name: c.name.replace(/Linux\/\w+/, 'Windows'), price: spot ? null : keys.fargateWindows(r.region as string, dim), ...(spot ? { unpricedReason: 'Fargate Spot does not run Windows tasks' } : {}) });
    const [vcpu, mem] = out as [ComponentSpec, ComponentSpec];
    out.splice(0, 2, windows(vcpu, 'vcpu'), windows(mem, 'memory'), {
      name: 'Windows OS license (Fargate)',
      unit: 'vCPU-hours',
      monthlyQuantity: vcpu.monthlyQuantity,
      price: keys.fargateWindows(r.region, 'os-license'),
      ...(vcpu.unpricedReason ? { unpricedReason: vcpu.unpricedReason } : {}),
      line,
    });
  }
  const storage = td.num('ephemeral_storage.0.size_in_gib');
  if (storage !== undefined && storage > FREE_EPHEMERAL_GB) {
    out.push({
      name: `Ephemeral storage above ${FREE_EPHEMERAL_GB} GB (${spot ? 'Fargate Spot' : 'Fargate'})`,
      unit: 'GB-hours',
      monthlyQuantity: hours * (storage - FREE_EPHEMERAL_GB),
      price: r.region ? keys.fargateStorage(r.region) : null,
      ...(r.region ? {} : { unpricedReason: 'region is unknown' }),
      line: td.resource.file === r.resource.file ? td.line('ephemeral_storage.0.size_in_gib') : line,
    });
  }
  return out;
}

export const awsEcsService = {
  type: 'aws_ecs_service',
  components(r, ctx) {
    const tasks = taskCount(r, ctx);
    const launch = r.str('launch_type');
    const strategy = r.list('capacity_provider_strategy');
    const onInstances = (reason: string): ComponentSpec => ({ name: 'Tasks on EC2 instances', unit: 'tasks', monthlyQuantity: tasks.count, price: null, unpricedReason: reason, line: r.line('launch_type') });
    if (launch === 'EC2') return [onInstances("EC2 launch type: the tasks run on the cluster's EC2 instances, billed as those resources, not here")];
    if (launch === 'EXTERNAL')
      return [{ ...onInstances('EXTERNAL launch type: the tasks run on your own ECS Anywhere instances, billed per registered instance, not per service'), name: 'Tasks on external instances' }];
    let shares: Share[];
    let top: Share[] | undefined;
    let assumption = tasks.assumption;
    if (launch === 'FARGATE') {
      shares = [{ provider: 'FARGATE', tasks: tasks.count }];
      if (tasks.max !== undefined) top = [{ provider: 'FARGATE', tasks: tasks.max }];
    } else if (strategy.length > 0) {
      shares = strategyShares(r, tasks.count);
      if (tasks.max !== undefined) top = strategyShares(r, tasks.max);
      if (shares.length > 1) assumption = [assumption, 'tasks split across capacity providers by base, then weight'].filter(Boolean).join('; ');
    } else if (r.get('launch_type') !== undefined && r.get('launch_type') !== null)
      return [{ ...onInstances(r.why('launch_type')), name: 'Tasks' }];
    else
      return [onInstances(`launch_type is not set: the cluster's default capacity provider strategy decides (EC2 when it has none); add launch_type = "FARGATE" or a capacity_provider_strategy to price Fargate tasks`)];
    const { td, why } = taskDefinition(r, ctx);
    const out: ComponentSpec[] = [];
    for (const [i, s] of shares.entries()) {
      if (s.provider !== 'FARGATE' && s.provider !== 'FARGATE_SPOT') {
        out.push({ ...onInstances(`capacity provider ${s.provider} runs tasks on EC2 instances, billed as those resources, not here`), monthlyQuantity: s.tasks, name: `Tasks on capacity provider ${s.provider}` });
        continue;
      }
      const spot = s.provider === 'FARGATE_SPOT';
      if (!td) {
        out.push({ name: `Tasks (${spot ? 'Fargate Spot' : 'Fargate'})`, unit: 'tasks', monthlyQuantity: s.tasks, price: null, unpricedReason: why, line: r.line('task_definition') });
        continue;
      }
      out.push(...fargateTasks(r, td, s.tasks, top?.[i]?.tasks, spot, assumption));
    }
    return out;
  },
  details(r, ctx) {
    const { td } = taskDefinition(r, ctx);
    const tasks = taskCount(r, ctx);
    return {
      tasks: tasks.count,
      ...(tasks.max !== undefined ? { maxTasks: tasks.max } : {}),
      ...(td?.num('cpu') !== undefined ? { vcpuPerTask: (td.num('cpu') as number) / CPU_UNITS_PER_VCPU } : {}),
      ...(td?.num('memory') !== undefined ? { memoryGbPerTask: (td.num('memory') as number) / MIB_PER_GB } : {}),
      ...(td ? { taskDefinition: td.address } : {}),
    };
  },
} satisfies Pricer;
