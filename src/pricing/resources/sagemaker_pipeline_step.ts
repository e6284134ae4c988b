/**
 * SageMaker Pipelines step (Training, Tuning, Processing, Transform): runs per month x jobs per run
 * (a tuning step's MaxNumberOfTrainingJobs) x instance count x hours per run, at SageMaker's price
 * for the usage (keys.sagemakerInstance: training, processing, batch). Hours per run: usage
 * `minutes_per_run`, else 60 minutes assumed; the ceiling is MaxRuntimeInSeconds. The volume is ML
 * storage for the job's duration. Managed spot training is billed at spot: mlcost has no SageMaker
 * spot prices, so it shows the saving as its own line, estimated with the AWS Spot Advisor's saving
 * for the same EC2 type and said so; without advisor data the saving is unknown and the line stays
 * at on-demand (the most it can cost). Parameters: usage `parameters.<Name>` replaces a default.
 */
import { keys } from '../keys.js';
import { qty, runDetails, runFacts, unknownWhy } from '../pipelines.js';
import type { RunFacts } from '../pipelines.js';
import type { ComponentSpec, Pricer, PricerContext, ResourceView } from '../types.js';

/** Minutes a step runs when usage does not say (labelled as assumed). */
export const ASSUMED_STEP_MINUTES = 60;

const LABEL: Record<string, string> = { training: 'Training', processing: 'Processing', batch: 'Batch transform' };

function facts(r: ResourceView, ctx: PricerContext): RunFacts {
  const max = r.num('max_runtime_seconds');
  const jobs = r.num('jobs_per_run');
  return runFacts(r, ctx, {
    defaultMinutes: ASSUMED_STEP_MINUTES,
    ceilingMinutes: max !== undefined ? max / 60 : null,
    ceilingSource: r.str('max_runtime_source') ?? null,
    fanOut: jobs ?? null,
    fanOutError: r.str('jobs_error') ?? null,
    fanOutKey: 'fan_out',
  });
}

function instanceType(r: ResourceView, ctx: PricerContext): { type?: string; why?: string; note?: string } {
  const param = r.str('instance_type_param');
  const given = param ? ctx.usage.str(`parameters.${param}`) : undefined;
  if (given) return { type: given, note: `instance type from usage parameters.${param}` };
  const t = r.str('instance_type');
  if (t) return { type: t, ...(param ? { note: `instance type: the default of parameter ${param} (set parameters.${param} under usage: to price another)` } : {}) };
  return { why: r.str('instance_type_error') ?? 'InstanceType is not set' };
}

function count(r: ResourceView, ctx: PricerContext): number | null {
  const param = r.str('instance_count_param');
  const given = param ? ctx.usage.num(`parameters.${param}`) : undefined;
  return given ?? r.num('instance_count') ?? null;
}

export const sagemakerPipelineStep = {
  type: 'sagemaker_pipeline_step',
  components(r, ctx) {
    const f = facts(r, ctx);
    const usage = (r.str('usage') ?? 'training') as 'training' | 'processing' | 'batch';
    const it = instanceType(r, ctx);
    const n = count(r, ctx);
    const spot = r.bool('spot') === true && usage === 'training';
    const branch = r.str('branch');
    const notes = [...(branch ? [`in the ${branch}: assumed to run`] : []), ...(it.note ? [it.note] : []), ...f.notes];
    const why = unknownWhy(f) ?? (n === null ? (r.str('instance_count_error') ?? 'InstanceCount unknown') : undefined);
    const perMonth = why || f.runs === null || f.fanOut === null || n === null ? null : f.runs * f.fanOut * n;
    const hours = perMonth === null ? null : qty((perMonth * f.minutes) / 60);
    const ceiling = perMonth !== null && f.ceilingMinutes !== null ? qty((perMonth * f.ceilingMinutes) / 60) : undefined;
    const line = r.line('instance_type');
    const out: ComponentSpec[] = [];
    const name = `${LABEL[usage] ?? usage} (${it.type ?? 'instance type unknown'} x ${n ?? '?'}${spot ? ', managed spot' : ''})`;
    const advice = spot && it.type && r.region ? ctx.spotAdvice?.(r.region, it.type.replace(/^ml\./, '')) : undefined;
    if (spot && !advice) notes.push(`managed spot training is billed at spot rates, but mlcost has no spot data for ${it.type ?? 'this type'}: priced at on-demand (the most it can cost), saving unknown`);
    const assumption = notes.join('; ');
    const base = { name, unit: 'instance-hours', monthlyQuantity: hours, ...(assumption ? { assumption } : {}), line, ...(ceiling !== undefined ? { ceilingQuantity: ceiling } : {}) };
    if (!it.type) out.push({ ...base, price: null, unpricedReason: it.why ?? 'instance type unknown' });
    else if (!r.region) out.push({ ...base, price: null, unpricedReason: 'region is unknown' });
    else if (hours === null) out.push({ ...base, price: null, unpricedReason: why ?? 'runs unknown' });
    else {
      const price = keys.sagemakerInstance(r.region, usage, it.type);
      out.push({ ...base, price });
      if (advice)
        out.push({
          name: `Managed spot saving (estimate, -${advice.savingsPercent}%)`,
          unit: 'instance-hours',
          monthlyQuantity: qty(-hours * (advice.savingsPercent / 100)),
          price,
          assumption: `estimate: the AWS Spot Advisor's ${advice.savingsPercent}% saving for EC2 ${it.type.replace(/^ml\./, '')} in ${r.region} (${advice.sourceDate}) applied to the SageMaker on-demand price; SageMaker reports each job's actual saving`,
          line,
        });
    }
    const gb = r.num('volume_gb');
    if (gb !== undefined && gb > 0 && usage !== 'batch') {
      const gbMonths = hours === null ? null : qty((gb * hours) / 730);
      out.push({
        name: `ML storage (${gb} GB per instance)`,
        unit: 'GB-months',
        monthlyQuantity: gbMonths,
        price: r.region && gbMonths !== null ? keys.sagemakerStorage(r.region, usage) : null,
        ...(gbMonths === null ? { unpricedReason: why ?? 'runs unknown' } : !r.region ? { unpricedReason: 'region is unknown' } : {}),
        ...(assumption ? { assumption } : {}),
        ...(ceiling !== undefined ? { ceilingQuantity: qty((gb * ceiling) / 730) } : {}),
      });
    }
    return out;
  },
  details(r, ctx) {
    const f = facts(r, ctx);
    const it = instanceType(r, ctx);
    return runDetails(
      f,
      {
        step: r.str('step') ?? null,
        stepType: r.str('step_type') ?? null,
        instanceType: it.type ?? null,
        instanceCount: count(r, ctx),
        ...(r.bool('spot') ? { managedSpot: true } : {}),
        ...(r.str('branch') ? { branch: r.str('branch') } : {}),
      },
      'fanOut',
    );
  },
} satisfies Pricer;
