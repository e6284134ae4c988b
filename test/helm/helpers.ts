/** Charts as project files, and a one-call analysis and pricing for the Helm tests. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AnalysisResult, ProjectBreakdown, ProjectFiles, Resource } from '../../src/core/types.js';
import { breakdown } from '../../src/core/run.js';
import { helm } from '../../src/analyzers/helm/index.js';
import { makeConfig } from '../../src/policy/schema.js';
import type { MlcostConfigInput } from '../../src/policy/schema.js';
import { book } from '../kubernetes/helpers.js';

/** The real charts, copied unchanged with their SOURCE.md (shared with the template engine's tests). */
export const REAL = join(import.meta.dirname, '..', 'fixtures', 'helm-template');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

/** The files of a real chart as repository files under `at` (SOURCE.md left out: it is ours, not the chart's). */
export function realChart(name: string, at = `charts/${name}`): Record<string, string> {
  const dir = join(REAL, name);
  const files: Record<string, string> = {};
  for (const f of walk(dir)) {
    const rel = relative(dir, f).split('\\').join('/');
    if (rel !== 'SOURCE.md') files[`${at}/${rel}`] = readFileSync(f, 'utf8');
  }
  return files;
}

/** Prefixes every path of a chart written inline. */
export function under(dir: string, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [`${dir}/${k}`, v]));
}

export function project(path: string, files: Record<string, string>, unread?: string[]): ProjectFiles {
  return { name: path, path, kind: 'helm', files, ...(unread ? { unread } : {}) };
}

/** Node pools the expectations are computed on (prices of test/kubernetes/helpers.ts: m6i.xlarge $2/h, g5.2xlarge $12/h, gp3 $0.10/GB-month). */
export const POOLS: NonNullable<MlcostConfigInput['kubernetes']> = {
  region: 'us-east-1',
  nodePools: [
    { name: 'cpu', instanceType: 'm6i.xlarge', labels: { disktype: 'ssd' }, nodes: 3 },
    { name: 'gpu', instanceType: 'g5.2xlarge', labels: { workload: 'gpu' }, taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }] },
  ],
};

export function config(helmSection?: MlcostConfigInput['helm'], extra: Partial<MlcostConfigInput> = {}) {
  return makeConfig({ kubernetes: POOLS, ...(helmSection ? { helm: helmSection } : {}), ...extra });
}

export function analyze(p: ProjectFiles, helmSection?: MlcostConfigInput['helm']): AnalysisResult {
  const c = config(helmSection);
  return helm.analyze(p, { kubernetes: { config: c.kubernetes }, ...(c.helm ? { helm: { config: c.helm } } : {}) });
}

export function price(p: ProjectFiles, helmSection?: MlcostConfigInput['helm'], extra: Partial<MlcostConfigInput> = {}): ProjectBreakdown {
  return breakdown([p], book, { config: config(helmSection, extra) }).projects[0] as ProjectBreakdown;
}

/** A workload as the expectations write it: kind/name, replicas (and max), per-pod requests. */
export interface Workload {
  address: string;
  replicas: number;
  maxReplicas?: number | null;
  cpu: number;
  memoryGiB: number;
  gpu: number;
}

export function workloads(r: AnalysisResult): Workload[] {
  return r.resources
    .filter((x: Resource) => Array.isArray(x.attributes.groups))
    .flatMap((x) =>
      (x.attributes.groups as Record<string, unknown>[]).map((g) => ({
        address: x.address,
        replicas: g.replicas as number,
        ...(g.max_replicas !== null ? { maxReplicas: g.max_replicas as number } : {}),
        cpu: g.cpu as number,
        memoryGiB: g.memory_gib as number,
        gpu: g.gpu as number,
      })),
    );
}

export function errorsOf(r: { errors: { severity?: string; file: string; line: number; message: string }[] }, severity: 'error' | 'warning' = 'error') {
  return r.errors.filter((e) => (e.severity ?? 'error') === severity);
}

export function costs(p: ProjectBreakdown): Record<string, number | null> {
  return Object.fromEntries(p.resources.map((r) => [r.address, r.monthlyCost === null ? null : Math.round(r.monthlyCost * 100) / 100]));
}

export function lineOf(text: string, needle: string, from = 0): number {
  const i = text.split('\n').findIndex((l, k) => k >= from && l.includes(needle));
  if (i < 0) throw new Error(`"${needle}" not found`);
  return i + 1;
}
