/**
 * The Helm analyzer on a small platform chart written for these cases: subcharts (vendored,
 * aliased, disabled by condition, packaged, not vendored), values files per environment, a
 * template error, a 10,000-replica typo, nothing rendering (values fallback), test hooks.
 * Prices: m6i.xlarge $2/h (4 vCPU, 16 GiB), g5.2xlarge $12/h (1 GPU); 730 h a month.
 */
import { describe, expect, it } from '@jest/globals';
import { lineMapper } from '../../src/analyzers/helm/lines.js';
import { analyze, costs, errorsOf, lineOf, price, project, under, workloads } from './helpers.js';

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "platform.fullname" . }}-web
  labels:
    {{- include "platform.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.web.replicaCount }}
  template:
    spec:
      {{- with .Values.web.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: web
          image: "{{ .Values.global.registry }}/web:{{ .Chart.AppVersion }}"
          resources:
            {{- toYaml .Values.web.resources | nindent 12 }}
        {{- range .Values.web.sidecars }}
        - name: {{ .name }}
          image: {{ .image }}
          resources:
            requests: { cpu: {{ .cpu | quote }}, memory: 256Mi }
        {{- end }}
`;

const HELPERS = `{{- define "platform.fullname" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- define "platform.labels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
team: {{ .Values.global.team }}
{{- end }}
`;

const TEST_HOOK = `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-test
  annotations:
    "helm.sh/hook": test
spec:
  containers:
    - name: t
      image: busybox
      resources: { requests: { cpu: "4", memory: 16Gi } }
`;

const SUB_DEPLOYMENT = (extra: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-{{ .Chart.Name }}
  labels:
    team: {{ .Values.global.team }}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
${extra}      containers:
        - name: main
          image: {{ .Values.global.registry }}/{{ .Chart.Name }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
`;

const platform = under('charts/platform', {
  'Chart.yaml': `apiVersion: v2
name: platform
version: 2.1.0
appVersion: "5.0"
dependencies:
  - name: api
    version: ">=1.0.0"
    condition: api.enabled
  - name: worker
    version: 0.3.0
    alias: gpu-worker
    condition: gpu-worker.enabled
  - name: cache
    version: 1.0.0
    condition: cache.enabled
  - name: postgresql
    version: 12.1.0
    repository: oci://registry-1.docker.io/bitnamicharts
  - name: redis
    version: 17.0.0
    repository: https://charts.bitnami.com/bitnami
`,
  'values.yaml': `global:
  registry: registry.example.com
  team: ml
web:
  replicaCount: 2
  nodeSelector:
    disktype: ssd
  resources:
    requests: { cpu: "1", memory: 2Gi }
  sidecars:
    - { name: proxy, image: envoy, cpu: 500m }
    - { name: logger, image: fluentbit, cpu: 250m }
api:
  enabled: true
  replicaCount: 3
gpu-worker:
  enabled: true
cache:
  enabled: false
`,
  '.helmignore': '*.bak\nscratch/\n',
  'templates/_helpers.tpl': HELPERS,
  'templates/web.yaml': WEB,
  'templates/old-web.yaml.bak': 'this is ignored: {{ broken',
  'templates/NOTES.txt': '{{ .Values.nothing.here }}',
  'templates/tests/test-connection.yaml': TEST_HOOK,
  'scratch/templates/x.yaml': '{{ broken',
  'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 1.4.0\n',
  'charts/api/values.yaml': 'replicaCount: 1\nresources:\n  requests: { cpu: 500m, memory: 1Gi }\nglobal:\n  team: api-team\n',
  'charts/api/templates/deployment.yaml': SUB_DEPLOYMENT(''),
  'charts/worker/Chart.yaml': 'apiVersion: v2\nname: worker\nversion: 0.3.0\n',
  'charts/worker/values.yaml': 'replicaCount: 1\nresources:\n  limits: { nvidia.com/gpu: 1 }\n',
  'charts/worker/templates/deployment.yaml': SUB_DEPLOYMENT('      nodeSelector: { workload: gpu }\n      tolerations: [{ key: nvidia.com/gpu, operator: Exists, effect: NoSchedule }]\n'),
  'charts/cache/Chart.yaml': 'apiVersion: v2\nname: cache\nversion: 1.0.0\n',
  'charts/cache/values.yaml': 'replicaCount: 5\nresources:\n  requests: { cpu: "4", memory: 16Gi }\n',
  'charts/cache/templates/deployment.yaml': SUB_DEPLOYMENT(''),
});
const UNREAD = ['charts/platform/charts/postgresql-12.1.0.tgz'];

describe('a chart with subcharts', () => {
  const r = analyze(project('charts/platform', platform, UNREAD));

  it('prices the chart and its enabled subcharts; a subchart disabled by condition is not rendered', () => {
    expect(errorsOf(r)).toEqual([]);
    // release "platform" (the chart's name), namespace default.
    // web: 2 replicas; web 1 CPU / 2Gi + proxy 500m / 256Mi + logger 250m / 256Mi = 1.75 CPU, 2.5 GiB.
    // api: its own replicaCount 1 < the parent's api.replicaCount 3; 500m / 1Gi.
    // gpu-worker (worker under its alias): 1 replica, GPU only in limits. cache: condition false.
    expect(workloads(r)).toEqual([
      { address: 'kubernetes_deployment.default["platform-api"]', replicas: 3, cpu: 0.5, memoryGiB: 1, gpu: 0 },
      { address: 'kubernetes_deployment.default["platform-gpu-worker"]', replicas: 1, cpu: 0, memoryGiB: 0, gpu: 1 },
      { address: 'kubernetes_deployment.default["platform-web"]', replicas: 2, cpu: 1.75, memoryGiB: 2.5, gpu: 0 },
    ]);
  });

  it('points each workload at its template; subchart templates see the parent\'s globals', () => {
    const api = r.resources.find((x) => x.address.includes('platform-api'))!;
    expect(api.file).toBe('charts/platform/charts/api/templates/deployment.yaml');
    expect(api.attributeLines?.replicas).toBe(8);
    expect((api.attributes.groups as { labels: Record<string, string> }[])[0]!.labels).toEqual({});
    const worker = r.resources.find((x) => x.address.includes('gpu-worker'))!;
    expect(worker.file).toBe('charts/platform/charts/worker/templates/deployment.yaml');
    expect(worker.details).toEqual({ chart: 'platform@2.1.0', release: 'platform' });
  });

  it('reports the packaged and the missing dependencies as not analysed, with their repository', () => {
    expect(r.notAnalysed).toEqual([
      expect.objectContaining({ address: 'helm_chart["platform/charts/postgresql"]', reason: expect.stringContaining('packaged subchart charts/platform/charts/postgresql-12.1.0.tgz') }),
      expect.objectContaining({ address: 'helm_chart["platform/charts/redis"]', reason: 'dependency redis 17.0.0 from https://charts.bitnami.com/bitnami is not vendored under charts/platform/charts/: not analysed (mlcost never downloads charts)' }),
    ]);
  });

  it('leaves out test hooks, NOTES.txt and what .helmignore excludes', () => {
    expect(r.resources.some((x) => x.type === 'kubernetes_pod')).toBe(false);
    expect(r.errors.some((e) => /NOTES|old-web|scratch/.test(`${e.file} ${e.message}`))).toBe(false);
  });

  it('prices every pod on its pool', () => {
    // api: share max(0.5/4, 1/16) = 0.125: 3 x 730 x 0.125 x $2 = $547.50.
    // gpu-worker: GPU share 1 on g5.2xlarge: 730 x $12 = $8,760.
    // web: share max(1.75/4, 2.5/16) = 0.4375: 2 x 730 x 0.4375 x $2 = $1,277.50.
    const b = price(project('charts/platform', platform, UNREAD));
    expect(costs(b)).toEqual({
      'kubernetes_deployment.default["platform-api"]': 547.5,
      'kubernetes_deployment.default["platform-gpu-worker"]': 8760,
      'kubernetes_deployment.default["platform-web"]': 1277.5,
    });
    expect(b.unsupported.map((u) => u.type)).toEqual(['helm_chart', 'helm_chart']);
  });
});

describe('values files per environment', () => {
  const prod = {
    ...platform,
    'charts/platform/values-prod.yaml': `web:
  replicaCount: 4
  nodeSelector: null        # deletes the default disktype: ssd
  sidecars:                 # replaces the list: no logger any more
    - { name: proxy, image: envoy, cpu: "1" }
api:
  enabled: false
cache:
  enabled: true
`,
  };
  const helmConfig = { charts: [{ path: 'charts/platform', values: ['values-prod.yaml'], release: 'prod', namespace: 'ml' }] };

  it('applies the environment: a list replaced, a default deleted by null, subcharts switched', () => {
    const r = analyze(project('charts/platform (values-prod.yaml)', prod, UNREAD), helmConfig);
    expect(errorsOf(r)).toEqual([]);
    // web: 1 CPU / 2Gi + proxy 1 CPU / 256Mi = 2 CPU, 2.25 GiB, no logger; cache enabled: 5 x 4 CPU / 16Gi.
    expect(workloads(r)).toEqual([
      { address: 'kubernetes_deployment.ml["prod-cache"]', replicas: 5, cpu: 4, memoryGiB: 16, gpu: 0 },
      { address: 'kubernetes_deployment.ml["prod-gpu-worker"]', replicas: 1, cpu: 0, memoryGiB: 0, gpu: 1 },
      { address: 'kubernetes_deployment.ml["prod-web"]', replicas: 4, cpu: 2, memoryGiB: 2.25, gpu: 0 },
    ]);
    const web = r.resources.find((x) => x.address.includes('prod-web'))!;
    expect((web.attributes.groups as { node_selector: unknown }[])[0]!.node_selector).toEqual({});
  });

  it('reports a values file that is not there, and still prices with the others', () => {
    const missing = { charts: [{ path: 'charts/platform', values: ['values-nope.yaml'] }] };
    const r = analyze(project('charts/platform (values-nope.yaml)', platform, UNREAD), missing);
    expect(errorsOf(r)).toEqual([expect.objectContaining({ file: 'charts/platform/values-nope.yaml', message: 'values file values-nope.yaml (helm.charts[0].values in .mlcost.yml) not found: not applied' })]);
    expect(workloads(r)).toHaveLength(3);
  });
});

describe('a template that cannot render', () => {
  const broken = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: batch
spec:
  replicas: {{ .Values.batch.replicas }}
`;
  const files = { ...platform, 'charts/platform/templates/batch.yaml': broken };

  it('is an error at its file:line, and the chart\'s other workloads are still priced', () => {
    const r = analyze(project('charts/platform', files, UNREAD));
    expect(errorsOf(r)).toEqual([
      {
        file: 'charts/platform/templates/batch.yaml',
        line: 6,
        column: expect.any(Number),
        message: expect.stringMatching(/^template error: .*nil pointer evaluating interface \{\}\.replicas; what this template defines is not priced$/),
        severity: 'error',
      },
    ]);
    expect(workloads(r).map((w) => w.address)).toEqual([
      'kubernetes_deployment.default["platform-api"]',
      'kubernetes_deployment.default["platform-gpu-worker"]',
      'kubernetes_deployment.default["platform-web"]',
    ]);
  });

  it('names the helper where an included define fails', () => {
    const bad = { ...files, 'charts/platform/templates/batch.yaml': 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: {{ include "platform.oops" . }}\n', 'charts/platform/templates/_more.tpl': '{{- define "platform.oops" -}}\n{{ .Values.x.y }}\n{{- end }}\n' };
    const r = analyze(project('charts/platform', bad, UNREAD));
    expect(errorsOf(r)).toEqual([expect.objectContaining({ file: 'charts/platform/templates/batch.yaml', line: 4, message: expect.stringContaining('(at charts/platform/templates/_more.tpl:2)') })]);
  });
});

describe('a 10,000-replica typo', () => {
  it('is priced as written and flagged as an outlier at the template line that sets replicas', () => {
    const files = { ...platform, 'charts/platform/values-typo.yaml': 'web:\n  replicaCount: 10000\n' };
    const helmConfig = { charts: [{ path: 'charts/platform', values: ['values-typo.yaml'] }] };
    const p = project('charts/platform (values-typo.yaml)', files, UNREAD);
    const r = analyze(p, helmConfig);
    const replicasLine = lineOf(WEB, 'replicas: {{ .Values.web.replicaCount }}');
    expect(errorsOf(r, 'warning')).toContainEqual({
      file: 'charts/platform/templates/web.yaml',
      line: replicasLine,
      message: 'kubernetes_deployment.default["platform-web"]: 10,000 replicas is unusually many (over 1,000); priced as written: check for a typo',
      severity: 'warning',
    });
    const web = price(p, helmConfig).resources.find((x) => x.address.includes('platform-web'))!;
    // 10,000 x 730 x 0.4375 x $2 = $6,387,500, with the outlier said on the line.
    expect(web.monthlyCost).toBeCloseTo(6_387_500, 6);
    expect(web.costComponents[0]!.assumption).toContain('10,000 replicas is an outlier');
  });
});

describe('when nothing renders', () => {
  const files = under('charts/inference', {
    'Chart.yaml': 'apiVersion: v2\nname: inference\nversion: 0.1.0\n',
    'values.yaml': `image:
  repository: vllm/vllm-openai
  tag: ""
replicaCount: 3
resources:
  requests: { cpu: "2", memory: 8Gi }
nodeSelector:
  disktype: ssd
autoscaling:
  enabled: false
router:
  enabled: true
  replicas: 2
  resources:
    limits: { cpu: 500m, memory: 512Mi }
metrics:
  enabled: false
  resources:
    requests: { cpu: "8" }
`,
    'templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  template:\n    spec:\n      containers:\n        - image: {{ required "image.tag is required" .Values.image.tag }}\n',
    'templates/router.yaml': '{{ include "missing.helper" . }}\n',
  });

  it('reads replicas and resources from values.yaml, and says so on every line', () => {
    const r = analyze(project('charts/inference', files));
    expect(errorsOf(r).map((e) => `${e.file}:${e.line}`)).toEqual(['charts/inference/templates/deployment.yaml:9', 'charts/inference/templates/router.yaml:1']);
    expect(errorsOf(r, 'warning')[0]).toEqual({
      file: 'charts/inference/values.yaml',
      line: 4,
      message: 'no template of inference renders: its workloads are read from the values instead (replicaCount, resources at charts/inference/values.yaml:4; router.replicas, router.resources at charts/inference/values.yaml:13), each priced as a Deployment',
      severity: 'warning',
    });
    // The top level: 3 x (2 CPU, 8Gi) on disktype=ssd; router: 2 x (500m, 512Mi) from limits; metrics is disabled.
    expect(workloads(r)).toEqual([
      { address: 'kubernetes_deployment.default["inference"]', replicas: 3, cpu: 2, memoryGiB: 8, gpu: 0 },
      { address: 'kubernetes_deployment.default["inference-router"]', replicas: 2, cpu: 0.5, memoryGiB: 0.5, gpu: 0 },
    ]);
    const b = price(project('charts/inference', files));
    // 3 x 730 x max(2/4, 8/16) x $2 = $2,190; 2 x 730 x max(0.5/4, 0.5/16) x $2 = $365.
    expect(costs(b)).toEqual({ 'kubernetes_deployment.default["inference"]': 2190, 'kubernetes_deployment.default["inference-router"]': 365 });
    const main = b.resources.find((x) => x.address.endsWith('["inference"]'))!;
    expect(main.costComponents[0]!.assumption).toContain('rendering failed; workload read from values.yaml (replicaCount/replicas, resources): a Deployment assumed');
    expect(main.details).toMatchObject({ source: 'values (rendering failed)', replicas: 3 });
    expect(main.file).toBe('charts/inference/values.yaml');
  });
});

describe('a dependency on a chart of the repository (file://)', () => {
  it('is read where it is, as `helm dependency build` would vendor it', () => {
    const files = {
      ...under('charts/app', {
        'Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: worker\n    version: 1.0.0\n    repository: "file://../worker"\n  - name: gone\n    repository: file://../gone\n',
        'values.yaml': 'worker:\n  replicaCount: 4\n',
      }),
      ...under('charts/worker', {
        'Chart.yaml': 'apiVersion: v2\nname: worker\nversion: 1.0.0\n',
        'values.yaml': 'replicaCount: 1\nresources:\n  requests: { cpu: "1", memory: 2Gi }\n',
        'templates/deployment.yaml': SUB_DEPLOYMENT('').replace('{{ .Values.global.registry }}', 'registry'),
      }),
    };
    const r = analyze(project('charts/app', files));
    expect(workloads(r)).toEqual([{ address: 'kubernetes_deployment.default["app-worker"]', replicas: 4, cpu: 1, memoryGiB: 2, gpu: 0 }]);
    expect(r.resources[0]!.file).toBe('charts/worker/templates/deployment.yaml');
    expect(r.notAnalysed).toEqual([expect.objectContaining({ reason: 'dependency gone from file://../gone is neither under charts/app/charts/ nor a chart at that path of the repository: not analysed' })]);
  });
});

describe('charts that are not installed by themselves', () => {
  it('a library chart prices nothing, with a note', () => {
    const r = analyze(project('charts/lib', under('charts/lib', { 'Chart.yaml': 'apiVersion: v2\nname: lib\ntype: library\nversion: 1.0.0\n', 'templates/_x.tpl': '{{- define "x" }}{{- end }}' })));
    expect(r.resources).toEqual([]);
    expect(r.errors).toEqual([expect.objectContaining({ severity: 'warning', message: 'lib is a library chart: it is not installed by itself, nothing to price' })]);
  });

  it('a library subchart lends its defines; its own manifests are not rendered', () => {
    const files = under('charts/app', {
      'Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
      'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include "common.name" . }}\n',
      'charts/common/Chart.yaml': 'apiVersion: v2\nname: common\ntype: library\nversion: 1.0.0\n',
      'charts/common/templates/_names.tpl': '{{- define "common.name" -}}{{ .Release.Name }}-cfg{{- end }}',
      'charts/common/templates/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: { name: never }\nspec: { containers: [{ name: c, image: i, resources: { requests: { cpu: "1" } } }] }\n',
    });
    const r = analyze(project('charts/app', files));
    expect(r.errors.filter((e) => !/region/.test(e.message))).toEqual([]);
    expect(r.resources).toEqual([]);
  });
});

describe('lineMapper', () => {
  it('maps rendered lines to the template lines that produced them', () => {
    const template = 'kind: Deployment\nmetadata:\n  labels:\n    {{- include "x" . | nindent 4 }}\nspec:\n  replicas: {{ .Values.n }}\n  template: {}\n';
    const rendered = 'kind: Deployment\nmetadata:\n  labels:\n    a: b\n    c: d\nspec:\n  replicas: 3\n  template: {}\n';
    const map = lineMapper(template, rendered);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(map)).toEqual([1, 2, 3, 3, 3, 5, 6, 7]);
  });
});
