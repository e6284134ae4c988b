/** Helm's additions: include, tpl, required/fail, .Files, .Capabilities, subcharts, lookup... */
import { describe, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { renderTemplates } from '../../../src/analyzers/helm/template/index.js';
import { NAME, input, render, renderError } from './render-helper.js';

const HELPERS = `{{/* Common helpers */}}
{{- define "mychart.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "mychart.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
`;

describe('include, nindent and toYaml', () => {
  it('produce exactly indented YAML', () => {
    const src = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "mychart.fullname" . }}
  labels:
    {{- include "mychart.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      containers:
        - name: app
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
          {{- end }}
      tolerations:
        {{- toYaml .Values.tolerations | nindent 8 }}
`;
    const values = {
      replicaCount: 3,
      resources: { requests: { cpu: '250m' }, limits: { memory: '1Gi', cpu: '500m' } },
      nodeSelector: { disk: 'ssd' },
      tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
    };
    const expected = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: rel-mychart
  labels:
    app.kubernetes.io/name: mychart
    app.kubernetes.io/instance: rel
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: app
          resources:
            limits:
              cpu: 500m
              memory: 1Gi
            requests:
              cpu: 250m
      nodeSelector:
        disk: ssd
      tolerations:
        - effect: NoSchedule
          key: gpu
          operator: Exists
`;
    expect(render(src, values, { templates: { 'mychart/templates/_helpers.tpl': HELPERS } })).toBe(expected);
  });

  it('include returns a string that pipes like any other', () => {
    const templates = { 'mychart/templates/_helpers.tpl': HELPERS };
    expect(render('{{ include "mychart.fullname" . | upper | quote }}', {}, { templates })).toBe('"REL-MYCHART"');
    expect(render('{{ $n := include "mychart.fullname" . }}{{ len $n }}', {}, { templates })).toBe('11');
  });

  it('include of a missing template is an error', () => {
    expect(renderError('{{ include "nope" . }}').message).toBe('error calling include: template: no template "nope" associated with template "gotpl"');
  });

  it('defines are visible from every template of the chart', () => {
    const r = renderTemplates(input({
      'mychart/templates/a.yaml': '{{ include "from-b" . }}',
      'mychart/templates/b.yaml': '{{ define "from-b" }}B{{ end }}b',
    }));
    expect(r.outputs).toEqual({ 'mychart/templates/a.yaml': 'B', 'mychart/templates/b.yaml': 'b' });
  });
});

describe('tpl', () => {
  it('renders a values string as a template with the given data', () => {
    const values = { nameTpl: '{{ .Release.Name }}-svc', host: { name: '{{ .Values.domain }}' }, domain: 'example.com' };
    expect(render('name: {{ tpl .Values.nameTpl . }}', values)).toBe('name: rel-svc');
    expect(render('{{ tpl (toYaml .Values.host) . }}', values)).toBe("name: 'example.com'");
  });

  it('sees the chart defines, and can define its own', () => {
    const templates = { 'mychart/templates/_helpers.tpl': HELPERS };
    expect(render('{{ tpl "{{ include \\"mychart.fullname\\" . }}" . }}', {}, { templates })).toBe('rel-mychart');
    expect(render('{{ tpl `{{ define "inner" }}I{{ end }}{{ include "inner" . }}` . }}')).toBe('I');
  });

  it('returns plain text unchanged and drops <no value>', () => {
    expect(render('{{ tpl "plain" . }}|{{ tpl "[{{ .Values.nope }}]" . }}')).toBe('plain|[]');
  });

  it('reports errors inside the tpl text', () => {
    const e = renderError('a: 1\nb: {{ tpl .Values.t . }}', { t: 'x\n{{ fail "inside tpl" }}' });
    expect(e).toMatchObject({ template: NAME, line: 2, kind: 'fail', message: 'inside tpl' });
    expect(e.origin).toMatchObject({ file: NAME, line: 2 });
  });
});

describe('required and fail', () => {
  it('report their message with the template name and line', () => {
    const e = renderError('a: 1\nb: 2\nc: {{ required "c is required" .Values.c }}\n');
    expect(e).toEqual(expect.objectContaining({ template: NAME, line: 3, column: 7, kind: 'fail', message: 'c is required' }));
    expect(renderError('x\n{{ if true }}\n  {{ fail "stop here" }}\n{{ end }}')).toMatchObject({ template: NAME, line: 3, message: 'stop here' });
  });

  it('required passes non-empty values through, including false and 0', () => {
    expect(render('{{ required "m" .Values.a }} {{ required "m" .Values.b }} {{ required "m" .Values.c }}', { a: 'x', b: false, c: 0 })).toBe('x false 0');
    expect(renderError('{{ required "empty string" .Values.s }}', { s: '' }).message).toBe('empty string');
  });

  it('locates a fail inside a define at the include call, with the origin', () => {
    const templates = { 'mychart/templates/_helpers.tpl': 'line1\n{{- define "boom" -}}\n{{ fail "from helper" }}\n{{- end }}' };
    const e = renderError('ok\n{{ include "boom" . }}', {}, { templates });
    expect(e).toMatchObject({ template: NAME, line: 2, message: 'from helper', origin: { file: 'mychart/templates/_helpers.tpl', line: 3 } });
    expect(e.stack).toEqual([`${NAME}:2:4 include "boom"`]);
  });
});

describe('.Files', () => {
  const files = {
    'config/app.properties': 'a=1\nb=2\n',
    'config/log.xml': '<x/>',
    'config/nested/deep.conf': 'deep',
    'README.md': 'hi',
  };

  it('Get returns a file, or "" when it is missing', () => {
    expect(render('{{ .Files.Get "config/app.properties" }}|{{ .Files.Get "nope" }}', {}, { files })).toBe('a=1\nb=2\n|');
  });

  it('Glob selects files; AsConfig and AsSecrets make ConfigMap/Secret data', () => {
    const src = 'data:{{ (.Files.Glob "config/*").AsConfig | nindent 2 }}\nsecret:{{ (.Files.Glob "config/*").AsSecrets | nindent 2 }}';
    expect(render(src, {}, { files })).toBe('data:\n  app.properties: |\n    a=1\n    b=2\n  log.xml: <x/>\nsecret:\n  app.properties: YT0xCmI9Mgo=\n  log.xml: PHgvPg==');
  });

  it('Glob has * within a directory and ** across them; range gives paths and bytes', () => {
    expect(render('{{ range $p, $b := .Files.Glob "config/**" }}{{ $p }}={{ $b | toString }};{{ end }}', {}, { files }))
      .toBe('config/app.properties=a=1\nb=2\n;config/log.xml=<x/>;config/nested/deep.conf=deep;');
    expect(render('{{ range $p, $_ := .Files.Glob "config/*.{xml,conf}" }}{{ $p }} {{ end }}', {}, { files })).toBe('config/log.xml ');
  });

  it('Lines splits a file into lines', () => {
    expect(render('{{ range .Files.Lines "config/app.properties" }}[{{ . }}]{{ end }}', {}, { files })).toBe('[a=1][b=2]');
  });

  it('GetBytes returns bytes', () => {
    expect(render('{{ .Files.GetBytes "README.md" }}', {}, { files })).toBe('[104 105]');
  });
});

describe('.Capabilities', () => {
  it('APIVersions.Has knows the built-in groups (and kinds) by default', () => {
    expect(render('{{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "batch/v1/CronJob" }} {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}'))
      .toBe('true true false');
  });

  it('APIVersions can be given', () => {
    const capabilities = { APIVersions: ['v1', 'monitoring.coreos.com/v1'] };
    expect(render('{{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }} {{ .Capabilities.APIVersions.Has "apps/v1" }}', {}, { capabilities })).toBe('true false');
  });

  it('KubeVersion has Version, Major, Minor, GitVersion and prints as its version', () => {
    expect(render('{{ .Capabilities.KubeVersion.Version }} {{ .Capabilities.KubeVersion.Major }} {{ .Capabilities.KubeVersion.Minor }} {{ .Capabilities.KubeVersion }} {{ .Capabilities.KubeVersion.GitVersion }}'))
      .toBe('v1.31.0 1 31 v1.31.0 v1.31.0');
  });

  it('semverCompare against KubeVersion, with EKS pre-release versions', () => {
    const capabilities = { KubeVersion: { Version: 'v1.25.3-eks-4d2f1d' } };
    const src = '{{ semverCompare ">=1.21-0" .Capabilities.KubeVersion.GitVersion }} {{ semverCompare ">=1.21" .Capabilities.KubeVersion.Version }} {{ semverCompare "<1.19-0" .Capabilities.KubeVersion.Version }}';
    expect(render(src, {}, { capabilities })).toBe('true false false');
    expect(render('{{ if semverCompare ">=1.21-0" .Capabilities.KubeVersion.GitVersion }}policy/v1{{ else }}policy/v1beta1{{ end }}')).toBe('policy/v1');
  });
});

describe('.Release, .Chart, .Template', () => {
  it('expose Helm\'s fields', () => {
    expect(render('{{ .Release.Name }} {{ .Release.Namespace }} {{ .Release.Service }} {{ .Release.IsInstall }} {{ .Release.IsUpgrade }} {{ .Release.Revision }}'))
      .toBe('rel ns Helm true false 1');
    expect(render('{{ .Chart.Name }} {{ .Chart.Version }} {{ .Chart.AppVersion }} [{{ .Chart.Description }}]')).toBe('mychart 1.2.3 4.5.6 []');
    expect(render('{{ .Template.Name }} {{ .Template.BasePath }}')).toBe('mychart/templates/test.yaml mychart/templates');
  });

  it('.Chart is a struct: unknown fields are errors', () => {
    expect(renderError('{{ .Chart.Nope }}').message).toBe("can't evaluate field Nope in type *chart.Metadata");
  });
});

describe('subchart scopes', () => {
  const templates = {
    'parent/templates/cm.yaml': 'parent={{ .Values.name }} chart={{ .Chart.Name }} sub={{ .Values.sub.name }} {{ include "common.label" . }} {{ include "sub.only" . }} {{ .Template.BasePath }} {{ .Subcharts.sub.Values.name }}',
    'parent/templates/_helpers.tpl': '{{ define "common.label" }}parent-label{{ end }}',
    'parent/charts/sub/templates/cm.yaml': 'sub={{ .Values.name }} chart={{ .Chart.Name }} {{ include "common.label" . }} {{ include "sub.only" . }} {{ .Template.Name }} {{ .Files.Get "sub.txt" }}',
    'parent/charts/sub/templates/_helpers.tpl': '{{ define "common.label" }}sub-label{{ end }}{{ define "sub.only" }}only-{{ .Chart.Name }}{{ end }}',
  };
  const r = renderTemplates({
    templates,
    values: { name: 'p', sub: { name: 's' } },
    chart: { name: 'parent', version: '1.0.0' },
    release: { Name: 'rel', Namespace: 'ns' },
    subcharts: { 'parent/charts/sub': { values: { name: 's' }, chart: { name: 'sub', version: '0.1.0' }, files: { 'sub.txt': 'subfile' } } },
  });

  it('renders each chart\'s templates with its own .Values, .Chart and .Files', () => {
    expect(r.errors).toEqual([]);
    expect(r.outputs['parent/templates/cm.yaml']).toBe('parent=p chart=parent sub=s parent-label only-parent parent/templates s');
    expect(r.outputs['parent/charts/sub/templates/cm.yaml']).toBe('sub=s chart=sub parent-label only-sub parent/charts/sub/templates/cm.yaml subfile');
  });

  it('does not render partials', () => {
    expect(Object.keys(r.outputs)).toEqual(['parent/charts/sub/templates/cm.yaml', 'parent/templates/cm.yaml']);
  });
});

describe('lookup and mutation', () => {
  it('lookup always returns an empty map (no cluster)', () => {
    expect(render('{{ $s := lookup "v1" "Secret" .Release.Namespace "x" }}{{ if $s }}found{{ else }}none{{ end }} {{ lookup "v1" "Secret" "" "" | toYaml }}')).toBe('none {}');
  });

  it('values changed by one template are seen by templates rendered after it (Helm order)', () => {
    const r = renderTemplates(input({
      'mychart/templates/a.yaml': 'x={{ .Values.x }}',
      'mychart/templates/b.yaml': '{{ $_ := set .Values "x" "from-b" }}b',
    }, { x: 'orig' }));
    expect(r.outputs['mychart/templates/a.yaml']).toBe('x=from-b');
  });

  it('does not change the caller\'s values', () => {
    const values = { m: { a: 1 } };
    render('{{ $_ := set .Values.m "b" 2 }}', values);
    expect(values).toEqual({ m: { a: 1 } });
  });
});

describe('numbers from values', () => {
  it('prints big YAML integers as Helm does (float64), and exactly through int or toYaml', () => {
    const v = { big: 1000000, cpu: 0.5 };
    expect(render('{{ .Values.big }} {{ .Values.big | int }} {{ toYaml .Values.big }} {{ .Values.cpu }} {{ toJson .Values }}', v))
      .toBe('1e+06 1000000 1000000 0.5 {"big":1000000,"cpu":0.5}');
  });

  it('are not ints: int-only functions reject them as Helm does', () => {
    expect(renderError('{{ trunc .Values.n "abc" }}', { n: 2 }).message).toBe('wrong type for value; expected int; got float64');
    expect(render('{{ trunc (.Values.n | int) "abc" }}', { n: 2 })).toBe('ab');
  });

  it('accept bigint from the caller as int64', () => {
    expect(render('{{ .Values.n }} {{ typeOf .Values.n }}', { n: 5n })).toBe('5 int64');
  });

  it('render a YAML document that parses back', () => {
    const out = render('a: {{ .Values.a }}\nb: {{ .Values.b | quote }}\n', { a: 1.25, b: 'x' });
    expect(parseYaml(out)).toEqual({ a: 1.25, b: 'x' });
  });
});
