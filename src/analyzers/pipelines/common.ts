/**
 * What the pipeline analyzers (GitHub Actions, Argo, Kubeflow, SageMaker Pipelines) share: address
 * names, the region, and schedules in the dialects pipelines write them in, all counted by the one
 * cron counter (src/analyzers/kubernetes/cron.ts).
 */
import type { AnalysisError, Value } from '../../core/types.js';
import type { KubernetesConfig, PipelinesConfig } from '../../policy/schema.js';
import { fargateValue } from '../kubernetes/manifests.js';
import { configPools, defaultPools, poolValue } from '../kubernetes/pools.js';
import { countSchedules, runsPerMonth } from '../kubernetes/cron.js';
import type { CronCount } from '../kubernetes/cron.js';
import { tidy } from '../kubernetes/quantity.js';

/** Region of EC2 runners, SageMaker steps and clusters when `.mlcost.yml` names none. */
export const DEFAULT_PIPELINE_REGION = 'us-east-1';
const HOURS_PER_MONTH = 730;

/** A name usable as an address segment (`[A-Za-z_][A-Za-z0-9_-]*`): other characters become `_`. */
export function addressName(text: string): string {
  const s = text.replace(/[^A-Za-z0-9_-]/g, '_');
  return /^[A-Za-z_]/.test(s) ? s : `_${s}`;
}

/** The file name without its directory and extension (`.github/workflows/ci.yml` -> `ci`). */
export function fileStem(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** `pipelines.region`, else `fallback` (the Kubernetes region), else us-east-1 with a warning once per project. */
export function pipelineRegion(config: PipelinesConfig | undefined, fallback: string | undefined, warn: () => void): string {
  if (config?.region) return config.region;
  if (fallback) return fallback;
  warn();
  return DEFAULT_PIPELINE_REGION;
}

/** One way a pipeline is started, with its runs in a month as the source says (usage may replace them). */
export interface Trigger {
  /** `schedule`, `push`, `pull_request`, ..., `cron` (Argo, EventBridge), `default`. */
  event: string;
  /** Cron or rate expression, as written. */
  schedule: string | null;
  /** null: unknown (an invalid schedule: `error` says why). */
  runs_per_month: number | null;
  /** True when the count is mlcost's default rather than read from the source. */
  assumed: boolean;
  line: number | null;
  note: string | null;
  error: string | null;
}

export function triggerValue(t: Trigger): Record<string, Value> {
  return { ...t };
}

export function scheduleTrigger(event: string, schedule: string, count: CronCount, line: number | null, note: string | null = null): Trigger {
  return count.ok
    ? { event, schedule, runs_per_month: tidy(count.runsPerMonth), assumed: false, line, note, error: null }
    : { event, schedule, runs_per_month: null, assumed: false, line, note, error: count.reason };
}

/** Seconds values of a 6-field cron's first field (`0`, `*\/30`, `0,30`, `0-9`). */
function secondsCount(field: string): number | null {
  let n = 0;
  for (const part of field.split(',')) {
    const m = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) return null;
    const [lo, hi] = m[1] === '*' ? [0, 59] : (m[1] as string).includes('-') ? (m[1] as string).split('-').map(Number) as [number, number] : [Number(m[1]), m[2] ? 59 : Number(m[1])];
    const step = m[2] ? Number(m[2]) : 1;
    if (lo > 59 || hi > 59 || hi < lo || step < 1) return null;
    n += Math.floor((hi - lo) / step) + 1;
  }
  return n;
}

/**
 * A Kubeflow recurring-run cron (robfig/cron with seconds: 6 fields, or 5) or macro -> runs per month.
 */
export function kubeflowCron(expr: string): CronCount {
  const parts = expr.trim().split(/\s+/);
  if (parts.length === 6) {
    const secs = secondsCount(parts[0] as string);
    if (secs === null) return { ok: false, reason: `schedule "${expr}": "${parts[0]}" is not a valid seconds field` };
    const c = runsPerMonth(parts.slice(1).join(' '));
    return c.ok ? { ok: true, runsPerMonth: c.runsPerMonth * secs } : { ok: false, reason: `schedule "${expr}": ${c.reason.replace(/^schedule "[^"]*": /, '')}` };
  }
  return runsPerMonth(expr);
}

const EB_DAYS: Record<string, number> = { SUN: 1, MON: 2, TUE: 3, WED: 4, THU: 5, FRI: 6, SAT: 7 };

/** EventBridge's day-of-week (1-7, Sunday = 1) -> the 0-6 the counter reads. */
function eventBridgeDow(field: string): string {
  if (field === '?' || field === '*') return '*';
  if (/[LW#]/.test(field)) throw new Error(`day-of-week "${field}": L, W and # are not counted by mlcost`);
  return field
    .split(',')
    .map((part) => {
      const [range, step] = part.split('/');
      const shifted = (range as string)
        .split('-')
        .map((x) => {
          if (x === '*') return x;
          const n = EB_DAYS[x.toUpperCase()] ?? Number(x);
          if (!Number.isInteger(n) || n < 1 || n > 7) throw new Error(`day-of-week "${x}" is not 1-7 or SUN-SAT`);
          return String(n - 1);
        })
        .join('-');
      return step !== undefined ? `${shifted}/${step}` : shifted;
    })
    .join(',');
}

const RATE_UNITS: Record<string, number> = { minute: 1 / 60, minutes: 1 / 60, hour: 1, hours: 1, day: 24, days: 24 };

/**
 * An EventBridge schedule expression (`rate(1 day)`, `cron(0 12 ? * MON-FRI *)`, `at(...)`) -> runs
 * per month. EventBridge crons have 6 fields (minute hour day-of-month month day-of-week year), `?`
 * for "any", and Sunday = 1; the year is ignored (every year counted).
 */
export function eventBridgeRuns(expr: string): CronCount & { note?: string } {
  const text = expr.trim();
  const rate = /^rate\(\s*(\d+)\s+([a-z]+)\s*\)$/i.exec(text);
  if (rate) {
    const per = RATE_UNITS[(rate[2] as string).toLowerCase()];
    const n = Number(rate[1]);
    if (per === undefined || n <= 0) return { ok: false, reason: `schedule "${expr}": rate unit must be minute(s), hour(s) or day(s) and the value positive` };
    return { ok: true, runsPerMonth: HOURS_PER_MONTH / (n * per) };
  }
  if (/^at\(/i.test(text)) return { ok: true, runsPerMonth: 0, note: 'a one-time schedule (at): no recurring runs' };
  const cron = /^cron\((.*)\)$/i.exec(text);
  if (!cron) return { ok: false, reason: `schedule "${expr}": expected rate(...), cron(...) or at(...)` };
  const parts = (cron[1] as string).trim().split(/\s+/);
  if (parts.length !== 6) return { ok: false, reason: `schedule "${expr}": an EventBridge cron has 6 fields (minute hour day-of-month month day-of-week year), got ${parts.length}` };
  try {
    const [minute, hour, dom, month, dow, year] = parts as [string, string, string, string, string, string];
    if (/[LW#]/.test(dom)) throw new Error(`day-of-month "${dom}": L and W are not counted by mlcost`);
    const five = [minute, hour, dom === '?' ? '*' : dom, month, eventBridgeDow(dow)].join(' ');
    const c = countSchedules([five]);
    if (!c.ok) return { ok: false, reason: `schedule "${expr}": ${c.reason.replace(/^schedule "[^"]*": /, '')}` };
    return { ...c, ...(year !== '*' ? { note: `year field "${year}" ignored: counted as every year` } : {}) };
  } catch (e) {
    return { ok: false, reason: `schedule "${expr}": ${(e as Error).message}` };
  }
}

/** Pushes a warning once. */
export function once(errors: AnalysisError[], e: AnalysisError): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    errors.push(e);
  };
}

/**
 * A schedule written in `.mlcost.yml` `pipelines.schedules`: EventBridge (`rate(...)`, `cron(...)`),
 * a 6-field cron with seconds (Kubeflow recurring runs), or a 5-field cron / macro.
 */
export function configScheduleRuns(expr: string): CronCount & { note?: string } {
  if (/^(rate|cron|at)\(/i.test(expr.trim())) return eventBridgeRuns(expr);
  return kubeflowCron(expr);
}

/**
 * The node pools pipeline pods are placed on: `kubernetes.nodePools` of `.mlcost.yml`, else
 * mlcost's default pools (as for Kubernetes manifests), `kubernetes.defaultPool` first.
 */
export function clusterPools(config: KubernetesConfig | undefined): Value[] {
  const configured = configPools(config);
  const usable = configured.length ? configured : defaultPools();
  const preferred = config?.defaultPool;
  if (preferred) usable.sort((a, b) => (a.name === preferred ? -1 : b.name === preferred ? 1 : 0));
  return usable.map(poolValue);
}

export { fargateValue };
