/**
 * Hand-checked prices. Each folder of test/fixtures/pricing/ holds a main.tf whose comments write
 * out the arithmetic from the published unit prices, the resulting monthly cost per address in
 * hand-checked.json (null = cannot be priced, with a reason), optional usage.yml, and the golden
 * expected.json of the full breakdown so that any change to a line is reviewed. Kubernetes folders
 * hold a manifests.yaml instead (read by the kubernetes analyzer; usage.yml may describe node pools
 * under `kubernetes:`), with the arithmetic in ARITHMETIC.md. Pipeline folders hold the pipeline
 * file where a repository has it (`.github/workflows/ci.yml`, `workflow.yaml` for Argo,
 * `pipeline.yaml` for Kubeflow, `pipelines/pipeline.json` with its Terraform for SageMaker), found
 * as the CLI finds it; `usage.yml` may hold `pipelines:` and `kubernetes:`; arithmetic in ARITHMETIC.md.
 * Helm folders hold a `chart/` directory, rendered with its values.yaml.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { ProjectFiles } from '../../src/core/types.js';
import { discoverProjects } from '../../src/core/projects.js';
import { analyzerFor } from '../../src/analyzers/index.js';
import { analyzeModule } from '../../src/analyzers/terraform/module.js';
import { kubernetes } from '../../src/analyzers/kubernetes/index.js';
import { helm } from '../../src/analyzers/helm/index.js';
import { breakdown } from '../../src/core/run.js';
import { parseConfig } from '../../src/policy/schema.js';
import { loadEmbeddedPriceBook } from '../../src/adapters/snapshot-file.js';
import { expectGolden } from '../helpers/golden.js';

const root = join(import.meta.dirname, '..', 'fixtures', 'pricing');
const book = loadEmbeddedPriceBook();
/** Pipeline folders: the pipeline file(s) in their repository layout, found as the CLI finds them. */
const PIPELINE_FIXTURES = ['.github/workflows/ci.yml', 'workflow.yaml', 'pipeline.yaml', 'pipelines/pipeline.json'];
const isPipelineCase = (d: string) => PIPELINE_FIXTURES.some((f) => existsSync(join(root, d, f)));
const cases = readdirSync(root).filter((d) => existsSync(join(root, d, 'main.tf')) || existsSync(join(root, d, 'manifests.yaml')) || isPipelineCase(d) || existsSync(join(root, d, 'chart', 'Chart.yaml'))).sort();
const FIXTURE_FILES = new Set(['hand-checked.json', 'expected.json', 'usage.yml', 'ARITHMETIC.md']);

function pipelineProject(dir: string): ProjectFiles {
  const texts: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    if (FIXTURE_FILES.has(f) || statSync(join(dir, f)).isDirectory()) continue;
    texts[f.split(sep).join('/')] = readFileSync(join(dir, f), 'utf8');
  }
  const spec = discoverProjects(Object.keys(texts), texts).find((p) => p.kind === 'pipeline');
  if (!spec) throw new Error(`no pipeline project in ${dir}`);
  return { name: spec.name, path: spec.path, kind: spec.kind, files: Object.fromEntries(spec.files.map((f) => [f, texts[f] as string])) };
}

function run(dir: string) {
  const files: Record<string, string> = {};
  for (const f of readdirSync(dir)) if (f.endsWith('.tf') || f.endsWith('.tfvars')) files[f] = readFileSync(join(dir, f), 'utf8');
  const usageFile = join(dir, 'usage.yml');
  const config = existsSync(usageFile) ? parseConfig(readFileSync(usageFile, 'utf8'), 'usage.yml') : undefined;
  if (config) expect(config.errors).toEqual([]);
  if (isPipelineCase(dir.slice(root.length + 1))) {
    const project = pipelineProject(dir);
    expect(analyzerFor(project)!.analyze(project, { kubernetes: { config: config?.config.kubernetes }, pipelines: { config: config?.config.pipelines } }).errors.filter((e) => e.severity !== 'warning')).toEqual([]);
    return breakdown([project], book, { config: config?.config });
  }
  if (existsSync(join(dir, 'chart', 'Chart.yaml'))) {
    const chartFiles: Record<string, string> = {};
    for (const f of readdirSync(join(dir, 'chart'), { recursive: true, encoding: 'utf8' }))
      if (!statSync(join(dir, 'chart', f)).isDirectory()) chartFiles[`chart/${f.split(sep).join('/')}`] = readFileSync(join(dir, 'chart', f), 'utf8');
    const project = { name: dir, path: 'chart', kind: 'helm' as const, files: chartFiles };
    expect(helm.analyze(project, { kubernetes: { config: config?.config.kubernetes } }).errors.filter((e) => e.severity !== 'warning')).toEqual([]);
    return breakdown([project], book, { config: config?.config });
  }
  if (existsSync(join(dir, 'manifests.yaml'))) {
    const project = { name: dir, path: '.', kind: 'kubernetes' as const, files: { 'manifests.yaml': readFileSync(join(dir, 'manifests.yaml'), 'utf8') } };
    expect(kubernetes.analyze(project, { kubernetes: { config: config?.config.kubernetes } }).errors.filter((e) => e.severity !== 'warning')).toEqual([]);
    return breakdown([project], book, { config: config?.config });
  }
  expect(analyzeModule(files).errors.filter((e) => e.severity !== 'warning')).toEqual([]);
  return breakdown([{ name: dir, path: '.', kind: 'terraform', files }], book, { config: config?.config });
}

const cents = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

describe('hand-checked pricing fixtures', () => {
  it('has at least one case per folder', () => {
    for (const c of cases) expect(existsSync(join(root, c, 'hand-checked.json'))).toBe(true);
  });

  it.each(cases)('%s', (name) => {
    const dir = join(root, name);
    const b = run(dir);
    const resources = b.projects[0]!.resources;
    const want = JSON.parse(readFileSync(join(dir, 'hand-checked.json'), 'utf8')) as Record<string, number | null>;
    const got = Object.fromEntries(resources.filter((r) => r.address in want).map((r) => [r.address, cents(r.monthlyCost)]));
    expect(got).toEqual(Object.fromEntries(Object.entries(want).map(([k, v]) => [k, cents(v)])));
    for (const r of resources) {
      for (const c of [...r.costComponents, ...r.subresources.flatMap((s) => s.costComponents)])
        if (c.unitPrice !== null) expect(c.priceSource?.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // Whatever cannot be priced says why.
      if (r.monthlyCost === null && r.costComponents.every((c) => !c.usageBased)) expect(r.unpriced.length).toBeGreaterThan(0);
    }
    expectGolden(`test/fixtures/pricing/${name}/expected.json`, `${JSON.stringify(resources, null, 2)}\n`);
  });
});
