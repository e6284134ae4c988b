import { describe, expect, it } from '@jest/globals';
import { makeConfig, parseConfig } from '../../src/policy/schema.js';
import type { MlcostConfig } from '../../src/policy/schema.js';
import {
  matchesAddress,
  mergeUsage,
  parseInfracostUsage,
  parseUsageFile,
  usageFor,
} from '../../src/policy/usage.js';

function config(text: string): MlcostConfig {
  const { config: c, errors } = parseConfig(text);
  expect(errors).toEqual([]);
  return c;
}

describe('usageFor', () => {
  const cfg = config(
    [
      'usage:',
      '  aws_s3_bucket:',
      '    storage_gb: 1000',
      '    monthly_requests: 10',
      '    class: STANDARD',
      '  aws_s3_bucket.datasets:',
      '    storage_gb: 50000',
      "  'aws_s3_bucket.datasets[*]':",
      '    storage_gb: 7',
      "  'module.data.aws_s3_bucket.raw[*]':",
      '    monthly_requests: 1000000',
      "  'module.*.aws_s3_bucket.raw[*]':",
      '    monthly_requests: 5',
      '    storage_gb: 5',
      "  'module.data.aws_s3_bucket.raw[\"a\"]':",
      '    storage_gb: 123',
      '',
    ].join('\n'),
  );

  it('gives the type entry to every resource of that type', () => {
    expect(usageFor(cfg, 'aws_s3_bucket.logs', 'aws_s3_bucket')).toEqual({
      values: { storage_gb: 1000, monthly_requests: 10, class: 'STANDARD' },
      source: {
        storage_gb: '.mlcost.yml usage.aws_s3_bucket',
        monthly_requests: '.mlcost.yml usage.aws_s3_bucket',
        class: '.mlcost.yml usage.aws_s3_bucket',
      },
    });
    expect(usageFor(cfg, 'aws_instance.web', 'aws_instance')).toEqual({ values: {}, source: {} });
    expect(usageFor(undefined, 'aws_instance.web', 'aws_instance')).toEqual({ values: {}, source: {} });
  });

  it('lets an exact address win over the type, value by value', () => {
    const r = usageFor(cfg, 'aws_s3_bucket.datasets', 'aws_s3_bucket');
    expect(r.values).toEqual({ storage_gb: 50000, monthly_requests: 10, class: 'STANDARD' });
    expect(r.source.storage_gb).toBe('.mlcost.yml usage.aws_s3_bucket.datasets');
    expect(r.source.monthly_requests).toBe('.mlcost.yml usage.aws_s3_bucket');
  });

  it('matches [*] against string keys and numeric indexes, but not a missing index', () => {
    expect(usageFor(cfg, 'aws_s3_bucket.datasets[3]', 'aws_s3_bucket').values.storage_gb).toBe(7);
    expect(usageFor(cfg, 'aws_s3_bucket.datasets["a"]', 'aws_s3_bucket').values.storage_gb).toBe(7);
    expect(matchesAddress('aws_s3_bucket.x[*]', 'aws_s3_bucket.x["a"]')).toBe(true);
    expect(matchesAddress('aws_s3_bucket.x[*]', 'aws_s3_bucket.x[3]')).toBe(true);
    expect(matchesAddress('aws_s3_bucket.x[*]', 'aws_s3_bucket.x')).toBe(false);
    expect(matchesAddress('aws_s3_bucket.x[*]', 'aws_s3_bucket.y[0]')).toBe(false);
    expect(matchesAddress('aws_s3_bucket.x[*]', 'module.m.aws_s3_bucket.x[0]')).toBe(false);
    expect(matchesAddress('aws_s3_bucket.x', 'aws_s3_bucket.x[0]')).toBe(false);
    expect(matchesAddress('aws_s3_bucket.x[0]', 'aws_s3_bucket.x[0]')).toBe(true);
    expect(matchesAddress('aws_s3_bucket.x["a.b"]', 'aws_s3_bucket.x["a.b"]')).toBe(true);
  });

  it('matches a `*` segment against any one segment, with or without index', () => {
    expect(matchesAddress('module.*.aws_x.y', 'module.a.aws_x.y')).toBe(true);
    expect(matchesAddress('module.*.aws_x.y', 'module.a["k"].aws_x.y')).toBe(true);
    expect(matchesAddress('module.*.aws_x.y', 'module.a.module.b.aws_x.y')).toBe(false);
    expect(matchesAddress('module.*.aws_x.y', 'aws_x.y')).toBe(false);
  });

  it('prefers exact address over wildcards, fewer wildcards over more, and wildcards over the type', () => {
    // One wildcard beats two; both beat the type.
    const raw0 = usageFor(cfg, 'module.data.aws_s3_bucket.raw[0]', 'aws_s3_bucket');
    expect(raw0.values).toEqual({ storage_gb: 5, monthly_requests: 1000000, class: 'STANDARD' });
    expect(raw0.source).toEqual({
      storage_gb: ".mlcost.yml usage.module.*.aws_s3_bucket.raw[*]",
      monthly_requests: '.mlcost.yml usage.module.data.aws_s3_bucket.raw[*]',
      class: '.mlcost.yml usage.aws_s3_bucket',
    });
    // The exact address beats every wildcard.
    const rawA = usageFor(cfg, 'module.data.aws_s3_bucket.raw["a"]', 'aws_s3_bucket');
    expect(rawA.values.storage_gb).toBe(123);
    expect(rawA.values.monthly_requests).toBe(1000000);
    // Only the two-wildcard pattern matches another module.
    const other = usageFor(cfg, 'module.ml.aws_s3_bucket.raw[1]', 'aws_s3_bucket');
    expect(other.values).toEqual({ storage_gb: 5, monthly_requests: 5, class: 'STANDARD' });
  });

  it('breaks ties between patterns with as many wildcards by length (more literal text wins)', () => {
    const c = makeConfig({
      usage: {
        'module.*.aws_x.y': { a: 1, b: 1 },
        'module.mmm.aws_x.*': { a: 2 },
        '*.*.aws_x.y': { a: 3, b: 3, c: 3 },
      },
    });
    const r = usageFor(c, 'module.mmm.aws_x.y', 'aws_x');
    expect(r.values).toEqual({ a: 2, b: 1, c: 3 });
    expect(r.source).toEqual({
      a: '.mlcost.yml usage.module.mmm.aws_x.*',
      b: '.mlcost.yml usage.module.*.aws_x.y',
      c: '.mlcost.yml usage.*.*.aws_x.y',
    });
    // `[*]` on a module index counts as a wildcard too.
    const d = makeConfig({ usage: { 'module.m[*].aws_x.y': { a: 1 }, 'module.*.aws_x.y': { a: 2 } } });
    expect(usageFor(d, 'module.m[0].aws_x.y', 'aws_x').values.a).toBe(1);
    expect(usageFor(d, 'module.n[0].aws_x.y', 'aws_x').values.a).toBe(2);
  });

  it('copies nested values so callers cannot change the config', () => {
    const c = makeConfig({ usage: { aws_s3_bucket: { storage_gb: { STANDARD: 1 } } } });
    const r = usageFor(c, 'aws_s3_bucket.a', 'aws_s3_bucket');
    (r.values.storage_gb as Record<string, number>).STANDARD = 99;
    expect(c.usage.aws_s3_bucket?.storage_gb).toEqual({ STANDARD: 1 });
  });
});

describe('parseInfracostUsage', () => {
  const text = [
    'version: 0.1',
    'resource_type_default_usage:',
    '  aws_lambda_function:',
    '    monthly_requests: 100000',
    '    request_duration_ms: 250',
    '    storage_gb:', // commented-out value in a synced file
    'resource_usage:',
    '  aws_lambda_function.api:',
    '    monthly_requests: 2000000',
    '  aws_s3_bucket.raw[*]:',
    '    standard:',
    '      storage_gb: 10000',
    '      monthly_tier_1_requests: 1000000',
    '      monthly_tier_2_requests:',
    '  aws_dynamodb_table.t:', // everything commented out
    '',
  ].join('\n');

  it('converts type defaults and addresses into the usage map', () => {
    const { usage, errors } = parseInfracostUsage(text, 'infracost-usage.yml');
    expect(errors).toEqual([]);
    expect(usage).toEqual({
      aws_lambda_function: { monthly_requests: 100000, request_duration_ms: 250 },
      'aws_lambda_function.api': { monthly_requests: 2000000 },
      'aws_s3_bucket.raw[*]': { standard: { storage_gb: 10000, monthly_tier_1_requests: 1000000 } },
      'aws_dynamodb_table.t': {},
    });
  });

  it('keeps where values came from through a merge with .mlcost.yml', () => {
    const { usage } = parseInfracostUsage(text, 'infracost-usage.yml');
    const cfg = config('usage:\n  aws_lambda_function.api:\n    monthly_requests: 5\n    request_duration_ms: 900\n');
    const merged: MlcostConfig = { ...cfg, usage: mergeUsage(cfg.usage, usage) };
    const r = usageFor(merged, 'aws_lambda_function.api', 'aws_lambda_function');
    expect(r.values).toEqual({ monthly_requests: 2000000, request_duration_ms: 900 });
    expect(r.source).toEqual({
      monthly_requests: 'infracost-usage.yml resource_usage.aws_lambda_function.api',
      request_duration_ms: '.mlcost.yml usage.aws_lambda_function.api',
    });
    expect(usageFor(merged, 'aws_s3_bucket.raw["x"]', 'aws_s3_bucket').source.standard).toBe(
      'infracost-usage.yml resource_usage.aws_s3_bucket.raw[*]',
    );
  });

  it('reports malformed files with lines and key paths', () => {
    const bad = [
      'version: 0.2', // 1
      'resource_usage:', // 2
      '  aws_lambda_function:', // 3: a type, not an address
      '    monthly_requests: 1', // 4
      '  aws_lambda_function.api:', // 5
      '    monthly_requests: many', // 6 (a text is allowed)
      '    request_duration_ms: -5', // 7
      'resource_usages: {}', // 8
      '',
    ].join('\n');
    const { usage, errors } = parseInfracostUsage(bad, 'infracost-usage.yml');
    expect(usage).toEqual({});
    expect(errors.map((e) => [e.key, e.line])).toEqual([
      ['version', 1],
      ['resource_usage.aws_lambda_function', 3],
      ['resource_usage.aws_lambda_function.api.request_duration_ms', 7],
      ['resource_usages', 8],
    ]);
    expect(errors[3]?.message).toBe('unknown key `resource_usages`; did you mean `resource_usage`?');
    expect(errors.every((e) => e.file === 'infracost-usage.yml')).toBe(true);
  });

  it('reports YAML syntax errors with their line', () => {
    const { errors } = parseInfracostUsage('version: 0.1\nresource_usage:\n  a.b: {x: 1\n', 'u.yml');
    expect(errors[0]?.line).toBeGreaterThanOrEqual(3);
    expect(errors[0]?.message).toMatch(/^YAML syntax error/);
  });
});

describe('parseUsageFile', () => {
  it('tells Infracost files from mlcost ones', () => {
    const infracost = parseUsageFile('version: 0.1\nresource_usage:\n  aws_s3_bucket.a:\n    x: 1\n', 'u.yml');
    expect(infracost).toEqual({ usage: { 'aws_s3_bucket.a': { x: 1 } }, errors: [], format: 'infracost' });
    const mlcost = parseUsageFile('usage:\n  aws_s3_bucket.a:\n    x: 2\n', 'usage.yml');
    expect(mlcost).toEqual({ usage: { 'aws_s3_bucket.a': { x: 2 } }, errors: [], format: 'mlcost' });
    expect(usageFor({ ...makeConfig({}), usage: mlcost.usage }, 'aws_s3_bucket.a', 'aws_s3_bucket').source.x).toBe(
      'usage.yml usage.aws_s3_bucket.a',
    );
    const wrong = parseUsageFile('usage: {}\nthresholds: {}\n', 'usage.yml');
    expect(wrong.errors).toMatchObject([{ key: 'thresholds', line: 2 }]);
  });
});

describe('mergeUsage', () => {
  it('merges entries value by value, the override winning', () => {
    const base = makeConfig({ usage: { a_b: { x: 1, y: 2 }, 'a_b.c': { z: 3 } } }).usage;
    const over = makeConfig({ usage: { a_b: { y: 20, w: 4 } } }).usage;
    expect(mergeUsage(base, over)).toEqual({ a_b: { x: 1, y: 20, w: 4 }, 'a_b.c': { z: 3 } });
    expect(mergeUsage(undefined, over)).toEqual(over);
    expect(mergeUsage(base, undefined)).toEqual(base);
    // Inputs are not changed.
    expect(base.a_b).toEqual({ x: 1, y: 2 });
  });
});
