/**
 * Renders a generated chart of 40 templates (plus a _helpers.tpl) against a 2,000-line
 * values.yaml with the Go template engine, and prints one JSON line of figures.
 *
 *   npx tsx bench/helm-template.ts
 *
 * `ms` is the first (cold) render in a fresh process, which is what a CLI run pays; `warmMs`
 * the average of later renders. The 500 ms target is for the whole pipeline, pricing included.
 */
import { parse as parseYaml } from 'yaml';
import { renderTemplates, type RenderInput } from '../src/analyzers/helm/template/index.js';

const COMPONENTS = 20;
const VALUES_LINES = 2000;

const HELPERS = `{{/* Generated helpers */}}
{{- define "bench.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "bench.fullname" -}}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "bench.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "bench.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "bench.component" -}}
{{- $c := index .Values.components .component -}}
{{ toYaml $c.resources }}
{{- end }}
`;

function deployment(i: number): string {
  return `{{- $c := index .Values.components ${i} }}
{{- if $c.enabled }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "bench.fullname" . }}-{{ $c.name }}
  labels:
    {{- include "bench.labels" . | nindent 4 }}
    component: {{ $c.name | quote }}
  {{- with $c.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  replicas: {{ $c.replicas | int }}
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ include "bench.name" . }}
      component: {{ $c.name }}
  template:
    metadata:
      labels:
        {{- include "bench.labels" . | nindent 8 }}
    spec:
      {{- if semverCompare ">=1.21-0" .Capabilities.KubeVersion.GitVersion }}
      enableServiceLinks: false
      {{- end }}
      containers:
        - name: {{ $c.name }}
          image: "{{ $c.image.repository }}:{{ $c.image.tag | default .Chart.AppVersion }}"
          imagePullPolicy: {{ $c.image.pullPolicy | default "IfNotPresent" }}
          env:
            {{- range $k, $v := $c.env }}
            - name: {{ $k | upper | replace "-" "_" }}
              value: {{ tpl (toString $v) $ | quote }}
            {{- end }}
          ports:
            {{- range $c.ports }}
            - name: {{ .name }}
              containerPort: {{ .port | int }}
              protocol: {{ .protocol | default "TCP" }}
            {{- end }}
          resources:
            {{- include "bench.component" (dict "Values" .Values "component" ${i}) | nindent 12 }}
      {{- with $c.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $c.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}
`;
}

function service(i: number): string {
  return `{{- $c := index .Values.components ${i} }}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "bench.fullname" . }}-{{ $c.name }}
  labels:
    {{- include "bench.labels" . | nindent 4 }}
spec:
  type: {{ $c.service.type }}
  ports:
    {{- range $p := $c.ports }}
    - port: {{ $p.port | int }}
      targetPort: {{ $p.name }}
      name: {{ $p.name }}
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
  name: {{ include "bench.fullname" . }}-{{ $c.name }}-config
data:
  config.yaml: |
    {{- toYaml $c.config | nindent 4 }}
  settings.json: {{ $c.config | toJson | quote }}
`;
}

function hpa(i: number): string {
  return `{{- $c := index .Values.components ${i} }}
{{- if $c.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "bench.fullname" . }}-{{ $c.name }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "bench.fullname" . }}-{{ $c.name }}
  minReplicas: {{ $c.autoscaling.minReplicas | int }}
  maxReplicas: {{ $c.autoscaling.maxReplicas | int }}
  metrics:
    {{- range $c.autoscaling.metrics }}
    - type: Resource
      resource:
        name: {{ .name }}
        target:
          type: Utilization
          averageUtilization: {{ .target | int }}
    {{- end }}
{{- end }}
`;
}

function valuesYaml(): string {
  const lines: string[] = ['nameOverride: ""', 'domain: example.com', 'components:'];
  for (let i = 0; i < COMPONENTS; i++) {
    lines.push(
      `  - name: svc${i}`,
      '    enabled: true',
      `    replicas: ${1 + (i % 3)}`,
      '    image:',
      `      repository: registry.example.com/team/svc${i}`,
      `      tag: "1.${i}.0"`,
      '      pullPolicy: IfNotPresent',
      '    annotations:',
      '      prometheus.io/scrape: "true"',
      `      prometheus.io/port: "${9000 + i}"`,
      '    env:',
    );
    for (let e = 0; e < 12; e++) lines.push(`      var-${e}: "value-${e}-{{ .Release.Name }}.{{ .Values.domain }}"`);
    lines.push('    ports:');
    for (let p = 0; p < 3; p++) lines.push(`      - name: port${p}`, `        port: ${8080 + p}`, '        protocol: TCP');
    lines.push(
      '    service:',
      '      type: ClusterIP',
      '    resources:',
      '      requests:',
      `        cpu: ${100 + i * 10}m`,
      `        memory: ${128 + i * 16}Mi`,
      '      limits:',
      `        cpu: "${1 + (i % 4)}"`,
      `        memory: ${512 + i * 32}Mi`,
      `        nvidia.com/gpu: ${i % 5 === 0 ? 1 : 0}`,
      '    nodeSelector:',
      '      kubernetes.io/os: linux',
      `      node.kubernetes.io/instance-type: m5.${['large', 'xlarge', '2xlarge'][i % 3]}`,
      '    tolerations:',
      '      - key: dedicated',
      '        operator: Equal',
      `        value: team${i % 4}`,
      '        effect: NoSchedule',
      '    autoscaling:',
      `      enabled: ${i % 2 === 0}`,
      '      minReplicas: 2',
      '      maxReplicas: 10',
      '      metrics:',
      '        - name: cpu',
      '          target: 70',
      '        - name: memory',
      '          target: 80',
      '    config:',
      '      logging:',
      '        level: info',
      '        format: json',
      '      features:',
    );
    for (let f = 0; f < 8; f++) lines.push(`        feature${f}: ${f % 2 === 0}`);
    lines.push('      limits:', `        maxConnections: ${100 * (i + 1)}`, '        timeoutSeconds: 30');
  }
  lines.push('extra:');
  while (lines.length < VALUES_LINES) lines.push(`  key${lines.length}: value ${lines.length}`);
  return `${lines.join('\n')}\n`;
}

function chart(): { input: RenderInput; valuesParseMs: number } {
  const templates: Record<string, string> = { 'bench/templates/_helpers.tpl': HELPERS };
  for (let i = 0; i < 15; i++) templates[`bench/templates/deployment-${i}.yaml`] = deployment(i);
  for (let i = 0; i < 10; i++) templates[`bench/templates/service-${i}.yaml`] = service(i);
  for (let i = 0; i < 8; i++) templates[`bench/templates/configmap-${i}.yaml`] = configMap(i);
  for (let i = 0; i < 7; i++) templates[`bench/templates/hpa-${i}.yaml`] = hpa(i);
  const text = valuesYaml();
  const t0 = performance.now();
  const values = parseYaml(text) as unknown;
  const valuesParseMs = performance.now() - t0;
  return {
    input: {
      templates,
      values,
      chart: { name: 'bench', version: '1.0.0', appVersion: '2.0.0' },
      release: { Name: 'rel', Namespace: 'ns' },
    },
    valuesParseMs,
  };
}

function main(): void {
  const { input, valuesParseMs } = chart();
  const rendered = Object.keys(input.templates).filter((t) => !t.split('/').pop()?.startsWith('_')).length;
  const t0 = performance.now();
  const first = renderTemplates(input);
  const coldMs = performance.now() - t0;
  if (first.errors.length > 0) throw new Error(`bench chart failed to render: ${JSON.stringify(first.errors[0])}`);
  const passes = 20;
  const t1 = performance.now();
  for (let i = 0; i < passes; i++) renderTemplates(input);
  const warmMs = (performance.now() - t1) / passes;
  const outputChars = Object.values(first.outputs).reduce((n, s) => n + s.length, 0);
  process.stdout.write(`${JSON.stringify({
    name: 'helm template render, 40 templates, 2,000-line values',
    ms: Math.round(coldMs * 10) / 10,
    warmMs: Math.round(warmMs * 10) / 10,
    valuesParseMs: Math.round(valuesParseMs * 10) / 10,
    templates: rendered,
    valuesLines: VALUES_LINES,
    outputChars,
    steps: first.stats.steps,
    targetMs: 500,
  })}\n`);
}

main();
