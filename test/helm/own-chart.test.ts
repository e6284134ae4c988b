/** mlcost prices its own deployment chart, as this repository's .mlcost.yml asks, in its own pull requests. */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dirReader, loadProjects } from '../../src/adapters/local.js';
import { loadEmbeddedPriceBook } from '../../src/adapters/snapshot-file.js';
import { discoverOptions } from '../../src/core/projects.js';
import { breakdown } from '../../src/core/run.js';
import { parseConfig } from '../../src/policy/schema.js';

const root = join(import.meta.dirname, '..', '..');

describe("mlcost's own chart", () => {
  it('renders with the pricing values and prices the webhook, the workers and Redis on the configured pool', async () => {
    const { config, errors } = parseConfig(readFileSync(join(root, '.mlcost.yml'), 'utf8'));
    expect(errors).toEqual([]);
    const projects = await loadProjects(dirReader(root), 'deploy', undefined, discoverOptions(config));
    expect(projects.map((p) => p.name)).toEqual(['deploy/helm/mlcost (ci/pricing-values.yaml)']);
    const b = breakdown(projects, loadEmbeddedPriceBook(), { config });
    const p = b.projects[0]!;
    expect(p.errors).toEqual([]);
    const byAddress = Object.fromEntries(p.resources.map((r) => [r.address, r]));
    expect(Object.keys(byAddress)).toEqual([
      'kubernetes_deployment.mlcost["mlcost-webhook"]',
      'kubernetes_deployment.mlcost["mlcost-worker"]',
      'kubernetes_stateful_set.mlcost["mlcost-redis"]',
    ]);
    // Webhook: 2 replicas x 250m / 256Mi on an m6i.xlarge (4 vCPU / 16 GiB, $0.192/h): 1/16 node each.
    expect(byAddress['kubernetes_deployment.mlcost["mlcost-webhook"]']!.monthlyCost).toBeCloseTo(2 * 730 * 0.192 / 16, 6);
    // Workers scale on queue depth: the HPA's max is the ceiling.
    expect(byAddress['kubernetes_deployment.mlcost["mlcost-worker"]']!.ceilingMonthlyCost).toBeGreaterThan(byAddress['kubernetes_deployment.mlcost["mlcost-worker"]']!.monthlyCost!);
  });
});
