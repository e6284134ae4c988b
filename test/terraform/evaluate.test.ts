/**
 * Expression evaluation against Terraform's semantics: test/fixtures/terraform/console/cases.json
 * records each expression with the value `terraform console` gives for it.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'terraform', 'console', 'cases.json'), 'utf8')) as {
  cases: { expr: string; value: Value }[];
};
const cases: [string, Value][] = fixture.cases.map((c) => [c.expr, c.value]);

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
