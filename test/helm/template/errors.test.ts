/**
 * A broken template reports an error (template, line, column) and the others still render;
 * hostile templates end with an error in bounded time and memory.
 */
import { describe, expect, it } from '@jest/globals';
import { renderTemplates, type RenderResult } from '../../../src/analyzers/helm/template/index.js';
import { NAME, input, renderError } from './render-helper.js';

const GOOD = 'mychart/templates/good.yaml';

function withGood(src: string, values: unknown = {}): RenderResult {
  return renderTemplates(input({ [NAME]: src, [GOOD]: 'kind: ConfigMap\nname: {{ .Release.Name }}\n' }, values));
}

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = Date.now();
  const value = f();
  return { value, ms: Date.now() - t0 };
}

describe('syntax errors', () => {
  it.each([
    ['an unclosed action', 'a: 1\nb: {{ .Values.x\n', 2, 'unclosed action'],
    ['an action running into the next line', 'a: 1\nb: {{ .Values.x\nc: 3\n', 3, 'function "c" not defined'],
    ['an unknown function', 'a: 1\nb: 2\nc: {{ frobnicate .Values.x }}\n', 3, 'function "frobnicate" not defined'],
    ['an end without a block', 'a: 1\n{{ end }}\n', 2, 'unexpected {{end}}'],
    ['an if without an end', 'a: 1\n{{ if .Values.x }}\nb: 2\n', 4, 'unexpected EOF'],
    ['an else outside a block', '{{ else }}', 1, 'unexpected {{else}}'],
    ['a bad character', '{{ .Values.my-key }}', 1, "bad character U+002D '-'"],
    ['an unterminated string', 'x\n{{ "abc }}', 2, 'unterminated quoted string'],
    ['an unclosed comment', '{{/* no end', 1, 'unclosed comment'],
    ['a define inside an action', '{{ if true }}{{ define "x" }}{{ end }}{{ end }}', 1, 'unexpected <define> in command'],
  ])('%s: reports template and line; the other templates render', (_what, src, line, message) => {
    const r = withGood(src);
    expect(r.errors).toEqual([expect.objectContaining({ template: NAME, line, kind: 'parse', message })]);
    expect(r.outputs).toEqual({ [GOOD]: 'kind: ConfigMap\nname: rel\n' });
  });

  it('gives a column', () => {
    expect(renderError('ab {{ nope }}')).toMatchObject({ line: 1, column: 7 });
  });

  it('drops the defines of a file that does not parse, keeps the others', () => {
    const r = renderTemplates(input({
      'mychart/templates/_broken.tpl': '{{ define "a" }}A{{ end }}{{ define "b" }}{{ nope }}{{ end }}',
      'mychart/templates/_ok.tpl': '{{ define "c" }}C{{ end }}',
      [NAME]: '{{ include "c" . }}',
    }));
    expect(r.errors).toEqual([expect.objectContaining({ template: 'mychart/templates/_broken.tpl', kind: 'parse' })]);
    expect(r.outputs[NAME]).toBe('C');
  });
});

describe('execution errors', () => {
  it('report the failing action', () => {
    const r = withGood('a: 1\nb: {{ .Values.x.y }}\n');
    expect(r.errors).toEqual([{
      template: NAME, line: 2, column: 7, kind: 'exec', message: 'nil pointer evaluating interface {}.y', near: '.Values.x.y',
    }]);
    expect(Object.keys(r.outputs)).toEqual([GOOD]);
  });

  it('inside a define, report the call site in the template and the origin', () => {
    const r = renderTemplates(input({
      'mychart/templates/_helpers.tpl': '{{ define "inner" }}\n{{ .missing.field }}\n{{ end }}\n{{ define "outer" }}{{ include "inner" . }}{{ end }}',
      [NAME]: 'x: 1\ny: {{ include "outer" .Values }}\n',
    }));
    expect(r.errors[0]).toMatchObject({
      template: NAME,
      line: 2,
      column: 7,
      message: 'nil pointer evaluating interface {}.field',
      origin: { file: 'mychart/templates/_helpers.tpl', line: 2, column: 4 },
      stack: ['mychart/templates/_helpers.tpl:4:24 include "inner"', `${NAME}:2:7 include "outer"`],
    });
  });

  it('never throw, whatever the input', () => {
    const r = renderTemplates({
      templates: { [NAME]: '{{ .Values }}', 'x.yaml': '{{ .Release.Name }}' },
      values: undefined,
      chart: {},
      release: { Name: 'r', Namespace: 'n' },
    });
    expect(r.errors).toEqual([]);
    expect(r.outputs).toEqual({ [NAME]: 'map[]', 'x.yaml': 'r' });
  });
});

describe('hostile templates end with an error in bounded time', () => {
  it('infinite recursion through include', () => {
    const { value: e, ms } = timed(() => renderError('{{ define "loop" }}{{ include "loop" . }}{{ end }}{{ include "loop" . }}'));
    expect(e).toMatchObject({ kind: 'limit', template: NAME, line: 1 });
    expect(e.message).toMatch(/nested deeper than 100 levels/);
    expect(ms).toBeLessThan(5000);
  });

  it('mutual recursion through template', () => {
    const e = renderError('{{ define "a" }}{{ template "b" . }}{{ end }}{{ define "b" }}x{{ template "a" . }}{{ end }}{{ template "a" . }}');
    expect(e.kind).toBe('limit');
  });

  it('recursion through tpl', () => {
    const e = renderError('{{ tpl .Values.t . }}', { t: '{{ tpl .Values.t . }}' });
    expect(e.kind).toBe('limit');
  });

  it('a 10^9-iteration until', () => {
    const { value: e, ms } = timed(() => renderError('{{ range until 1000000000 }}x{{ end }}'));
    expect(e).toMatchObject({ kind: 'limit', message: expect.stringMatching(/1000000000 elements exceed the engine's limit/) });
    expect(ms).toBeLessThan(5000);
  });

  it('nested loops that never finish in practice', () => {
    const { value: e, ms } = timed(() => renderError('{{ range until 1000000 }}{{ range until 1000000 }}{{ end }}{{ end }}'));
    expect(e).toMatchObject({ kind: 'limit', message: expect.stringMatching(/step budget/) });
    expect(ms).toBeLessThan(20000);
  });

  it('deeply nested parenthesised pipelines and blocks', () => {
    const deep = `{{ ${'('.repeat(100000)}1${')'.repeat(100000)} }}`;
    const { value: e, ms } = timed(() => renderError(deep));
    expect(e).toMatchObject({ kind: 'parse', message: expect.stringMatching(/max expression depth exceeded/) });
    expect(ms).toBeLessThan(5000);
    expect(renderError(`${'{{ if true }}'.repeat(20000)}x${'{{ end }}'.repeat(20000)}`).message).toMatch(/max expression depth exceeded/);
  });

  it('a string that doubles in a loop', () => {
    const { value: e, ms } = timed(() => renderError('{{ $s := "x" }}{{ range until 100 }}{{ $s = printf "%s%s" $s $s }}{{ end }}{{ $s }}'));
    expect(e.kind).toBe('limit');
    expect(ms).toBeLessThan(5000);
  });

  it('huge repeat, indent and printf widths', () => {
    expect(renderError('{{ repeat 1000000000 "x" }}').kind).toBe('limit');
    expect(renderError('{{ indent 1000000000 "x\\ny" }}').kind).toBe('limit');
    expect(renderError('{{ printf "%1000000000d" 1 }}').kind).toBe('limit');
  });

  it('output that grows without bound', () => {
    const { value: e, ms } = timed(() => renderError(`{{ range until 900000 }}${'x'.repeat(100)}{{ end }}`));
    expect(e).toMatchObject({ kind: 'limit', message: expect.stringMatching(/output exceeds/) });
    expect(ms).toBeLessThan(10000);
  });

  it('self-referencing data', () => {
    expect(renderError('{{ $d := dict }}{{ $_ := set $d "self" $d }}{{ $d }}').kind).toBe('limit');
    expect(renderError('{{ $d := dict }}{{ $_ := set $d "self" $d }}{{ deepCopy $d }}').kind).toBe('limit');
  });

  it('a render past its time budget', () => {
    let now = 0;
    const r = renderTemplates({ ...input({ [NAME]: '{{ range until 100000 }}{{ . }}{{ end }}' }), clock: () => (now += 50), limits: { timeoutMs: 100 } });
    expect(r.errors).toEqual([expect.objectContaining({ kind: 'limit', message: expect.stringMatching(/time budget/) })]);
  });

  it('patterns built to backtrack: Files.Glob, semverCompare, regexMatch, base', () => {
    const files = { [`data/${'a'.repeat(200)}`]: 'x' };
    const { value: out, ms } = timed(() => renderTemplates({
      ...input({ [NAME]: '{{ len (.Files.Glob (printf "data/%sb" (repeat 40 "*a"))) }}|{{ regexMatch "^(a|a)*$" (printf "%s!" (repeat 2000 "a")) }}|{{ regexMatch "^\\\\p{Greek}+$" "αβγ" }}|{{ len (base (printf "%sx" (repeat 200000 "/"))) }}' }),
      files,
    }));
    expect(out.errors).toEqual([]);
    expect(out.outputs[NAME]).toBe('0|false|true|1');
    const semver = timed(() => renderError(`{{ semverCompare (printf "%s!" (repeat 200 ">1  ")) "1.0.0" }}`));
    expect(semver.value.message).toMatch(/^error calling semverCompare: improper constraint/);
    expect(ms + semver.ms).toBeLessThan(10000);
  });

  it('values rebuilt in a loop (quadratic append, repeated deepCopy and merge)', () => {
    const big = { m: Object.fromEntries(Array.from({ length: 20000 }, (_, i) => [`k${i}`, { v: i }])) };
    const { value: errs, ms } = timed(() => [
      renderError('{{ $l := list }}{{ range until 200000 }}{{ $l = append $l 1 }}{{ end }}'),
      renderError('{{ range until 100000 }}{{ $_ := deepCopy $.Values.m }}{{ end }}', big),
      renderError('{{ range until 100000 }}{{ $_ := merge (dict) $.Values.m }}{{ end }}', big),
      renderError('{{ $s := "" }}{{ range until 100000 }}{{ $s = printf "%s%s" $s "0123456789" }}{{ end }}'),
    ]);
    expect(errs.map((e) => e.kind)).toEqual(['limit', 'limit', 'limit', 'limit']);
    expect(ms).toBeLessThan(20000);
  });

  it('limits can be tightened', () => {
    const r = renderTemplates({ ...input({ [NAME]: '{{ range until 1000 }}x{{ end }}' }), limits: { maxSteps: 500 } });
    expect(r.errors[0]?.kind).toBe('limit');
  });
});
