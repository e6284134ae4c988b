import { describe, expect, it } from '@jest/globals';
import { closest, levenshtein, makeConfig, parseConfig } from '../../src/policy/schema.js';
import type { ConfigError } from '../../src/policy/schema.js';

/** The guardrail sections of an empty config (rules, overrides, environments, budgets, approval). */
const GUARDRAIL_DEFAULTS = {
  rules: {},
  overrides: [],
  environments: {},
  budgets: [],
  approval: { enabled: true, label: 'mlcost:approved', minimumPermission: 'write' },
};

function errorAt(errors: ConfigError[], key: string): ConfigError {
  const found = errors.find((e) => e.key === key);
  if (!found) throw new Error(`no error for ${key}: ${JSON.stringify(errors)}`);
  return found;
}

describe('parseConfig', () => {
  it('reads a full config and normalises thresholds to their object form', () => {
    const text = [
      'version: 1',
      'thresholds:',
      '  maxMonthlyIncrease: 500',
      '  maxMonthlyIncreasePercent: { percent: 25, severity: warning }',
      '  maxMonthlyTotal:',
      '    amount: 20000',
      'usage:',
      '  aws_s3_bucket:',
      '    storage_gb: 1000',
      '  aws_s3_bucket.datasets:',
      '    storage_gb: { STANDARD: 100, GLACIER: 50 }',
      '    storage_class: STANDARD',
      "  'module.data.aws_s3_bucket.raw[*]':",
      '    monthly_requests: 1000000',
      '  module.*.aws_lambda_function.api:',
      '    monthly_requests: 10',
      'comment: on-change',
      '',
    ].join('\n');
    const { config, errors } = parseConfig(text);
    expect(errors).toEqual([]);
    expect(config).toEqual({
      version: 1,
      thresholds: {
        maxMonthlyIncrease: { amount: 500, severity: 'error' },
        maxMonthlyIncreasePercent: { percent: 25, severity: 'warning' },
        maxMonthlyTotal: { amount: 20000, severity: 'error' },
      },
      usage: {
        aws_s3_bucket: { storage_gb: 1000 },
        'aws_s3_bucket.datasets': { storage_gb: { STANDARD: 100, GLACIER: 50 }, storage_class: 'STANDARD' },
        'module.data.aws_s3_bucket.raw[*]': { monthly_requests: 1000000 },
        'module.*.aws_lambda_function.api': { monthly_requests: 10 },
      },
      terraform: { modules: {} },
      comment: 'on-change',
      ...GUARDRAIL_DEFAULTS,
    });
  });

  it.each(['', '{}', '# only a comment\n', 'thresholds:\nusage:\n'])('treats %j as the default config', (text) => {
    const { config, errors } = parseConfig(text);
    expect(errors).toEqual([]);
    expect(config).toEqual({ version: 1, thresholds: {}, usage: {}, terraform: { modules: {} }, comment: 'always', ...GUARDRAIL_DEFAULTS });
  });

  it('accepts the severity object form with every severity, defaulting to error', () => {
    const { config, errors } = parseConfig(
      'thresholds:\n  maxMonthlyIncrease: { amount: 10, severity: info }\n  maxMonthlyTotal: { amount: 5 }\n',
    );
    expect(errors).toEqual([]);
    expect(config.thresholds.maxMonthlyIncrease).toEqual({ amount: 10, severity: 'info' });
    expect(config.thresholds.maxMonthlyTotal).toEqual({ amount: 5, severity: 'error' });
  });

  it('names the key path, line and column of every wrongly typed key', () => {
    const text = [
      'version: 2', // 1
      'thresholds:', // 2
      '  maxMonthlyIncrease: lots', // 3
      '  maxMonthlyIncreasePercent: -3', // 4
      '  maxMonthlyTotal:', // 5
      '    amount: "20000"', // 6
      '    severity: fatal', // 7
      'usage:', // 8
      '  aws_s3_bucket:', // 9
      '    storage_gb: -1', // 10
      '    versioning: true', // 11
      '    tiers: { STANDARD: { deep: 1 } }', // 12
      'comment: sometimes', // 13
      '',
    ].join('\n');
    const { errors, config } = parseConfig(text, 'infra/.mlcost.yml');
    expect(config).toEqual({ version: 1, thresholds: {}, usage: {}, terraform: { modules: {} }, comment: 'always', ...GUARDRAIL_DEFAULTS });
    const expected: [string, number, number, RegExp][] = [
      ['version', 1, 1, /version: 1/],
      ['thresholds.maxMonthlyIncrease', 3, 3, /amount in USD.*got the text "lots"/],
      ['thresholds.maxMonthlyIncreasePercent', 4, 3, /must not be negative, got -3/],
      ['thresholds.maxMonthlyTotal.amount', 6, 5, /expected a number, got the text "20000"/],
      ['thresholds.maxMonthlyTotal.severity', 7, 5, /`error`, `warning`, `info`.*"fatal"/],
      ['usage.aws_s3_bucket.storage_gb', 10, 5, /must not be negative/],
      ['usage.aws_s3_bucket.versioning', 11, 5, /non-negative number, a text.*`true`/],
      ['usage.aws_s3_bucket.tiers.STANDARD', 12, 14, /one level only/],
      ['comment', 13, 1, /`always`, `on-change`, `never`.*"sometimes"/],
    ];
    for (const [key, line, column, message] of expected) {
      const e = errorAt(errors, key);
      expect({ key, line: e.line, column: e.column, file: e.file }).toEqual({
        key,
        line,
        column,
        file: 'infra/.mlcost.yml',
      });
      expect(e.message).toMatch(message);
    }
    expect(errors).toHaveLength(expected.length);
    // Sorted by position.
    expect(errors.map((e) => e.line)).toEqual([...errors.map((e) => e.line)].sort((a, b) => a - b));
  });

  it('reports wrongly shaped sections at their key', () => {
    const { errors } = parseConfig('comment: never\nthresholds: 500\nusage: [a]\n');
    expect(errors).toEqual([
      { file: '.mlcost.yml', line: 2, column: 1, key: 'thresholds', message: 'expected a mapping of keys, got the number 500' },
      { file: '.mlcost.yml', line: 3, column: 1, key: 'usage', message: 'expected a mapping of keys, got a list' },
    ]);
  });

  it('reports a missing required field at its parent key', () => {
    const { errors } = parseConfig('thresholds:\n  maxMonthlyTotal: { severity: warning }\n');
    expect(errors).toEqual([
      {
        file: '.mlcost.yml',
        line: 2,
        column: 3,
        key: 'thresholds.maxMonthlyTotal.amount',
        message: '`amount` is required',
      },
    ]);
  });

  it('suggests the closest allowed key for an unknown key', () => {
    const { errors } = parseConfig('comment: always\ntresholds:\n  maxMonthlyIncrease: 5\n');
    expect(errors).toEqual([
      {
        file: '.mlcost.yml',
        line: 2,
        column: 1,
        key: 'tresholds',
        message: 'unknown key `tresholds`; did you mean `thresholds`?',
      },
    ]);
  });

  it('suggests within nested sections and lists the allowed keys when nothing is close', () => {
    const { errors } = parseConfig(
      'thresholds:\n  maxMonthlyIncrese: 5\n  budget: 3\n  maxMonthlyTotal: { amount: 1, severty: warning }\n',
    );
    expect(errorAt(errors, 'thresholds.maxMonthlyIncrese')).toMatchObject({
      line: 2,
      column: 3,
      message: 'unknown key `maxMonthlyIncrese`; did you mean `maxMonthlyIncrease`?',
    });
    expect(errorAt(errors, 'thresholds.budget').message).toBe(
      'unknown key `budget`; allowed keys: `maxMonthlyIncrease`, `maxMonthlyIncreasePercent`, `maxMonthlyTotal`',
    );
    expect(errorAt(errors, 'thresholds.maxMonthlyTotal.severty')).toMatchObject({
      line: 4,
      column: 33,
      message: 'unknown key `severty`; did you mean `severity`?',
    });
  });

  it('rejects usage keys that are neither a type nor an address', () => {
    const { errors } = parseConfig('usage:\n  aws_s3_bucket: {}\n  "not an address!":\n    x: 1\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 3, column: 3, key: 'usage.not an address!' });
    expect(errors[0]?.message).toMatch(/not a resource type or address/);
  });

  it('reports YAML syntax errors with their line', () => {
    const { errors, config } = parseConfig('thresholds:\n  maxMonthlyIncrease: 5\n  maxMonthlyTotal: [1, 2\nusage: {}\n');
    expect(config.comment).toBe('always');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ file: '.mlcost.yml', key: '' });
    expect(errors[0]?.line).toBeGreaterThanOrEqual(3);
    expect(errors[0]?.message).toMatch(/^YAML syntax error: /);
    expect(errors[0]?.message).not.toMatch(/\n/);
  });

  it('reports duplicate keys as YAML errors at the duplicate', () => {
    const { errors } = parseConfig('comment: always\ncomment: never\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 2, column: 1 });
  });

  it('rejects a top level that is not a mapping', () => {
    const { errors } = parseConfig('- thresholds\n');
    expect(errors).toEqual([
      { file: '.mlcost.yml', line: 1, column: 1, key: '', message: 'expected a mapping of keys at the top level, got a list' },
    ]);
  });

  it('builds configs from objects for programmatic use', () => {
    expect(makeConfig({ thresholds: { maxMonthlyIncrease: 5 } }).thresholds.maxMonthlyIncrease).toEqual({
      amount: 5,
      severity: 'error',
    });
    expect(() => makeConfig({ thresholds: { maxMonthlyIncrease: -5 } })).toThrow(/maxMonthlyIncrease/);
  });
});

describe('levenshtein', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(levenshtein('', '')).toBe(0);
    expect(levenshtein('abc', '')).toBe(3);
    expect(levenshtein('tresholds', 'thresholds')).toBe(1);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(closest('usge', ['version', 'usage', 'comment'])).toBe('usage');
    expect(closest('budget', ['version', 'usage', 'comment'])).toBeUndefined();
    expect(closest('Comment', ['comment'])).toBe('comment');
  });
});
