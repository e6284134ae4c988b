/**
 * GitHub Actions job: runs per month x matrix jobs x minutes per run, on its runner.
 *   GitHub-hosted (standard or larger, or a label mapped with `githubRunner`): `Runner minutes (<id>)`,
 *     whole minutes (GitHub rounds each job up), at keys.githubRunner;
 *   self-hosted mapped to an EC2 type (`pipelines.runners`): instance-hours for the job's duration;
 *   `free: true` (or a standard runner of a public repository): no line, `details.noCharge` says why;
 *   anything else: unpriced, with how to map it.
 * Instances a job launches itself (an action input `instance-type`) are priced for the job's
 * duration: EC2 on-demand, or SageMaker training for `ml.` types. The ceiling is `timeout-minutes`
 * (GitHub's default 360 when unset).
 */
import { keys } from '../keys.js';
import { qty, runDetails, runFacts, unknownWhy } from '../pipelines.js';
import type { RunFacts } from '../pipelines.js';
import type { ComponentSpec, Pricer, PricerContext, ResourceView } from '../types.js';

/** Minutes a job run lasts when neither usage nor anything else says (labelled as assumed). */
export const ASSUMED_JOB_MINUTES = 10;

interface Slot {
  label: string;
  combos: number;
  kind: string;
  sku?: string;
  instanceType?: string;
  capacity: string;
  origin?: string;
  reason?: string;
  noCharge?: string;
}

function slots(r: ResourceView): Slot[] {
  return r.list('runners').map((s) => ({
    label: s.str('label') ?? '?',
    combos: s.num('combos') ?? 0,
    kind: s.str('kind') ?? 'unknown',
    ...(s.str('sku') ? { sku: s.str('sku') as string } : {}),
    ...(s.str('instance_type') ? { instanceType: s.str('instance_type') as string } : {}),
    capacity: s.str('capacity') ?? 'on-demand',
    ...(s.str('origin') ? { origin: s.str('origin') as string } : {}),
    ...(s.str('reason') ? { reason: s.str('reason') as string } : {}),
    ...(s.str('no_charge') ? { noCharge: s.str('no_charge') as string } : {}),
  }));
}

function facts(r: ResourceView, ctx: PricerContext): RunFacts {
  return runFacts(r, ctx, {
    defaultMinutes: ASSUMED_JOB_MINUTES,
    ceilingMinutes: r.num('minutes_ceiling') ?? null,
    ceilingSource: r.str('ceiling_source') ?? null,
    fanOut: r.num('matrix_size') ?? null,
    fanOutError: r.str('matrix_error') ?? null,
    fanOutKey: 'matrix_size',
    wholeMinutes: true,
  });
}

/** Jobs per run on each runner, scaled to usage `matrix_size` when it replaces the matrix. */
function combosOf(s: Slot, all: Slot[], f: RunFacts, analysed: number | null): number | null {
  if (f.fanOut === null) return null;
  if (analysed === null || analysed === 0) return all.length === 1 ? f.fanOut : null;
  return (s.combos * f.fanOut) / analysed;
}

export const githubActionsJob = {
  type: 'github_actions_job',
  components(r, ctx) {
    const f = facts(r, ctx);
    const all = slots(r);
    const analysed = r.num('matrix_size') ?? null;
    const why = unknownWhy(f);
    const ceilMinutes = Math.ceil(f.ceilingMinutes ?? f.minutes);
    const assumption = [...f.notes, ...(r.get('notes') as string[] | undefined ?? [])].join('; ');
    const out: ComponentSpec[] = [];
    const line = r.line('timeout_minutes');
    for (const s of all) {
      const combos = combosOf(s, all, f, analysed);
      const jobRuns = f.runs === null || combos === null ? null : f.runs * combos;
      const origin = s.origin ? ` (${s.origin})` : '';
      if (s.kind === 'free') continue;
      if (s.kind === 'github' && s.sku) {
        out.push({
          name: `Runner minutes (${s.sku})`,
          unit: 'minutes',
          monthlyQuantity: jobRuns === null ? null : qty(jobRuns * f.minutes),
          price: keys.githubRunner(s.sku),
          assumption: `${all.length > 1 ? `${s.label}: ${combos ?? '?'} of the matrix jobs; ` : ''}${assumption}`,
          ...(jobRuns !== null ? { ceilingQuantity: qty(jobRuns * ceilMinutes) } : {}),
          ...(jobRuns === null ? { unpricedReason: why ?? 'runs unknown' } : {}),
          line,
        });
      } else if (s.kind === 'ec2' && s.instanceType) {
        const spot = s.capacity === 'spot';
        out.push({
          name: `Self-hosted runner (${s.instanceType}, ${s.capacity})`,
          unit: 'instance-hours',
          monthlyQuantity: jobRuns === null ? null : qty((jobRuns * f.minutes) / 60),
          price: r.region ? (spot ? keys.ec2Spot(r.region, s.instanceType) : keys.ec2Instance(r.region, s.instanceType)) : null,
          assumption: `runner ${s.label}${origin}; ${assumption}`,
          ...(jobRuns !== null ? { ceilingQuantity: qty((jobRuns * ceilMinutes) / 60) } : {}),
          ...(jobRuns === null ? { unpricedReason: why ?? 'runs unknown' } : !r.region ? { unpricedReason: 'region is unknown' } : {}),
          line,
        });
      } else {
        out.push({ name: `Runner (${s.label})`, unit: 'minutes', monthlyQuantity: jobRuns === null ? null : qty(jobRuns * f.minutes), price: null, unpricedReason: s.reason ?? 'runner unknown', ...(assumption ? { assumption } : {}), line });
      }
    }
    for (const l of r.list('launches')) {
      const type = l.str('instance_type');
      const count = l.num('count') ?? 1;
      const service = l.str('service') === 'sagemaker' ? 'sagemaker' : 'ec2';
      const jobRuns = f.runs === null || f.fanOut === null ? null : f.runs * f.fanOut;
      const hours = jobRuns === null ? null : qty((jobRuns * count * f.minutes) / 60);
      const name = `Launched ${service === 'sagemaker' ? 'SageMaker training' : 'EC2'} instances (${type ?? 'type unknown'} x ${count})`;
      const note = `launched by ${l.str('action') ?? 'an action'}, priced for the job's duration (${service === 'sagemaker' ? 'SageMaker training instance assumed' : 'on-demand'}); ${assumption}`;
      const lline = l.num('line');
      const base = { name, unit: 'instance-hours', monthlyQuantity: hours, assumption: note, ...(lline !== undefined ? { line: lline } : {}), ...(jobRuns !== null ? { ceilingQuantity: qty((jobRuns * count * ceilMinutes) / 60) } : {}) };
      if (!type) out.push({ ...base, price: null, unpricedReason: l.str('reason') ?? 'instance type unknown' });
      else if (!r.region) out.push({ ...base, price: null, unpricedReason: 'region is unknown' });
      else if (hours === null) out.push({ ...base, price: null, unpricedReason: why ?? 'runs unknown' });
      else out.push({ ...base, price: service === 'sagemaker' ? keys.sagemakerInstance(r.region, 'training', type) : keys.ec2Instance(r.region, type) });
    }
    return out;
  },
  details(r, ctx) {
    const f = facts(r, ctx);
    const all = slots(r);
    const one = all.length === 1 ? all[0] : undefined;
    const runner = one ? (one.sku ?? one.label) : all.map((s) => `${s.sku ?? s.label} x ${s.combos}`).join(', ');
    const noCharge = all.filter((s) => s.kind === 'free').map((s) => s.noCharge).filter(Boolean);
    return runDetails(f, {
      workflow: r.str('workflow') ?? null,
      job: r.str('job') ?? null,
      ...(one?.instanceType ? { instanceType: one.instanceType } : { runner }),
      ...(noCharge.length ? { noCharge: [...new Set(noCharge)].join('; ') } : {}),
      ...(r.str('called_from') ? { calledFrom: r.str('called_from') } : {}),
    });
  },
} satisfies Pricer;
