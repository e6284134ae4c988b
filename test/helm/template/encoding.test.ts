/**
 * toYaml as Helm prints it (sigs.k8s.io/yaml: JSON, then go-yaml v2's emitter), toYamlPretty,
 * toJson & co., fromYaml/fromJson, toToml. Expectations follow go-yaml v2's documented rules:
 * keys in its natural order, quoting only what would read back as another type, literal blocks
 * for multi-line strings, folding at 80 columns.
 */
import { describe, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { fromYaml, toYaml } from '../../../src/analyzers/helm/template/index.js';
import { render } from './render-helper.js';

describe('toYaml', () => {
  it('orders keys as go-yaml v2 does (digit runs by value, letters after other characters)', () => {
    expect(toYaml({ b: 1, a: 2, a10: 1, a2: 1, a_b: 1, aB: 1 })).toBe('a: 2\na_b: 1\na2: 1\na10: 1\naB: 1\nb: 1');
  });

  it('quotes strings that would read back as something else, and only those', () => {
    const v = {
      t: 'true', y: 'yes', n: 'no', num: '123', f: '1.5', e: '', nul: 'null', tilde: '~', date: '2024-01-01',
      colon: 'a: b', hash: 'a #b', star: '*x', dash: '- x', lead: ' x', trail: 'x ', tab: 'a\tb', plain: 'hello world',
      oct: '0777', hex: '0x1F', dot: '.5', base60: '1:20', semver: '1.2.3', version: 'v1', q: "it's",
    };
    expect(toYaml(v)).toBe([
      'base60: "1:20"', "colon: 'a: b'", "dash: '- x'", 'date: "2024-01-01"', 'dot: ".5"', 'e: ""', 'f: "1.5"',
      "hash: 'a #b'", 'hex: "0x1F"', "lead: ' x'", '"n": "no"', 'nul: "null"', 'num: "123"', 'oct: "0777"',
      'plain: hello world', "q: it's", 'semver: 1.2.3', "star: '*x'", 't: "true"', 'tab: "a\\tb"', 'tilde: "~"',
      "trail: 'x '", 'version: v1', '"y": "yes"',
    ].join('\n'));
  });

  it('writes multi-line strings as literal blocks with the right chomping', () => {
    const v = { script: 'line1\nline2\n', s2: 'a\nb', s3: 'a\n\n', lead: '  indented\nx', trailsp: 'a \nb' };
    expect(toYaml(v)).toBe('lead: |2-\n    indented\n  x\ns2: |-\n  a\n  b\ns3: |+\n  a\n\nscript: |\n  line1\n  line2\ntrailsp: "a \\nb"');
  });

  it('does not indent lists under their key; nests maps in lists on the dash line', () => {
    const v = { list: [1, 'two', { b: ['x', 'z'], a: 1 }, [3, 4], []], map: {}, nested: { deep: { deeper: null } } };
    expect(toYaml(v)).toBe('list:\n- 1\n- two\n- a: 1\n  b:\n  - x\n  - z\n- - 3\n  - 4\n- []\nmap: {}\nnested:\n  deep:\n    deeper: null');
  });

  it('quotes y and n, which go-yaml v2 reads as booleans (YAML 1.1)', () => {
    expect(toYaml({ n: ['y', 'n', 'x'] })).toBe('"n":\n- "y"\n- "n"\n- x');
  });

  it('folds long plain strings after column 80, continuing at the value indent', () => {
    const words = Array.from({ length: 20 }, (_, i) => `word${String(i + 1).padStart(4, '0')}`);
    const line = (a: number, b: number): string => words.slice(a, b).join(' ');
    expect(toYaml({ k: words.join(' ') })).toBe(`k: ${line(0, 9)}\n  ${line(9, 18)}\n  ${line(18, 20)}`);
    expect(parseYaml(toYaml({ k: words.join(' ') }))).toEqual({ k: words.join(' ') });
  });

  it('prints numbers as JSON then go-yaml would', () => {
    expect(toYaml({ i: 1, f: 1.5, big: 1000000, huge: 1e21, small: 1e-7 })).toBe('big: 1000000\nf: 1.5\nhuge: 1e+21\ni: 1\nsmall: 1e-07');
  });

  it('handles odd keys', () => {
    expect(toYaml({ 'key with space': 1, 'a:b': 2, '': 3, true: 4 })).toBe('"": 3\na:b: 2\nkey with space: 1\n"true": 4');
  });

  it('handles scalars, nil and empty collections at the top', () => {
    expect(render('{{ toYaml "plain" }}|{{ toYaml .Values.nope }}|{{ toYaml (list) }}|{{ toYaml (dict) }}|{{ toYaml "a\\nb" }}')).toBe('plain|null|[]|{}||-\n  a\n  b');
  });

  it('round-trips through the yaml package', () => {
    const v = { a: { b: [{ c: 'multi\nline\n', d: 'x: y', e: ['1', 2, true, null] }] }, f: 'ünïcödé', g: 'emoji 😀' };
    expect(parseYaml(toYaml(v))).toEqual(v);
  });
});

describe('toYamlPretty, toJson, toRawJson, toPrettyJson, toToml', () => {
  it('toYamlPretty indents lists', () => {
    expect(render('{{ toYamlPretty .Values }}', { list: [1, { a: 1 }], m: { k: 'v' } })).toBe('list:\n  - 1\n  - a: 1\nm:\n  k: v');
  });

  it('toJson sorts keys and escapes HTML; toRawJson does not; toPrettyJson indents', () => {
    const v = { b: '<x>&', a: [1, 1.5, null, true], c: {} };
    expect(render('{{ toJson .Values }}', v)).toBe('{"a":[1,1.5,null,true],"b":"\\u003cx\\u003e\\u0026","c":{}}');
    expect(render('{{ toRawJson .Values }}', v)).toBe('{"a":[1,1.5,null,true],"b":"<x>&","c":{}}');
    expect(render('{{ toPrettyJson .Values.a }}', v)).toBe('[\n  1,\n  1.5,\n  null,\n  true\n]');
  });

  it('toToml writes tables', () => {
    expect(render('{{ toToml .Values }}', { foo: 'bar', mast: { sail: 'white' } })).toBe('foo = "bar"\n\n[mast]\n  sail = "white"\n');
  });
});

describe('fromYaml, fromJson', () => {
  it('fromYaml reads YAML 1.1 (yes and y are true) with numbers as float64', () => {
    expect(render('{{ $m := fromYaml .Values.doc }}{{ $m.a }} {{ $m.c }} {{ typeOf $m.a }} {{ index $m.b 1 }} {{ index $m.b 2 }}', { doc: 'a: 1\nb: [x, z, y]\nc: yes' }))
      .toBe('1 true float64 z true');
  });

  it('fromYaml reports errors in an Error key, as Helm does', () => {
    expect(fromYaml('- one\n- two\n')).toEqual({ Error: 'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}' });
    expect(render('{{ fromYamlArray "- one\\n- 2\\n- name: helm\\n" }}')).toBe('[one 2 map[name:helm]]');
  });

  it('fromJson and fromJsonArray', () => {
    expect(render('{{ fromJson "{\\"hello\\":\\"world\\"}" }}')).toBe('map[hello:world]');
    expect(render('{{ fromJson "[1]" }}')).toBe('map[Error:json: cannot unmarshal array into Go value of type map[string]interface {}]');
    expect(render('{{ fromJsonArray "[\\"one\\", 2, {\\"name\\": \\"helm\\"}]" }}')).toBe('[one 2 map[name:helm]]');
  });
});
