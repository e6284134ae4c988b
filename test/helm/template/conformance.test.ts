/**
 * Conformance with what Go's text/template documentation specifies (https://pkg.go.dev/text/template),
 * with Helm's options (missing values print as nothing). Expected outputs are written from the
 * documented semantics.
 */
import { describe, expect, it } from '@jest/globals';
import { render, renderError } from './render-helper.js';

describe('text and actions', () => {
  it('copies text and prints pipeline values', () => {
    expect(render('a{{ "b" }}c{{ 1 }}{{ true }}{{ print nil }}')).toBe('abc1true<nil>');
  });

  it('refuses nil as a command', () => {
    expect(renderError('{{ nil }}').message).toBe('nil is not a command');
  });

  it('drops comments, including multi-line ones', () => {
    expect(render('a{{/* a comment */}}b{{/*\nmulti\nline\n*/}}c')).toBe('abc');
  });

  it('allows newlines inside actions', () => {
    expect(render('{{ printf "%s-%s"\n  "a"\n  "b" }}')).toBe('a-b');
  });
});

describe('trim markers', () => {
  it('trims all white space before {{- and after -}}, newlines included', () => {
    expect(render('a  \n\t {{- "b" -}} \n\n  c')).toBe('abc');
  });

  it('trims on one side only', () => {
    expect(render('a \n{{- "b" }} \nc')).toBe('ab \nc');
    expect(render('a \n{{ "b" -}} \nc')).toBe('a \nbc');
  });

  it('trims between adjacent actions', () => {
    expect(render('{{ 1 }}\n  {{- 2 }}\n  {{- 3 -}}\n  {{ 4 }}')).toBe('1234');
  });

  it('trims around comments', () => {
    expect(render('a\n  {{- /* gone */ -}}\n  b')).toBe('ab');
  });

  it('needs a space after the dash: {{-3}} is the number -3', () => {
    expect(render('x {{-3}} y')).toBe('x -3 y');
  });

  it('keeps the line structure of typical YAML templates', () => {
    const src = 'metadata:\n  labels:\n    {{- if true }}\n    a: b\n    {{- end }}\nspec: {}\n';
    expect(render(src)).toBe('metadata:\n  labels:\n    a: b\nspec: {}\n');
  });
});

describe('pipelines', () => {
  it('passes the previous value as the last argument', () => {
    expect(render('{{ "abc" | printf "%s-%s" "x" }}')).toBe('x-abc');
    expect(render('{{ "hello" | upper | printf "<%s>" }}')).toBe('<HELLO>');
  });

  it('evaluates parenthesised pipelines as arguments', () => {
    expect(render('{{ printf "%s %s" (upper "a") ("b" | upper) }}')).toBe('A B');
    expect(render('{{ (len (list 1 2 3)) }}')).toBe('3');
  });

  it('chains fields on a parenthesised pipeline', () => {
    expect(render('{{ (dict "a" (dict "b" "deep")).a.b }}')).toBe('deep');
  });

  it('rejects a non-executable command after the first stage', () => {
    expect(renderError('{{ 1 | 2 }}').message).toBe('non executable command in pipeline stage 2');
  });

  it('rejects arguments to a non-function', () => {
    expect(renderError('{{ "a" "b" }}').message).toBe("can't give argument to non-function \"a\"");
  });
});

describe('variables', () => {
  it('declares with := and assigns with =', () => {
    expect(render('{{ $x := 1 }}{{ $x }}{{ $x = 2 }}{{ $x }}')).toBe('12');
  });

  it('does not print a declaration', () => {
    expect(render('[{{ $x := "hidden" }}]')).toBe('[]');
  });

  it('lets an assignment in a block change the outer variable', () => {
    expect(render('{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}')).toBe('2');
  });

  it('ends the scope of a variable declared inside range at its end', () => {
    expect(renderError('{{ range list 1 }}{{ $y := . }}{{ end }}{{ $y }}').message).toBe('undefined variable "$y"');
  });

  it('ends the scope of a variable declared by with/if at their end', () => {
    expect(renderError('{{ with $z := 1 }}{{ $z }}{{ end }}{{ $z }}').message).toBe('undefined variable "$z"');
    expect(renderError('{{ if $z := 1 }}{{ end }}{{ $z }}').message).toBe('undefined variable "$z"');
  });

  it('shadows in an inner scope and restores after', () => {
    expect(render('{{ $x := "outer" }}{{ range list 1 }}{{ $x := "inner" }}{{ $x }}{{ end }} {{ $x }}')).toBe('inner outer');
  });

  it('keeps $ as the root data everywhere', () => {
    expect(render('{{ with .Values.a }}{{ $.Values.name }}-{{ .b }}{{ end }}', { name: 'root', a: { b: 'in' } })).toBe('root-in');
    expect(render('{{ range .Values.l }}{{ $.Release.Name }}{{ end }}', { l: [1, 2] })).toBe('relrel');
  });

  it('gives a template call its own $', () => {
    const src = '{{ define "t" }}{{ $ }}{{ end }}{{ template "t" "arg" }}';
    expect(render(src)).toBe('arg');
  });

  it('follows fields of a variable', () => {
    expect(render('{{ $v := .Values }}{{ $v.a.b }}', { a: { b: 'x' } })).toBe('x');
  });
});

describe('if, with, else', () => {
  it('uses Go truth: false, 0, nil and empty values are false', () => {
    const src = '{{ range $i, $v := .Values.l }}{{ if $v }}T{{ else }}F{{ end }}{{ end }}';
    expect(render(src, { l: [false, 0, '', [], {}, null, true, 1, 'x', [0], { a: 1 }, 0.5] })).toBe('FFFFFFTTTTTT');
  });

  it('chains else if', () => {
    const src = '{{ if eq .Values.n 1.0 }}one{{ else if eq .Values.n 2.0 }}two{{ else }}many{{ end }}';
    expect(render(src, { n: 1 })).toBe('one');
    expect(render(src, { n: 2 })).toBe('two');
    expect(render(src, { n: 3 })).toBe('many');
  });

  it('sets dot in with, and runs else (with the old dot) when empty', () => {
    expect(render('{{ with .Values.a }}{{ . }}{{ else }}none{{ end }}', { a: 'x' })).toBe('x');
    expect(render('{{ with .Values.a }}{{ . }}{{ else }}none {{ .Values.b }}{{ end }}', { a: '', b: 'b' })).toBe('none b');
  });

  it('chains else with', () => {
    const src = '{{ with .Values.a }}a={{ . }}{{ else with .Values.b }}b={{ . }}{{ else }}none{{ end }}';
    expect(render(src, { b: 2 })).toBe('b=2');
    expect(render(src, {})).toBe('none');
  });
});

describe('range', () => {
  it('iterates lists with dot, one variable (the element) or two (index, element)', () => {
    expect(render('{{ range .Values.l }}[{{ . }}]{{ end }}', { l: ['a', 'b'] })).toBe('[a][b]');
    expect(render('{{ range $e := .Values.l }}{{ $e }}{{ end }}', { l: ['a', 'b'] })).toBe('ab');
    expect(render('{{ range $i, $e := .Values.l }}{{ $i }}={{ $e }} {{ end }}', { l: ['a', 'b'] })).toBe('0=a 1=b ');
  });

  it('visits map keys in sorted order', () => {
    const src = '{{ range $k, $v := .Values.m }}{{ $k }}:{{ $v }},{{ end }}';
    expect(render(src, { m: { zeta: 1, alpha: 2, Beta: 3, '10': 4, '9': 5 } })).toBe('10:4,9:5,Beta:3,alpha:2,zeta:1,');
  });

  it('runs else for an empty or missing collection', () => {
    const src = '{{ range .Values.l }}x{{ else }}empty{{ end }}';
    expect(render(src, { l: [] })).toBe('empty');
    expect(render(src, { l: {} })).toBe('empty');
    expect(render(src, {})).toBe('empty');
  });

  it('supports break and continue', () => {
    const src = '{{ range $i, $e := until 10 }}{{ if eq $e 2 }}{{ continue }}{{ end }}{{ if eq $e 5 }}{{ break }}{{ end }}{{ $e }}{{ end }}';
    expect(render(src)).toBe('0134');
  });

  it('rejects break outside range', () => {
    expect(renderError('{{ break }}').message).toBe('{{break}} outside {{range}}');
  });

  it('ranges over an integer (Go 1.22)', () => {
    expect(render('{{ range 3 }}{{ . }}{{ end }}')).toBe('012');
  });

  it('allows assignment to existing variables in range', () => {
    expect(render('{{ $i := 0 }}{{ $e := "" }}{{ range $i, $e = list "a" "b" }}{{ end }}{{ $i }}{{ $e }}')).toBe('1b');
  });

  it('cannot iterate over a string or a float', () => {
    expect(renderError('{{ range "abc" }}{{ end }}').message).toBe("range can't iterate over abc");
  });
});

describe('define, template, block', () => {
  it('calls a defined template with a pipeline as dot', () => {
    expect(render('{{ define "t" }}<{{ . }}>{{ end }}{{ template "t" "x" }}{{ template "t" }}')).toBe('<x><>');
  });

  it('reports a missing template at execution', () => {
    expect(renderError('{{ template "nope" }}').message).toBe('template "nope" not defined');
  });

  it('uses the block body unless another file redefines it', () => {
    const src = 'A{{ block "b" . }}default{{ end }}Z';
    expect(render(src)).toBe('AdefaultZ');
    expect(render(src, {}, { templates: { 'mychart/templates/_override.tpl': '{{ define "b" }}override{{ end }}' } })).toBe('AoverrideZ');
  });

  it('does not let an empty define replace a non-empty one', () => {
    const templates = { 'mychart/templates/_a.tpl': '{{ define "x" }}kept{{ end }}', 'mychart/templates/_b.tpl': '{{ define "x" }} {{ end }}' };
    expect(render('{{ template "x" }}', {}, { templates })).toBe('kept');
  });

  it('rejects two definitions of one name in one file', () => {
    expect(renderError('{{ define "x" }}1{{ end }}{{ define "x" }}2{{ end }}').message).toBe('template: multiple definition of template "x"');
  });
});

describe('and, or, not', () => {
  it('short-circuit: the undecided arguments are not evaluated', () => {
    expect(render('{{ and false (fail "x") }}')).toBe('false');
    expect(render('{{ or true (fail "x") }}')).toBe('true');
    expect(render('{{ and 1 0 (fail "x") }}')).toBe('0');
  });

  it('return the deciding argument, or the last one', () => {
    expect(render('{{ and 1 "a" "last" }}|{{ or 0 "" "first" "x" }}|{{ or 0 "" }}|{{ and 1 0 }}')).toBe('last|first||0');
  });

  it('take the pipeline value as their last argument', () => {
    expect(render('{{ "piped" | and 1 }}|{{ "piped" | or 0 }}|{{ "piped" | and 0 }}')).toBe('piped|piped|0');
  });

  it('not negates truth', () => {
    expect(render('{{ not 0 }} {{ not "x" }} {{ not .Values.missing }}')).toBe('true false true');
  });
});

describe('comparisons', () => {
  it('eq with several arguments is true if any matches the first', () => {
    expect(render('{{ eq 1 2 3 1 }} {{ eq "a" "b" "c" }} {{ eq .Values.s "x" "y" }}', { s: 'y' })).toBe('true false true');
  });

  it('compares integers of any type by value', () => {
    expect(render('{{ eq 3 (add 1 2) }} {{ lt (len (list 1)) 2 }} {{ ge (int64 5) 5 }}')).toBe('true true true');
  });

  it('compares floats with floats (values from YAML are float64)', () => {
    expect(render('{{ eq .Values.n 2.0 }} {{ lt .Values.n 2.5 }} {{ gt 1.5 .Values.n }}', { n: 2 })).toBe('true true false');
  });

  it('refuses to compare an int with a float, as Go does', () => {
    expect(renderError('{{ eq 1 1.0 }}').message).toBe('error calling eq: incompatible types for comparison');
    expect(renderError('{{ lt .Values.replicas 3 }}', { replicas: 2 }).message).toBe('error calling lt: incompatible types for comparison');
  });

  it('compares strings lexically', () => {
    expect(render('{{ lt "abc" "abd" }} {{ gt "b" "abc" }} {{ le "a" "a" }} {{ ne "a" "b" }}')).toBe('true true true true');
  });

  it('treats nil as unequal to values, and comparable to nil', () => {
    expect(render('{{ eq .Values.missing "x" }} {{ eq .Values.missing nil }} {{ ne .Values.missing "" }}')).toBe('false true true');
  });

  it('rejects ordering of nil and of bools', () => {
    expect(renderError('{{ lt .Values.missing 1 }}').message).toBe('error calling lt: invalid type for comparison');
    expect(renderError('{{ lt true false }}').message).toBe('error calling lt: invalid type for comparison');
  });
});

describe('index, len, slice', () => {
  it('indexes nested lists and maps in one call', () => {
    const v = { l: [{ a: ['x', 'y'] }], m: { k: { j: 'deep' } } };
    expect(render('{{ index .Values.l 0 "a" 1 }} {{ index .Values.m "k" "j" }} {{ index .Values "m" "k" "j" }}', v)).toBe('y deep deep');
  });

  it('gives nothing for a missing map key and an error out of range', () => {
    expect(render('[{{ index .Values.m "nope" }}]', { m: {} })).toBe('[]');
    expect(renderError('{{ index .Values.l 5 }}', { l: [1] }).message).toBe('error calling index: index out of range: 5');
  });

  it('requires integer list indexes (YAML numbers are floats)', () => {
    expect(renderError('{{ index .Values.l .Values.i }}', { l: [1], i: 0 }).message).toBe('error calling index: cannot index slice/array with type float64');
  });

  it('indexes a string to a byte', () => {
    expect(render('{{ index "abc" 1 }}')).toBe('98');
  });

  it('measures strings in bytes, lists and maps in elements', () => {
    expect(render('{{ len "héllo" }} {{ len .Values.l }} {{ len .Values.m }}', { l: [1, 2, 3], m: { a: 1 } })).toBe('6 3 1');
    expect(renderError('{{ len 3 }}').message).toBe('error calling len: len of type int');
  });

  it('slices lists and strings', () => {
    expect(render('{{ slice (list 1 2 3 4) 1 3 }} {{ slice (list 1 2 3) 1 }} {{ slice "abcdef" 1 3 }}')).toBe('[2 3] [2 3] bc');
  });
});

describe('missing keys (Helm: missingkey=zero, "<no value>" removed)', () => {
  it('prints missing and null values as nothing', () => {
    expect(render('[{{ .Values.nope }}][{{ .Values.nul }}]', { nul: null })).toBe('[][]');
  });

  it('treats missing values as false', () => {
    expect(render('{{ if .Values.nope }}y{{ else }}n{{ end }}')).toBe('n');
  });

  it('fails on a field of a missing value, as Helm does', () => {
    expect(renderError('{{ .Values.nope.deeper }}').message).toBe('nil pointer evaluating interface {}.deeper');
  });

  it('allows the (.a).b idiom and fields of empty variables', () => {
    expect(render('[{{ (.Values.nope).deeper }}][{{ $x := .Values.nope }}{{ $x.deeper }}]')).toBe('[][]');
  });

  it('passes nil to functions that take anything', () => {
    expect(render('{{ printf "%v" .Values.nope }} {{ .Values.nope | default "d" }} {{ toString .Values.nope }}')).toBe('<nil> d <nil>');
  });

  it('rejects nil where a string is required', () => {
    expect(renderError('{{ .Values.nope | upper }}').message).toBe('invalid value; expected string');
  });
});

describe('print functions and numbers', () => {
  it('print adds spaces between operands when neither is a string', () => {
    expect(render('{{ print 1 2 }}|{{ print "a" 1 "b" }}|{{ print "a" "b" }}|{{ println "a" 1 }}')).toBe('1 2|a1b|ab|a 1\n');
  });

  it('prints float64 as Go %v does, ints plainly', () => {
    const v = { a: 1, b: 1.5, c: 1000000, d: 123456789, e: 0.00001, f: 100000 };
    expect(render('{{ .Values.a }} {{ .Values.b }} {{ .Values.c }} {{ .Values.d }} {{ .Values.e }} {{ .Values.f }}', v))
      .toBe('1 1.5 1e+06 1.23456789e+08 1e-05 100000');
    expect(render('{{ 1000000 }} {{ int .Values.c }} {{ 2.50 }} {{ 1e3 }}', v)).toBe('1000000 1000000 2.5 1000');
  });

  it('printf verbs, widths, precisions and flags', () => {
    expect(render('{{ printf "%s|%d|%v|%q|%t|%x|%X|%o|%b|%c|%%" "s" 42 3.5 "q\\"" true 255 255 8 5 65 }}'))
      .toBe('s|42|3.5|"q\\""|true|ff|FF|10|101|A|%');
    expect(render('{{ printf "%.2f|%8.3f|%-6d|%06d|%+d|%e|%g|%5s|%-5s|%.2s" 3.14159 2.5 42 42 42 1234.5678 0.000012 "ab" "ab" "abc" }}'))
      .toBe('3.14|   2.500|42    |000042|+42|1.234568e+03|1.2e-05|   ab|ab   |ab');
    expect(render('{{ printf "%#x|%x|%08.3f|%v|%v" 255 "hi" -3.14159 (list 1 "a") (dict "b" 2 "a" 1) }}')).toBe('0xff|6869|-003.142|[1 a]|map[a:1 b:2]');
  });

  it('printf reports mismatches without failing', () => {
    expect(render('{{ printf "%d" .Values.n }}|{{ printf "%s" 3 }}|{{ printf "%d %d" 1 }}|{{ printf "%d" 1 2 }}', { n: 3 }))
      .toBe('%!d(float64=3)|%!s(int=3)|1 %!d(MISSING)|1%!(EXTRA int=2)');
  });
});

describe('html, js, urlquery', () => {
  it('escapes', () => {
    expect(render('{{ html "<a href=\'x\'>&</a>" }}')).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
    expect(render('{{ js "it\'s <b>" }}')).toBe('it\\\'s \\u003Cb\\u003E');
    expect(render('{{ urlquery "a b&c=d/é" }}')).toBe('a+b%26c%3Dd%2F%C3%A9');
  });

  it('call is unsupported', () => {
    expect(renderError('{{ call .Values.f }}', { f: 'x' }).message).toMatch(/^error calling call: non-function/);
  });
});

describe('parse errors', () => {
  it('reports unknown functions at parse time', () => {
    const e = renderError('line1\n{{ nosuchfunc 1 }}');
    expect(e).toMatchObject({ kind: 'parse', line: 2, message: 'function "nosuchfunc" not defined' });
  });

  it('reports unclosed actions and stray ends', () => {
    expect(renderError('a\nb {{ if true }}x').message).toBe('unexpected EOF');
    expect(renderError('a {{ "x"').message).toBe('unclosed action');
    expect(renderError('{{ end }}')).toMatchObject({ kind: 'parse', line: 1, message: 'unexpected {{end}}' });
  });

  it('reports undefined variables', () => {
    expect(renderError('{{ $nope }}').message).toBe('undefined variable "$nope"');
  });
});
