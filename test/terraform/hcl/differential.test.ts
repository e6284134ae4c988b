/**
 * Differential test against HashiCorp's own parser, through @cdktn/hcl2json (hcl2json compiled to
 * WASM). Only this one WASM HCL package may be loaded in a process: two Go runtimes clash.
 *
 * Compared: whether a source parses; block types, labels and nesting; attribute names in every
 * body; literal values (numbers, bools, null, plain strings, tuples and objects of them). For
 * other expressions hcl2json writes `${<source text>}`, so we compare that string with the
 * source text our node's range covers, which checks our ranges too.
 */

import { describe, expect, it } from '@jest/globals';
import hcl2json from '@cdktn/hcl2json';
import { parseHcl } from '../../../src/analyzers/terraform/hcl/parser.js';
import { bodyToShape, compareShape, newStats } from './hcl2json-shape.js';
import { corpusFiles } from './helpers.js';

interface Outcome {
  ok: boolean;
  json?: unknown;
  error?: string;
}

async function theirs(name: string, text: string): Promise<Outcome> {
  try {
    return { ok: true, json: await hcl2json.parse(name, text) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Compares one source; returns readable differences (empty when the parsers agree). */
async function differences(name: string, text: string, stats = newStats()): Promise<string[]> {
  const ours = parseHcl(text);
  const other = await theirs(name, text);
  const oursOk = ours.errors.length === 0;
  if (oursOk !== other.ok) {
    return [
      `${name}: ours ${oursOk ? 'parses' : `fails (${JSON.stringify(ours.errors.slice(0, 3))})`}, ` +
        `hcl2json ${other.ok ? 'parses' : `fails (${other.error ?? ''})`}`,
    ];
  }
  if (!oursOk) return [];
  const out: string[] = [];
  compareShape(bodyToShape(ours.body, stats, text), other.json, `${name} $`, out);
  return out;
}

describe('differential test against hcl2json', () => {
  it('agrees on every corpus file: parse result, blocks, labels, attribute names, literal values, expression source', async () => {
    const files = corpusFiles();
    expect(files.length).toBeGreaterThanOrEqual(180);
    const stats = newStats();
    const problems: string[] = [];
    let compared = 0;
    for (const f of files) {
      const diff = await differences(f.name, f.text, stats);
      problems.push(...diff);
      if (parseHcl(f.text).errors.length === 0) compared++;
    }
    expect(problems).toEqual([]);
    // Every corpus file is valid Terraform, so every one is compared structurally.
    expect(compared).toBe(files.length);
    expect(stats.blocks).toBeGreaterThan(1000);
    expect(stats.literals).toBeGreaterThan(1000);
    expect(stats.expressions).toBeGreaterThan(1000);
  });

  // Small valid and invalid sources on the edges of the grammar: both parsers must agree on
  // whether each one parses, and on the values when it does.
  const snippets: string[] = [
    'a = b ?\n 1 : 2', 'a = (b ?\n 1 : 2)', 'a = 1 +\n 2', 'a = { x =\n 1 }', 'a = { x = 1\n , y = 2 }',
    'a = { x = 1, y = 2, }', 'a { b = 1 }', 'a { b = 1\n}', 'a { b {} }', 'a { \n b = 1 }', 'a {}', 'a {}  b = 1',
    'a = provider::aws::arn_parse("x")', 'a = x.0.1', 'a = x.*.y[0]', 'a = x[*].y[0]', 'a = <<EOT\nhi\n   EOT\n',
    'a = <<EOT  \nhi\nEOT', 'a = <<EOT\nEOT', 'a = <<EOT', 'a = 1\na = 2', 'a = 1\nb { a = 2 }', 'a "${x}" {}',
    'a "x" y {}', 'a = "\\q"', 'a = "${x"', 'a = [for, 1]', 'a = {for = 1}', 'a = "${\nx\n}"',
    'a = 1 /* \n */ b = 2', 'a = "x', 'a = <<-EOT\n    x\n      y\n\n    z\n  EOT\n', 'a = <<-EOT\n\tx\n\t  y\n\tEOT\n',
    'a = <<-EOT\n    x\n  ${y}\n   z\n  EOT\n', 'a = <<-EOT\n      \n    x\n  EOT\n', 'a = <<-EOT\n    v=${x}\n      w\n    EOT\n',
    'a = "a ${~ "b" ~} c"', 'a = "\\u00e9\\U0001F600\\"\\\\\\t"', 'a = "a$${b}"', 'a = "a$$b"', 'a = "%%{b}"',
    'a = "a$"', 'a = "a%"', 'a = -x', 'a = [1,\n2\n,3]', 'a = f(1,\n2...)', 'a = f(1...,2)', 'a = x[*]', 'a = x.*',
    'a = 1.', 'a = 1e', 'a = 1E+3', 'a = 1.5e-3', 'a = x.y.0.z', 'a = {"a" = 1, b: 2, (c) = 3, d.e = 4, 1 = 5}',
    'a = ["a" "b"]', 'a {\n}\n}', '}', 'a = x\n}', "a = 'x'", 'a = &x', 'a = a && b || c', 'a = 1 ? 2 : 3 ? 4 : 5',
    'a = {for k, v in x : k => v... if v}', 'a = [for v in x : v if v]', 'a = [for k, v in x: v]',
    'a = <<EOT\n${x}\nEOT\n', 'a = <<EOT\nEOT\n', 'a = ""', 'a = "${x}"', 'a = -1', 'a = !true',
    'a = [-1, !false, "s", 2.5, null]', 'a = { "k" = [1, {x = "y"}] }', 'a = {}\nb = []', 'a b c d {\n}\n',
    '# c\n// c\n/* c */ a = 1 # x\n', 'a = [ # c\n 1, // d\n 2 /* e */ ]', 'a = f()', 'a = f(1,)', 'a = f(,)',
    'a = x[', 'a = (1', 'a = [1', 'a = {', 'a {', 'a = "%{ if x }y%{ endif }"', 'a = "%{ if x }y"', 'a = "%{ endif }"',
    'a = "%{ for x in y }${x}%{ endfor }"', 'a = "%{ for k, v in y }${k}%{ else }%{ endfor }"', 'a = "%{ foo }"',
    'a = "${}"', 'a = x.', 'a = x..y', 'a = x[*][0]', 'a = x.*[0]', 'a = x[*].*', 'a = 1 2', 'a = true false',
    'a b = 1', 'a = <<\nEOT\n', 'a = x ? y', 'a = x ? : y', 'a = !', 'a = - ', 'a = f(x...)', 'a = f(x..., y...)',
    'a = été', 'é = 1', 'a = "\u0000"', 'a = \u0000', 'a-b = c-d', 'a = 1-2', 'a = { a = 1 b = 2 }',
    'a = { a = 1\n b = 2 }', 'a = {\n}', 'a = [\n]', 'a = (\n1\n)', 'a = 1\r\nb = 2\r\n', 'a = <<EOT\r\nx\r\nEOT\r\n',
    'a {\r\n b = 1\r\n}\r\n', 'a = 0.1.2', 'a = 01', 'a = x[0]["k"].y', 'a = a::b::c(1)', 'a = a::b', 'a = a::(1)',
    'a = { (k) : 1 }', 'a = "\\u12"', 'a = "\\U0011FFFF"', 'a { b = <<EOT\nx\nEOT\n}', 'a = {\n  b = <<EOT\nx\nEOT\n}\n',
    'a = [<<EOT\nx\nEOT\n, 1]', 'a = "${"${"x"}"}"', 'a = "~}"', 'a = "${x ~}"', 'a = <<EOT\n  $${x}\nEOT\n',
    'a = [for x in y: x...]', 'a = {for x in y: x}', 'a = [for x in y if x]', 'a = [for x, y, z in w: x]',
    'locals {\n  a = 1\n  a = 2\n}\n', 'a {\n b = 1\n}\na {\n b = 2\n}\n', 'a = x\n[0]', 'a = f\n(1)', 'a = [x\n.y]',
    'a = "a" "b"', 'a = true ? 1 :\n 2', 'a = [true ? 1 :\n 2]', 'a = /* x', 'a = { x = 1, x = 2 }',
    'a = [\n  1,\n  2\n  3\n]', 'a = {\n  "k" = 1,\n\n  l = [\n    2,\n  ]\n}\n', 'a = -(1)', 'a = !false',
    'a = 1.e3', 'a = 1.E3', 'a = 1.e+3', 'a = 1.ex', 'a = 1.e', 'a = x.1.e3', 'a = x.1e3', 'a = 1.5.e3',
    'a = 1.e3.x', 'a = [1.e3]', 'a = <<-EOT\n    x ${y}\n      z\n  EOT\n',
    'a = <<-EOT\n  ${y} x\n    z\n  EOT\n', 'a = <<-EOT\n    x\n    ${y ~}\n    z\n  EOT\n',
    'a = <<-EOT\n    x\n    ${~ y}\n    z\n  EOT\n', 'a = <<EOT\n  x ${~ y ~}   \n  z\nEOT\n',
    'a = "  ${~ y ~}  "', 'a = "a${y}b${z}c"', 'a = "${y}"', 'a = "x${ y }"', 'a = "x${ [1, 2] }"',
    'a = "x${ {a = 1} }"', 'a = "\\n${y}\\t"', 'a = "$$${y}"', 'a = "%%%{y}"', 'a = "$${${y}}"',
    'a = <<-EOT\n\t  x\n\t${y}\n\tEOT\n', 'a = <<-EOT\n    x\n\n    ${y}\n  EOT\n',
    'a = <<-EOT\n\n\n    x\n  EOT\n', 'a = <<-EOT\n  EOT\n', 'a = <<-EOT\n    $${x}\n  y\n  EOT\n',
    'a = "${x}${y}"', 'a = <<EOT\n${x}${y}\nEOT\n', 'a = "${"a"}b"', 'a = "${1}"', 'a = "x${1}"',
    'a = "x${true}"', 'a = "x${-1}"',
  ];

  it(`agrees on ${snippets.length} edge-case snippets`, async () => {
    const problems: string[] = [];
    for (const [i, s] of snippets.entries()) problems.push(...(await differences(`snippet ${i} ${JSON.stringify(s)}`, s)));
    expect(problems).toEqual([]);
  });
});
