/** The App finds every project kind the CLI finds: Kubernetes manifests too, with the same numbers. */
import { describe, expect, it } from '@jest/globals';
import { TestOctokit, useFakeApp } from '../helpers/github-nock.js';
import { pullRequestEvent } from '../helpers/github-payloads.js';
import { scenario } from '../helpers/github-scenario.js';
import { runPullRequest } from '../../src/app/pipeline.js';
import { loadPriceBook } from '../../src/adapters/prices.js';
import { loadRenderer } from '../../src/adapters/templates.js';

const app = useFakeApp();

const deployment = (replicas: number) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ranker\n  namespace: ml\nspec:\n  replicas: ${replicas}\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ranker:1\n          resources:\n            requests:\n              cpu: "2"\n              memory: 8Gi\n`;

const pools = 'kubernetes:\n  nodePools:\n    - name: general\n      instanceType: m6i.2xlarge\n      capacity: on-demand\n';

describe('project kinds in the App', () => {
  it('prices a change to Kubernetes manifests on the configured node pool', async () => {
    const s = scenario(app.fake, {
      base: { '.mlcost.yml': pools, 'k8s/serving/ranker.yaml': deployment(4), 'k8s/serving/README.md': '# serving\n' },
      head: { 'k8s/serving/ranker.yaml': deployment(6) },
    });
    await app.probot.receive({ id: 'd1', name: 'pull_request', payload: pullRequestEvent('opened', s.target) as never });
    const result = app.results[0]!;
    const head = result.analysis!.diff.head;
    expect(head.projects.map((p) => [p.path, p.kind])).toEqual([['k8s/serving', 'kubernetes']]);
    const change = result.analysis!.diff.resources[0]!;
    expect(change).toMatchObject({ address: 'kubernetes_deployment.ml["ranker"]', change: 'changed' });
    // 2 more pods, each 2 vCPU / 8 GiB of an 8 vCPU / 32 GiB m6i.2xlarge ($0.384/h): a quarter node each.
    expect(change.delta).toBeCloseTo(2 * 730 * 0.384 * 0.25, 6);
    expect(app.fake.comments('acme/infra', 7)[0]?.body).toContain('ranker');
  });

  it('finds the manifests next to the touched files when the repository is too large to read whole', async () => {
    const s = scenario(app.fake, {
      base: { '.mlcost.yml': pools, 'k8s/serving/ranker.yaml': deployment(4), 'other/big.tf': 'resource "aws_ebs_volume" "v" {\n  size = 1\n}\n' },
      head: { 'k8s/serving/ranker.yaml': deployment(6) },
    });
    const octokit = new TestOctokit({ auth: { token: 'ghs_testtoken' } });
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
    const r = await runPullRequest(octokit, s.target, { book: loadPriceBook(), renderer: loadRenderer(), log: quiet as never }, { fullScanMaxFiles: 1 });
    expect(r.analysis!.diff.head.projects.map((p) => p.path)).toEqual(['k8s/serving']);
    expect(r.analysis!.diff.resources[0]!.delta).toBeCloseTo(2 * 730 * 0.384 * 0.25, 6);
  });
});
