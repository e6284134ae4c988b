/**
 * Expression evaluation against Terraform's semantics. Each expected value is what
 * `terraform console` prints for the same expression (Terraform 1.9), written down by hand.
 */
import { describe, expect, it } from '@jest/globals';
import { parseHcl } from '../../src/analyzers/terraform/hcl/parser.js';
import { evaluate, childScope } from '../../src/analyzers/terraform/evaluate.js';
import type { Scope } from '../../src/analyzers/terraform/evaluate.js';
import { isUnknown, unknown } from '../../src/core/types.js';
import type { Value } from '../../src/core/types.js';

const warnings: string[] = [];
const scope: Scope = childScope(
  { root: () => undefined, warn: (m) => warnings.push(m) },
  {
    var: { n: 3, s: 'gpu', m: { a: 1, b: 2 }, l: ['x', 'y', 'z'], objs: [{ name: 'a', size: 1 }, { name: 'b', size: 2 }], u: unknown('variable "u" has no value') },
    local: { env: 'prod' },
  },
);

function ev(src: string): Value {
  const parsed = parseHcl(`x = ${src}\n`);
  expect(parsed.errors).toEqual([]);
  return evaluate(parsed.body.attributes[0]!.expr, scope);
}

// [expression, value printed by terraform console]
const cases: [string, Value][] = [
  ['1 + 2 * 3', 7],
  ['(1 + 2) * 3', 9],
  ['10 / 4', 2.5],
  ['7 % 3', 1],
  ['-var.n', -3],
  ['"5" + 1', 6],
  ['1 == "1"', false],
  ['var.n > 2 && var.s == "gpu"', true],
  ['!true || false', false],
  ['var.n > 5 ? "big" : "small"', 'small'],
  ['"${var.s}-${local.env}"', 'gpu-prod'],
  ['"${var.n}"', 3],
  ['"n=${var.n + 1}"', 'n=4'],
  ['"%{ if var.n > 1 }many%{ else }one%{ endif }"', 'many'],
  ['"%{ for x in var.l }${x},%{ endfor }"', 'x,y,z,'],
  ['[for x in var.l : upper(x)]', ['X', 'Y', 'Z']],
  ['[for i, x in var.l : "${i}${x}" if x != "y"]', ['0x', '2z']],
  ['{for k, v in var.m : k => v * 10}', { a: 10, b: 20 }],
  ['{for o in var.objs : o.size > 1 ? "big" : "small" => o.name...}', { big: ['b'], small: ['a'] }],
  ['var.objs[*].name', ['a', 'b']],
  ['var.objs.*.size', [1, 2]],
  ['var.l[1]', 'y'],
  ['var.m["b"]', 2],
  ['lookup(var.m, "c", 9)', 9],
  ['merge(var.m, { c = 3 })', { a: 1, b: 2, c: 3 }],
  ['concat(var.l, ["w"])', ['x', 'y', 'z', 'w']],
  ['length(var.l)', 3],
  ['keys({ b = 1, a = 2 })', ['a', 'b']],
  ['values({ b = 1, a = 2 })', [2, 1]],
  ['element(var.l, 4)', 'y'],
  ['contains(var.l, "z")', true],
  ['coalesce("", "b")', 'b'],
  ['try(var.m.missing, "fallback")', 'fallback'],
  ['can(var.m.missing)', false],
  ['format("%s-%03d", "node", 7)', 'node-007'],
  ['join(",", var.l)', 'x,y,z'],
  ['split(",", "a,b")', ['a', 'b']],
  ['replace("a-b-c", "-", "_")', 'a_b_c'],
  ['replace("g5.2xlarge", "/[0-9]+x/", "X")', 'g5.Xlarge'],
  ['lower("ABC")', 'abc'],
  ['min(3, 1, 2)', 1],
  ['max(3, 1, 2)', 3],
  ['ceil(1.2)', 2],
  ['floor(1.8)', 1],
  ['tonumber("42")', 42],
  ['tostring(42)', '42'],
  ['toset(["b", "a", "b"])', ['a', 'b']],
  ['flatten([["a"], ["b", ["c"]]])', ['a', 'b', 'c']],
  ['distinct(["a", "a", "b"])', ['a', 'b']],
  ['zipmap(["a", "b"], [1, 2])', { a: 1, b: 2 }],
  ['range(3)', [0, 1, 2]],
  ['range(1, 10, 4)', [1, 5, 9]],
  ['jsondecode("{\\"a\\": [1, true]}")', { a: [1, true] }],
  ['yamldecode("a: 1\\nb: [x]")', { a: 1, b: ['x'] }],
  ['cidrsubnet("10.0.0.0/16", 8, 2)', '10.0.2.0/24'],
  ['cidrsubnet("10.20.0.0/16", 4, 8)', '10.20.128.0/20'],
  ['substr("ml.g5.xlarge", 3, 2)', 'g5'],
  ['startswith("ml.g5", "ml.")', true],
];

describe('expression evaluation', () => {
  it.each(cases)('%s', (src, expected) => {
    expect(ev(src)).toEqual(expected);
  });

  it('propagates unknown values through operators and functions', () => {
    for (const src of ['var.u + 1', '"a-${var.u}"', 'upper(var.u)', 'var.u ? 1 : 2', '[for x in var.u : x]']) {
      const v = ev(src);
      expect(isUnknown(v)).toBe(true);
    }
    expect(ev('false && var.u')).toBe(false);
    expect(ev('length([var.u, 1])')).toBe(2);
  });

  it('returns unknown and warns for an unknown function, instead of failing', () => {
    warnings.length = 0;
    const v = ev('frobnicate(1)');
    expect(isUnknown(v) && v.reason).toBe('unknown function frobnicate()');
    expect(warnings).toEqual(['unknown function frobnicate(); its result is treated as unknown']);
  });

  it('never reads files or the clock', () => {
    for (const src of ['file("secrets.txt")', 'templatefile("x.tpl", {})', 'timestamp()', 'uuid()']) expect(isUnknown(ev(src))).toBe(true);
  });

  it('reports type errors as evaluation errors', () => {
    expect(() => ev('"abc" * 2')).toThrow('a number is required');
    expect(() => ev('var.l[7]')).toThrow('out of range');
    expect(() => ev('{for x in ["a", "a"] : x => 1}')).toThrow('duplicate object key');
  });
});
