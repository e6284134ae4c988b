/** Which charts are projects (and their environments), the `helm:` config section, and the CLI. */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { candidateFiles, discoverProjects, discoverOptions, kubernetesProjects } from '../../src/core/projects.js';
import { helmProjects } from '../../src/analyzers/helm/discover.js';
import { helm } from '../../src/analyzers/helm/index.js';
import { makeConfig, parseConfig } from '../../src/policy/schema.js';
import { runCli } from '../../src/cli/main.js';
import type { Breakdown, Diff } from '../../src/core/types.js';

const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n';
const PATHS = [
  'charts/app/Chart.yaml',
  'charts/app/values.yaml',
  'charts/app/values-prod.yaml',
  'charts/app/templates/deployment.yaml',
  'charts/app/templates/_helpers.tpl',
  'charts/app/files/config.json',
  'charts/app/icon.png',
  'charts/app/charts/redis/Chart.yaml',
  'charts/app/charts/redis/templates/sts.yaml',
  'charts/app/charts/pg-12.1.0.tgz',
  'charts/other/Chart.yaml',
  'charts/other/templates/job.yaml',
  'deploy/prod/app-values.yaml',
  'k8s/app.yaml',
  'README.md',
];

describe('helm projects', () => {
  it('one project per top-level chart, with every file of it (subcharts included); packaged subcharts listed as unread', () => {
    expect(helmProjects(PATHS)).toEqual([
      {
        name: 'charts/app',
        path: 'charts/app',
        kind: 'helm',
        files: [
          'charts/app/Chart.yaml',
          'charts/app/charts/redis/Chart.yaml',
          'charts/app/charts/redis/templates/sts.yaml',
          'charts/app/files/config.json',
          'charts/app/templates/_helpers.tpl',
          'charts/app/templates/deployment.yaml',
          'charts/app/values-prod.yaml',
          'charts/app/values.yaml',
        ],
        unread: ['charts/app/charts/pg-12.1.0.tgz'],
      },
      { name: 'charts/other', path: 'charts/other', kind: 'helm', files: ['charts/other/Chart.yaml', 'charts/other/templates/job.yaml'] },
    ]);
  });

  it('one project per environment named in .mlcost.yml; values files may lie outside the chart', () => {
    const config = makeConfig({
      helm: {
        charts: [
          { path: './charts/app/', values: ['values-prod.yaml'] },
          { path: 'charts/app', values: ['values-prod.yaml', '../../deploy/prod/app-values.yaml'], name: 'prod-eu' },
          { path: 'charts/app', values: ['values-prod.yaml'], namespace: 'other' },
          { path: 'charts/missing' },
        ],
      },
    });
    const specs = helmProjects(PATHS, config.helm);
    expect(specs.map((s) => s.path)).toEqual(['charts/app (prod-eu)', 'charts/app (values-prod.yaml)', 'charts/app (values-prod.yaml) #2', 'charts/other']);
    expect(specs[0]!.files).toContain('deploy/prod/app-values.yaml');
    expect(specs[1]!.files).not.toContain('deploy/prod/app-values.yaml');
  });

  it('reads every file of a chart (no archives or images); Kubernetes discovery keeps skipping chart directories', () => {
    const candidates = candidateFiles(PATHS);
    expect(candidates).toEqual(expect.arrayContaining(['charts/app/values.yaml', 'charts/app/templates/_helpers.tpl', 'charts/app/files/config.json', 'charts/app/charts/redis/templates/sts.yaml', 'k8s/app.yaml']));
    expect(candidates).not.toContain('charts/app/charts/pg-12.1.0.tgz');
    expect(candidates).not.toContain('charts/app/icon.png');
    expect(candidates).not.toContain('README.md');
    // Templates look like manifests too; values files do not.
    const texts = Object.fromEntries(candidates.map((p) => [p, /templates\/|k8s\//.test(p) ? manifest : 'replicaCount: 1\n']));
    expect(kubernetesProjects(PATHS, texts).map((p) => p.path)).toEqual(['k8s']);
    expect(discoverProjects(PATHS, texts).map((p) => [p.path, p.kind])).toEqual([
      ['charts/app', 'helm'],
      ['charts/other', 'helm'],
      ['k8s', 'kubernetes'],
    ]);
    // With the config, the environment replaces the chart's default project.
    const config = makeConfig({ helm: { charts: [{ path: 'charts/app', values: ['values-prod.yaml'] }] } });
    expect(discoverProjects(PATHS, texts, discoverOptions(config)).filter((p) => p.kind === 'helm').map((p) => p.path)).toEqual(['charts/app (values-prod.yaml)', 'charts/other']);
  });

  it('a chart depending on another chart of the repository (file://) carries its files', () => {
    const paths = ['charts/app/Chart.yaml', 'charts/app/templates/a.yaml', 'charts/common/Chart.yaml', 'charts/common/templates/_x.tpl', 'charts/common/templates/b.yaml'];
    const texts = { 'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\ndependencies:\n  - name: common\n    repository: file://../common\n', 'charts/common/Chart.yaml': 'apiVersion: v2\nname: common\n' };
    const specs = helmProjects(paths, undefined, texts);
    expect(specs.map((s) => [s.path, s.files])).toEqual([
      ['charts/app', ['charts/app/Chart.yaml', 'charts/app/templates/a.yaml', 'charts/common/Chart.yaml', 'charts/common/templates/_x.tpl', 'charts/common/templates/b.yaml']],
      ['charts/common', ['charts/common/Chart.yaml', 'charts/common/templates/_x.tpl', 'charts/common/templates/b.yaml']],
    ]);
  });

  it('a configured path holding files but no Chart.yaml is reported by the analyzer', () => {
    const config = makeConfig({ helm: { charts: [{ path: 'k8s' }] } });
    const spec = helmProjects(PATHS, config.helm).find((s) => s.path === 'k8s (values.yaml)')!;
    const r = helm.analyze({ name: spec.name, path: spec.path, kind: 'helm', files: { 'k8s/app.yaml': manifest } }, { helm: { config: config.helm } });
    expect(r.errors).toEqual([expect.objectContaining({ file: 'k8s/Chart.yaml', message: 'no Chart.yaml in k8s: not a Helm chart, nothing analysed' })]);
  });

  it('matches the paths that belong to charts', () => {
    expect(['charts/a/Chart.yaml', 'charts/a/values-prod.yaml', 'charts/a/templates/x.yaml', 'lib/_helpers.tpl', 'main.tf'].map(helm.matches)).toEqual([true, true, true, true, false]);
  });
});

describe('the helm: section of .mlcost.yml', () => {
  it('reads charts, environments, kubeVersion and apiVersions', () => {
    const { config, errors } = parseConfig(
      [
        'helm:',
        '  kubeVersion: v1.30.4',
        '  apiVersions: [monitoring.coreos.com/v1]',
        '  charts:',
        '    - path: charts/inference',
        '      values: [values-prod.yaml]',
        '      release: inference',
        '      namespace: ml',
        '',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
    expect(config.helm).toEqual({
      kubeVersion: 'v1.30.4',
      apiVersions: ['monitoring.coreos.com/v1'],
      charts: [{ path: 'charts/inference', values: ['values-prod.yaml'], release: 'inference', namespace: 'ml' }],
    });
  });

  it('names the line of a mistake, with a suggestion', () => {
    const { errors } = parseConfig('helm:\n  charts:\n    - path: charts/a\n      value: [x.yaml]\n  kubeVersion: latest\n');
    expect(errors.map((e) => `${e.line}:${e.key}: ${e.message}`)).toEqual([
      '4:helm.charts.0.value: unknown key `value`; did you mean `values`?',
      '5:helm.kubeVersion: expected a Kubernetes version such as `v1.30.4`',
    ]);
  });
});

describe('the CLI prices charts', () => {
  const chart = {
    'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
    'values.yaml': 'replicaCount: 2\nresources:\n  requests: { cpu: "1", memory: 4Gi }\n',
    'values-prod.yaml': 'replicaCount: 6\n',
    'templates/_helpers.tpl': '{{- define "web.name" -}}{{ .Release.Name }}{{- end }}\n',
    'templates/deployment.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "web.name" . }}\n  namespace: {{ .Release.Namespace }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n  template:\n    spec:\n      containers:\n        - name: web\n          image: web:1\n          resources:\n            {{- toYaml .Values.resources | nindent 12 }}\n',
  };
  const mlcost = 'kubernetes:\n  region: us-east-1\n  nodePools:\n    - { name: general, instanceType: m6i.xlarge }\nhelm:\n  charts:\n    - { path: charts/web }\n    - { path: charts/web, values: [values-prod.yaml], release: web-prod, namespace: prod }\n';

  function tree(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'mlcost-helm-'));
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), text);
    }
    return dir;
  }

  it('breakdown: each environment is its own project', async () => {
    const dir = tree({ '.mlcost.yml': mlcost, ...Object.fromEntries(Object.entries(chart).map(([k, v]) => [`charts/web/${k}`, v])) });
    let out = '';
    let err = '';
    const code = await runCli(['breakdown', dir, '--format', 'json'], { out: (s) => (out += s), err: (s) => (err += s), env: {}, cwd: dir });
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const b = JSON.parse(out) as Breakdown;
    // m6i.xlarge on-demand $0.192/h (embedded snapshot); share max(1/4, 4/16) = 0.25 per pod.
    // values.yaml: 2 x 730 x 0.25 x $0.192 = $70.08; values-prod.yaml: 6 pods = $210.24.
    expect(b.projects.map((p) => [p.path, p.kind, p.totalMonthlyCost])).toEqual([
      ['charts/web (values-prod.yaml)', 'helm', 210.24],
      ['charts/web (values.yaml)', 'helm', 70.08],
    ]);
    expect(b.projects[0]!.resources[0]).toMatchObject({
      address: 'kubernetes_deployment.prod["web-prod"]',
      file: 'charts/web/templates/deployment.yaml',
      line: 1,
      details: { replicas: 6, cpu: 1, memoryGiB: 4, gpu: 0, chart: 'web@1.0.0', release: 'web-prod' },
    });
  });

  it('diff: a change to a template only still reads the chart\'s values and helpers', async () => {
    const base = tree(Object.fromEntries(Object.entries(chart).map(([k, v]) => [`charts/web/${k}`, v])));
    const head = tree(Object.fromEntries(Object.entries({ ...chart, 'templates/deployment.yaml': (chart['templates/deployment.yaml'] as string).replace('{{ .Values.replicaCount }}', '{{ mul .Values.replicaCount 2 }}') }).map(([k, v]) => [`charts/web/${k}`, v])));
    writeFileSync(join(base, '.mlcost.yml'), 'kubernetes:\n  region: us-east-1\n  nodePools:\n    - { name: general, instanceType: m6i.xlarge }\n');
    let out = '';
    const code = await runCli(['diff', '--base', base, '--head', head, '--format', 'json'], { out: (s) => (out += s), err: () => undefined, env: {}, cwd: base });
    expect(code).toBe(0);
    const d = JSON.parse(out) as Diff;
    // 2 -> 4 replicas: + 2 x 730 x 0.25 x $0.192 = $70.08.
    expect(d.projects.map((p) => [p.path, p.kind, p.delta])).toEqual([['charts/web', 'helm', 70.08]]);
    expect(d.resources[0]).toMatchObject({ address: 'kubernetes_deployment.default["web"]', change: 'changed', delta: 70.08 });
  });
});
