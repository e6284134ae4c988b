/** Every pricer file is registered, the registry is sorted, and every pricer has a fixture folder. */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pricers } from '../../src/pricing/index.js';
import { analyzers } from '../../src/analyzers/index.js';

const root = join(import.meta.dirname, '..', '..');

describe('pricer registry', () => {
  const files = readdirSync(join(root, 'src/pricing/resources')).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));

  it('registers one pricer per file, named after its resource type, in sorted order', () => {
    expect(pricers.map((p) => p.type)).toEqual([...files].sort());
    expect(pricers.map((p) => p.type)).toEqual([...pricers.map((p) => p.type)].sort());
  });

  it('has a fixture folder for every pricer', () => {
    // Kubernetes types are priced from manifests (test/fixtures/pricing/kubernetes_*/manifests.yaml).
    // Pipeline types are priced from pipeline files, where a repository keeps them.
    const pipelines: Record<string, string> = { argo_workflow_template: 'workflow.yaml', github_actions_job: '.github/workflows/ci.yml', kubeflow_task: 'pipeline.yaml', sagemaker_pipeline_step: 'pipelines/pipeline.json' };
    const fixture = (f: string) => pipelines[f] ?? (f.startsWith('kubernetes_') ? 'manifests.yaml' : 'main.tf');
    const missing = files.filter((f) => !existsSync(join(root, 'test/fixtures/pricing', f, fixture(f))));
    expect(missing).toEqual([]);
  });

  it('keeps price literals out of pricers (prices come from the snapshot)', () => {
    for (const f of files) {
      const text = readFileSync(join(root, 'src/pricing/resources', `${f}.ts`), 'utf8');
      expect({ file: f, decimals: text.match(/\b0\.\d{2,}\b/g) ?? [] }).toEqual({ file: f, decimals: [] });
    }
  });
});

describe('analyzer registry', () => {
  it('is sorted by id and each id names its file or folder', () => {
    expect(analyzers.map((a) => a.id)).toEqual([...analyzers.map((a) => a.id)].sort());
    for (const a of analyzers) expect(existsSync(join(root, 'src/analyzers', a.id)) || existsSync(join(root, 'src/analyzers', `${a.id}.ts`))).toBe(true);
  });
});
