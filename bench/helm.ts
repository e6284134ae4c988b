/**
 * Renders AND prices a generated chart through the Helm analyzer and the pipeline: 40 templates
 * (Deployments, StatefulSets with volumes, CronJobs, HPAs, Services, ConfigMaps, a _helpers.tpl)
 * against a 2,000-line values.yaml, on configured node pools with the embedded price snapshot.
 * Prints one JSON line of figures.
 *
 *   npx tsx bench/helm.ts
 *
 * `ms` is the first run in a fresh process (chart loading, values coalescing, rendering, YAML,
 * workloads and pricing: what a CLI run pays); `warmMs` the average of later runs. The price
 * snapshot is loaded before the clock starts (`bookMs`), as every run of mlcost loads it once.
 */
import { breakdown } from '../src/core/run.js';
import type { ProjectFiles } from '../src/core/types.js';
import { makeConfig } from '../src/policy/schema.js';
import { loadEmbeddedPriceBook } from '../src/adapters/snapshot-file.js';

const COMPONENTS = 16;
const VALUES_LINES = 2000;
const DIR = 'charts/platform';

const HELPERS = `{{- define "platform.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "platform.fullname" -}}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "platform.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "platform.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "platform.pod" -}}
{{- $c := .c }}
metadata:
  labels:
    {{- include "platform.labels" .root | nindent 4 }}
    component: {{ $c.name }}
  annotations:
    checksum/config: {{ toJson $c.config | sha256sum }}
spec:
  {{- with $c.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $c.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: {{ $c.name }}
      image: "{{ $c.image.repository }}:{{ $c.image.tag | default .root.Chart.AppVersion }}"
      env:
        {{- range $k, $v := $c.env }}
        - name: {{ $k | upper | replace "-" "_" }}
          value: {{ tpl (toString $v) $.root | quote }}
        {{- end }}
      ports:
        {{- range $c.ports }}
        - name: {{ .name }}
          containerPort: {{ .port | int }}
        {{- end }}
      resources:
        {{- toYaml $c.resources | nindent 8 }}
{{- end }}
`;

function workload(i: number, kind: 'Deployment' | 'StatefulSet'): string {
  return `{{- $c := index .Values.components ${i} }}
{{- if $c.enabled }}
apiVersion: apps/v1
kind: ${kind}
metadata:
  name: {{ include "platform.fullname" . }}-{{ $c.name }}
  labels:
    {{- include "platform.labels" . | nindent 4 }}
spec:
  {{- if not $c.autoscaling.enabled }}
  replicas: {{ $c.replicas | int }}
  {{- end }}
  selector:
    matchLabels:
      component: {{ $c.name }}
  template:
    {{- include "platform.pod" (dict "c" $c "root" $) | nindent 4 }}
${kind === 'StatefulSet' ? `  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        storageClassName: gp3
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: {{ $c.storage }}
` : ''}{{- end }}
`;
}

function cronJob(i: number): string {
  return `{{- $c := index .Values.components ${i} }}
apiVersion: batch/v1
kind: CronJob
metadata:
  name: {{ include "platform.fullname" . }}-{{ $c.name }}-nightly
spec:
  schedule: {{ $c.schedule | quote }}
  jobTemplate:
    spec:
      template:
        {{- include "platform.pod" (dict "c" $c "root" $) | nindent 8 }}
`;
}

function hpa(i: number): string {
  return `{{- $c := index .Values.components ${i} }}
{{- if $c.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "platform.fullname" . }}-{{ $c.name }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "platform.fullname" . }}-{{ $c.name }}
  minReplicas: {{ $c.autoscaling.minReplicas | int }}
  maxReplicas: {{ $c.autoscaling.maxReplicas | int }}
{{- end }}
`;
}

function service(i: number): string {
  return `{{- $c := index .Values.components ${i} }}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "platform.fullname" . }}-{{ $c.name }}
spec:
  type: {{ $c.service.type }}
  ports:
    {{- range $c.ports }}
    - port: {{ .port | int }}
      targetPort: {{ .name }}
      name: {{ .name }}
    {{- end }}
  selector:
    component: {{ $c.name }}
`;
}

function configMap(i: number): string {
  return `{{- $c := index .Values.components ${i} }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "platform.fullname" . }}-{{ $c.name }}-config
data:
  config.yaml: |
    {{- toYaml $c.config | nindent 4 }}
`;
}

function valuesYaml(): string {
  const lines: string[] = ['nameOverride: ""', 'domain: example.com', 'components:'];
  for (let i = 0; i < COMPONENTS; i++) {
    const gpu = i % 5 === 0;
    lines.push(
      `  - name: svc${i}`,
      '    enabled: true',
      `    replicas: ${1 + (i % 3)}`,
      `    storage: ${10 * (1 + (i % 4))}Gi`,
      '    schedule: "0 2 * * *"',
      '    image:',
      `      repository: registry.example.com/team/svc${i}`,
      `      tag: "1.${i}.0"`,
      '    env:',
    );
    for (let e = 0; e < 10; e++) lines.push(`      var-${e}: "value-${e}-{{ .Release.Name }}.{{ .Values.domain }}"`);
    lines.push('    ports:');
    for (let p = 0; p < 2; p++) lines.push(`      - name: port${p}`, `        port: ${8080 + p}`);
    lines.push(
      '    service:',
      '      type: ClusterIP',
      '    resources:',
      '      requests:',
      `        cpu: ${250 + i * 50}m`,
      `        memory: ${512 + i * 128}Mi`,
      '      limits:',
      `        memory: ${1024 + i * 128}Mi`,
      ...(gpu ? ['        nvidia.com/gpu: 1', '    nodeSelector:', '      workload: gpu', '    tolerations:', '      - { key: nvidia.com/gpu, operator: Exists, effect: NoSchedule }'] : []),
      '    autoscaling:',
      `      enabled: ${i % 2 === 1}`,
      '      minReplicas: 2',
      '      maxReplicas: 10',
      '    config:',
      '      logging: { level: info, format: json }',
      '      features:',
    );
    for (let f = 0; f < 8; f++) lines.push(`        feature${f}: ${f % 2 === 0}`);
    lines.push('      limits:', `        maxConnections: ${100 * (i + 1)}`, '        timeoutSeconds: 30');
  }
  lines.push('extra:');
  while (lines.length < VALUES_LINES) lines.push(`  key${lines.length}: value ${lines.length}`);
  return `${lines.join('\n')}\n`;
}

function chartProject(): ProjectFiles {
  const files: Record<string, string> = {
    [`${DIR}/Chart.yaml`]: 'apiVersion: v2\nname: platform\nversion: 1.0.0\nappVersion: "2.0.0"\n',
    [`${DIR}/values.yaml`]: valuesYaml(),
    [`${DIR}/templates/_helpers.tpl`]: HELPERS,
  };
  const add = (name: string, text: string) => (files[`${DIR}/templates/${name}`] = text);
  for (let i = 0; i < 12; i++) add(`deployment-${i}.yaml`, workload(i, 'Deployment'));
  for (let i = 12; i < COMPONENTS; i++) add(`statefulset-${i}.yaml`, workload(i, 'StatefulSet'));
  for (let i = 0; i < 4; i++) add(`cronjob-${i}.yaml`, cronJob(i));
  for (let i = 0; i < 6; i++) add(`hpa-${i}.yaml`, hpa(2 * i + 1));
  for (let i = 0; i < 8; i++) add(`service-${i}.yaml`, service(i));
  for (let i = 0; i < 6; i++) add(`configmap-${i}.yaml`, configMap(i));
  return { name: DIR, path: DIR, kind: 'helm', files };
}

function main(): void {
  const project = chartProject();
  const templates = Object.keys(project.files).filter((f) => f.includes('/templates/') && !f.split('/').pop()?.startsWith('_')).length;
  const valuesLines = (project.files[`${DIR}/values.yaml`] as string).split('\n').length - 1;
  const config = makeConfig({
    kubernetes: {
      region: 'us-east-1',
      nodePools: [
        { name: 'cpu', instanceType: 'm6i.2xlarge' },
        { name: 'gpu', instanceType: 'g5.2xlarge', labels: { workload: 'gpu' }, taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }] },
      ],
    },
  });
  const b0 = performance.now();
  const book = loadEmbeddedPriceBook();
  const bookMs = performance.now() - b0;

  const t0 = performance.now();
  const first = breakdown([project], book, { config });
  const coldMs = performance.now() - t0;
  const p = first.projects[0];
  const errors = p?.errors.filter((e) => e.severity !== 'warning') ?? [];
  if (!p || errors.length) throw new Error(`bench chart failed: ${JSON.stringify(errors[0] ?? 'no project')}`);
  const passes = 10;
  const t1 = performance.now();
  for (let i = 0; i < passes; i++) breakdown([project], book, { config });
  const warmMs = (performance.now() - t1) / passes;
  process.stdout.write(`${JSON.stringify({
    name: 'helm chart render + price, 40 templates, 2,000-line values',
    ms: Math.round(coldMs * 10) / 10,
    warmMs: Math.round(warmMs * 10) / 10,
    bookMs: Math.round(bookMs * 10) / 10,
    templates,
    valuesLines,
    resources: p.resources.length,
    pricedResources: p.resources.filter((r) => r.monthlyCost !== null).length,
    monthlyCost: p.totalMonthlyCost,
    targetMs: 500,
  })}\n`);
}

main();
