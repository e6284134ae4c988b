import { describe, expect, it } from '@jest/globals';
import { check, tf } from './helpers.js';

const group = (retention: string, above = '') => `${above}resource "aws_cloudwatch_log_group" "train" {\n  name = "/ml/train"\n${retention}}`;

describe('log-retention', () => {
  it('fires on a log group that keeps logs forever, with the storage price', () => {
    const { findings } = check('log-retention', { head: tf(group('')) });
    expect(findings.map((f) => [f.address, f.severity])).toEqual([['aws_cloudwatch_log_group.train', 'info']]);
    expect(findings[0]?.message).toContain('keeps its logs forever (retention_in_days not set): stored logs cost $0.03 / GB-month');
    expect(check('log-retention', { head: tf(group('  retention_in_days = 0\n')) }).findings).toHaveLength(1);
  });

  it('does not fire with a retention, unless it is longer than maxDays', () => {
    expect(check('log-retention', { head: tf(group('  retention_in_days = 30\n')) }).findings).toEqual([]);
    const long = check('log-retention', { head: tf(group('  retention_in_days = 3653\n')), config: { rules: { 'log-retention': { maxDays: 365, severity: 'warning' } } } });
    expect(long.findings.map((f) => [f.severity, f.line])).toEqual([['warning', 7]]);
  });

  it('is ignored with a reason', () => {
    const { findings, ignored } = check('log-retention', { head: tf(group('', '# mlcost:ignore log-retention audit logs are kept 7 years by policy\n')) });
    expect(findings).toEqual([]);
    expect(ignored.map((f) => f.reason)).toEqual(['audit logs are kept 7 years by policy']);
  });
});
