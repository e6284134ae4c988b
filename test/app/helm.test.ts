/**
 * The App prices Helm charts as the CLI does: a pull request touching only a template still gets
 * the chart's Chart.yaml, values.yaml and _helpers.tpl (and the values files `.mlcost.yml` names),
 * whether the repository is read whole or only near the change.
 */
import { describe, expect, it } from '@jest/globals';
import { useFakeApp, TestOctokit } from '../helpers/github-nock.js';
import { pullRequestEvent } from '../helpers/github-payloads.js';
import { scenario } from '../helpers/github-scenario.js';
import { runPullRequest } from '../../src/app/pipeline.js';
import { loadPriceBook } from '../../src/adapters/prices.js';
import { loadRenderer } from '../../src/adapters/templates.js';

const app = useFakeApp();

const DEPLOYMENT = (replicas: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "ranker.fullname" . }}\n  namespace: {{ .Release.Namespace }}\nspec:\n  replicas: ${replicas}\n  template:\n    spec:\n      containers:\n        - name: app\n          image: "{{ .Values.image.repository }}:{{ .Chart.AppVersion }}"\n          resources:\n            {{- toYaml .Values.resources | nindent 12 }}\n`;

const CHART = {
  'charts/ranker/Chart.yaml': 'apiVersion: v2\nname: ranker\nversion: 0.1.0\nappVersion: "1.0"\n',
  'charts/ranker/values.yaml': 'replicaCount: 4\nimage:\n  repository: ranker\nresources:\n  requests:\n    cpu: "2"\n    memory: 8Gi\n',
  'charts/ranker/templates/_helpers.tpl': '{{- define "ranker.fullname" -}}\n{{ .Release.Name }}-svc\n{{- end }}\n',
  'charts/ranker/templates/deployment.yaml': DEPLOYMENT('{{ .Values.replicaCount }}'),
  'charts/ranker/templates/NOTES.txt': 'Installed {{ .Release.Name }}\n',
};

const POOLS = 'kubernetes:\n  nodePools:\n    - name: general\n      instanceType: m6i.2xlarge\n      capacity: on-demand\n';
// Each pod: 2 vCPU / 8 GiB of an 8 vCPU / 32 GiB m6i.2xlarge ($0.384/h): a quarter node.
const POD_MONTH = 730 * 0.384 * 0.25;

describe('Helm charts in the App', () => {
  it('prices a change to one template with the chart\'s values and helpers', async () => {
    const s = scenario(app.fake, {
      base: { '.mlcost.yml': POOLS, ...CHART },
      head: { 'charts/ranker/templates/deployment.yaml': DEPLOYMENT('{{ add .Values.replicaCount 2 }}') },
    });
    await app.probot.receive({ id: 'h1', name: 'pull_request', payload: pullRequestEvent('opened', s.target) as never });
    const result = app.results[0]!;
    const head = result.analysis!.diff.head;
    expect(head.projects.map((p) => [p.path, p.kind, p.errors.filter((e) => e.severity !== 'warning')])).toEqual([['charts/ranker', 'helm', []]]);
    const change = result.analysis!.diff.resources[0]!;
    // release "ranker" (the chart's name) -> "ranker-svc" from _helpers.tpl; 4 -> 6 replicas.
    expect(change).toMatchObject({ address: 'kubernetes_deployment.default["ranker-svc"]', change: 'changed', file: 'charts/ranker/templates/deployment.yaml', line: 1 });
    expect(change.delta).toBeCloseTo(2 * POD_MONTH, 6);
    expect(app.fake.comments('acme/infra', 7)[0]?.body).toContain('ranker-svc');
  });

  it('reads the chart\'s other files after discovery when the repository is too large to read whole', async () => {
    const s = scenario(app.fake, {
      base: { '.mlcost.yml': POOLS, ...CHART, 'other/big.tf': 'resource "aws_ebs_volume" "v" {\n  size = 1\n}\n' },
      head: { 'charts/ranker/templates/deployment.yaml': DEPLOYMENT('{{ add .Values.replicaCount 2 }}') },
    });
    const octokit = new TestOctokit({ auth: { token: 'ghs_testtoken' } });
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
    const r = await runPullRequest(octokit, s.target, { book: loadPriceBook(), renderer: loadRenderer(), log: quiet as never }, { fullScanMaxFiles: 1 });
    expect(r.analysis!.diff.head.projects.map((p) => [p.path, p.errors.filter((e) => e.severity !== 'warning')])).toEqual([['charts/ranker', []]]);
    expect(r.analysis!.diff.resources[0]!.delta).toBeCloseTo(2 * POD_MONTH, 6);
  });

  it('prices each environment of .mlcost.yml; a change to a values file outside the chart touches only its environment', async () => {
    const config = `${POOLS}helm:\n  charts:\n    - { path: charts/ranker }\n    - { path: charts/ranker, values: [../../deploy/prod/ranker.yaml], release: ranker, namespace: prod }\n`;
    const s = scenario(app.fake, {
      base: { '.mlcost.yml': config, ...CHART, 'deploy/prod/ranker.yaml': 'replicaCount: 10\n' },
      head: { 'deploy/prod/ranker.yaml': 'replicaCount: 12\n' },
    });
    await app.probot.receive({ id: 'h2', name: 'pull_request', payload: pullRequestEvent('opened', s.target) as never });
    const d = app.results[0]!.analysis!.diff;
    expect(d.head.projects.map((p) => p.path)).toEqual(['charts/ranker (../../deploy/prod/ranker.yaml)']);
    expect(d.resources.map((r) => [r.address, r.change])).toEqual([['kubernetes_deployment.prod["ranker-svc"]', 'changed']]);
    expect(d.resources[0]!.delta).toBeCloseTo(2 * POD_MONTH, 6);
  });
});
