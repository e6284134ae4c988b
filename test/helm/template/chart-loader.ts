/**
 * A minimal chart loader for the tests: templates/**, values.yaml, Chart.yaml and the other
 * files of one chart directory (no subcharts, no values merging beyond the chart's own file).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { RenderInput } from '../../../src/analyzers/helm/template/index.js';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'helm-template');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

/** Reads a chart directory into a render input for release "rel" in namespace "ns". */
export function loadChart(dir: string, extraValues?: string): RenderInput {
  const chartYaml = parseYaml(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as Record<string, unknown>;
  const name = String(chartYaml.name);
  const templates: Record<string, string> = {};
  const files: Record<string, string> = {};
  for (const f of walk(dir)) {
    const rel = relative(dir, f);
    if (rel.startsWith('templates/')) templates[`${name}/${rel}`] = readFileSync(f, 'utf8');
    else if (rel !== 'SOURCE.md' && rel !== 'values.yaml' && rel !== 'Chart.yaml' && !rel.startsWith('charts/')) files[rel] = readFileSync(f, 'utf8');
  }
  let values = (parseYaml(readFileSync(join(dir, 'values.yaml'), 'utf8')) ?? {}) as Record<string, unknown>;
  if (extraValues) values = deepMerge(values, (parseYaml(readFileSync(join(dir, extraValues), 'utf8')) ?? {}) as Record<string, unknown>);
  return {
    templates,
    values,
    chart: chartYaml,
    files,
    release: { Name: 'rel', Namespace: 'ns' },
  };
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    if (v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)) {
      out[k] = deepMerge(b as Record<string, unknown>, v as Record<string, unknown>);
    } else out[k] = v;
  }
  return out;
}
