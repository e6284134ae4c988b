/**
 * What the pipeline pricers share: runs per month (each trigger as the analyzer counted it, or
 * `usage:`), minutes per run (usage, else a labelled default under the ceiling the pipeline sets),
 * and the `details` every pipeline resource carries (the JSON contract: runsPerMonth, minutesPerRun,
 * minutesCeiling, matrixSize, assumed, ...). Quantities only: prices are looked up in cost.ts.
 *
 * Usage keys (`.mlcost.yml` `usage:`, by address, pattern or type):
 *   runs_per_month   a number (all runs of the pipeline in a month) or one per trigger
 *                    (`{ push: 120, pull_request: 300, schedule: 30 }`)
 *   minutes_per_run  expected minutes of one run of the job / step / pod
 *   matrix_size      GitHub Actions: jobs of the matrix per run
 *   fan_out          Argo / Kubeflow: pods of a template per run (withParam, ParallelFor from outputs)
 */
import type { Value } from '../core/types.js';
import { ASSUMED_MINUTES_PER_RUN, podGroupLines, workloadDetails } from './kubernetes.js';
import type { Hours } from './kubernetes.js';
import type { ComponentSpec, PricerContext, ResourceView } from './types.js';

export interface TriggerRuns {
  event: string;
  schedule: string | null;
  runsPerMonth: number | null;
  assumed: boolean;
  note: string | null;
  error: string | null;
}

export interface RunFacts {
  /** Runs of the pipeline in a month that run this resource; null when unknown (`runsUnknown` says why). */
  runs: number | null;
  runsUnknown?: string;
  runsAssumed: boolean;
  triggers: TriggerRuns[];
  /** Expected minutes of one run. */
  minutes: number;
  minutesAssumed: boolean;
  /** The most one run can last (timeout, MaxRuntimeInSeconds, activeDeadlineSeconds), when known. */
  ceilingMinutes: number | null;
  ceilingSource: string | null;
  /** Copies per run (matrix combinations, fan-out); null when unknown (`fanOutUnknown`). */
  fanOut: number | null;
  fanOutUnknown?: string;
  fanOutAssumed: boolean;
  /** Texts for the lines' `assumption`. */
  notes: string[];
  /** Which figures are assumed: `runsPerMonth`, `minutesPerRun`, `matrixSize`. */
  assumed: string[];
}

function isObj(v: unknown): v is Record<string, Value> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function round(n: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Quantities keep 9 decimals: float noise goes. */
export function qty(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}

export function triggersOf(r: ResourceView): TriggerRuns[] {
  const v = r.get('triggers');
  return (Array.isArray(v) ? v : []).filter(isObj).map((t) => ({
    event: String(t.event ?? 'default'),
    schedule: typeof t.schedule === 'string' ? t.schedule : null,
    runsPerMonth: typeof t.runs_per_month === 'number' ? t.runs_per_month : null,
    assumed: t.assumed === true,
    note: typeof t.note === 'string' ? t.note : null,
    error: typeof t.error === 'string' ? t.error : null,
  }));
}

function triggerLabel(t: TriggerRuns): string {
  return t.schedule !== null ? `${t.event} "${t.schedule}"` : t.event;
}

export interface RunOptions {
  /** Minutes assumed per run when usage gives none (capped by the ceiling). */
  defaultMinutes: number;
  ceilingMinutes: number | null;
  ceilingSource: string | null;
  /** Fan-out as the analyzer read it, and why it is unknown. */
  fanOut: number | null;
  fanOutError: string | null;
  fanOutKey: 'matrix_size' | 'fan_out';
  /** Whole minutes per run (GitHub bills each job rounded up to the minute). */
  wholeMinutes?: boolean;
}

/** Runs, minutes and fan-out of a pipeline resource: usage first, then the source, then labelled defaults. */
export function runFacts(r: ResourceView, ctx: PricerContext, opts: RunOptions): RunFacts {
  const where = `usage: for ${r.address} (or ${r.resource.type}) in .mlcost.yml`;
  const toSet: string[] = [];
  const notes: string[] = [];
  const assumed: string[] = [];
  const triggers = triggersOf(r);
  const effective: TriggerRuns[] = [];
  let runs: number | null;
  let runsUnknown: string | undefined;
  let runsAssumed = false;
  const total = ctx.usage.num('runs_per_month');
  if (total !== undefined) {
    runs = total;
    notes.push(`${round(total)} runs per month (usage runs_per_month)`);
  } else {
    runs = 0;
    const parts: string[] = [];
    const byEvent = new Map<string, TriggerRuns[]>();
    for (const t of triggers) byEvent.set(t.event, [...(byEvent.get(t.event) ?? []), t]);
    for (const [event, list] of byEvent) {
      const given = ctx.usage.num(`runs_per_month.${event}`);
      if (given !== undefined) {
        runs = runs === null ? null : runs + given;
        parts.push(`${event} ${round(given)} (usage)`);
        effective.push({ event, schedule: null, runsPerMonth: given, assumed: false, note: 'usage runs_per_month', error: null });
        continue;
      }
      effective.push(...list);
      for (const t of list) {
        if (t.runsPerMonth === null) {
          runs = null;
          runsUnknown ??= `${t.error ?? `${triggerLabel(t)}: runs unknown`}; set runs_per_month under ${where}`;
          continue;
        }
        if (runs !== null) runs += t.runsPerMonth;
        if (t.assumed) runsAssumed = true;
        parts.push(`${triggerLabel(t)} ${round(t.runsPerMonth, 2)}${t.assumed ? ' (assumed)' : ''}${t.note ? ` [${t.note}]` : ''}`);
      }
    }
    if (triggers.length === 0) parts.push('no trigger runs this');
    if (runs !== null) runs = qty(runs);
    notes.push(`runs/month: ${parts.join(' + ')}`);
    if (runsAssumed) toSet.push('runs_per_month (or runs_per_month.<event>)');
  }
  if (runsAssumed) assumed.push('runsPerMonth');

  const givenMinutes = ctx.usage.num('minutes_per_run');
  let minutes: number;
  const ceiling = opts.ceilingMinutes;
  const ceilingText = ceiling !== null ? `; ceiling ${round(ceiling)} minutes (${opts.ceilingSource ?? 'timeout'})` : '';
  if (givenMinutes !== undefined) {
    minutes = givenMinutes;
    notes.push(`${round(givenMinutes)} minutes per run (usage minutes_per_run)${ceilingText}`);
  } else {
    minutes = ceiling !== null ? Math.min(opts.defaultMinutes, ceiling) : opts.defaultMinutes;
    assumed.push('minutesPerRun');
    notes.push(`${round(minutes)} minutes per run assumed${ceilingText}`);
    toSet.push('minutes_per_run');
  }
  // GitHub bills each job in whole minutes (rounded up); qty() first drops float noise.
  if (opts.wholeMinutes) minutes = Math.ceil(qty(minutes));

  let fanOut = opts.fanOut;
  let fanOutUnknown: string | undefined;
  let fanOutAssumed = false;
  const givenFan = ctx.usage.num(opts.fanOutKey);
  if (givenFan !== undefined) {
    if (fanOut === null || givenFan !== fanOut) notes.push(`${givenFan} ${opts.fanOutKey === 'matrix_size' ? 'matrix jobs' : 'pods'} per run (usage ${opts.fanOutKey})`);
    fanOut = givenFan;
    fanOutAssumed = opts.fanOut === null;
  } else if (fanOut === null) {
    fanOutUnknown = `${opts.fanOutError ?? 'fan-out unknown'}; set ${opts.fanOutKey} under ${where}`;
  }
  if (toSet.length) notes.push(`set ${toSet.join(' and ')} under ${where}`);
  return {
    runs,
    ...(runsUnknown ? { runsUnknown } : {}),
    runsAssumed,
    triggers: total !== undefined ? [{ event: 'usage', schedule: null, runsPerMonth: total, assumed: false, note: 'usage runs_per_month', error: null }] : effective,
    minutes,
    minutesAssumed: givenMinutes === undefined,
    ceilingMinutes: ceiling,
    ceilingSource: opts.ceilingSource,
    fanOut,
    ...(fanOutUnknown ? { fanOutUnknown } : {}),
    fanOutAssumed,
    notes,
    assumed,
  };
}

/** Why a pipeline line's quantity is unknown, if it is. */
export function unknownWhy(f: RunFacts): string | undefined {
  return f.runsUnknown ?? f.fanOutUnknown;
}

/** The `details` of a pipeline resource (see ARCHITECTURE.md, the JSON contract). */
export function runDetails(f: RunFacts, extra: Record<string, unknown>, fanOutName: 'matrixSize' | 'fanOut' = 'matrixSize'): Record<string, unknown> {
  return {
    ...extra,
    [fanOutName]: f.fanOut,
    minutesPerRun: round(f.minutes, 6),
    minutesCeiling: f.ceilingMinutes,
    runsPerMonth: f.runs === null ? null : round(f.runs, 6),
    assumed: f.assumed,
    triggers: f.triggers.map((t) => ({ event: t.event, ...(t.schedule !== null ? { schedule: t.schedule } : {}), runsPerMonth: t.runsPerMonth === null ? null : round(t.runsPerMonth, 6), assumed: t.assumed })),
  };
}

/**
 * Lines of a pipeline pod (an Argo template, a Kubeflow task): its pod group placed on the node
 * pools and priced as a Kubernetes Job's pods (src/pricing/kubernetes.ts) for runs x fan-out x
 * minutes, with the ceiling at the pipeline's deadline when it sets one.
 */
export function podPipelineLines(r: ResourceView, ctx: PricerContext): ComponentSpec[] {
  const f = podFacts(r, ctx);
  const why = unknownWhy(f);
  const hours: Hours = why || f.runs === null || f.fanOut === null ? { perPod: 0, notes: f.notes, unknown: why ?? 'runs unknown' } : { perPod: (f.runs * f.fanOut * f.minutes) / 60, notes: f.notes };
  return podGroupLines(r, ctx, hours).map((c) =>
    c.monthlyQuantity !== null && f.ceilingMinutes !== null && f.minutes > 0 && f.ceilingMinutes > f.minutes ? { ...c, ceilingQuantity: qty((c.monthlyQuantity * f.ceilingMinutes) / f.minutes) } : c,
  );
}

export function podFacts(r: ResourceView, ctx: PricerContext): RunFacts {
  return runFacts(r, ctx, {
    defaultMinutes: ASSUMED_MINUTES_PER_RUN,
    ceilingMinutes: r.num('minutes_ceiling') ?? null,
    ceilingSource: r.str('ceiling_source') ?? null,
    fanOut: r.num('fan_out') ?? null,
    fanOutError: r.str('fan_out_error') ?? null,
    fanOutKey: 'fan_out',
  });
}

/** `details` of a pipeline pod: where it runs (as a workload) and the run figures. */
export function podPipelineDetails(r: ResourceView, ctx: PricerContext, extra: Record<string, unknown>): Record<string, unknown> {
  const { replicas: _replicas, ...placement } = workloadDetails(r, ctx);
  return runDetails(podFacts(r, ctx), { ...extra, ...placement }, 'fanOut');
}
