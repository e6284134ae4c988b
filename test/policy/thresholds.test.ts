import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../src/core/types.js';
import { makeConfig } from '../../src/policy/schema.js';
import { conclusionOf, evaluateThresholds } from '../../src/policy/thresholds.js';

const cfg = makeConfig({
  thresholds: { maxMonthlyIncrease: 500, maxMonthlyIncreasePercent: 25, maxMonthlyTotal: 20000 },
});

function rules(findings: Finding[]): string[] {
  return findings.map((f) => f.rule);
}

function run(base: number, head: number) {
  return evaluateThresholds({ baseMonthlyCost: base, headMonthlyCost: head, totalMonthlyDelta: head - base }, cfg);
}

describe('evaluateThresholds', () => {
  it('does not breach at the limit, and breaches just over it', () => {
    expect(run(10000, 10500)).toEqual([]); // +$500, +5%
    expect(rules(run(10000, 10500.01))).toEqual(['max-monthly-increase']);
    expect(run(400, 500)).toEqual([]); // +25% exactly
    expect(rules(run(400, 500.01))).toEqual(['max-monthly-increase-percent']);
    expect(run(19900, 20000)).toEqual([]); // total exactly at the limit
    expect(rules(run(19900, 20000.01))).toEqual(['max-monthly-total']);
  });

  it('ignores float noise below a cent', () => {
    expect(
      evaluateThresholds(
        { baseMonthlyCost: 10000.1 + 0.2, headMonthlyCost: 10500.3, totalMonthlyDelta: 500.0000000001 },
        cfg,
      ),
    ).toEqual([]);
  });

  it('states the figures plainly', () => {
    const [increase, percent, total] = run(16000, 20366);
    expect(increase).toEqual({
      rule: 'max-monthly-increase',
      severity: 'error',
      message:
        'Monthly cost rises by $4,366.00, over the limit of $500.00 set in .mlcost.yml (thresholds.maxMonthlyIncrease)',
      file: null,
      line: null,
      address: null,
      monthlySavings: null,
    });
    expect(percent?.message).toBe(
      'Monthly cost rises by 27.29% ($4,366.00 on $16,000.00), over the limit of 25% set in .mlcost.yml ' +
        '(thresholds.maxMonthlyIncreasePercent)',
    );
    expect(total?.message).toBe(
      'Monthly cost after this change is $20,366.00 (up $4,366.00), over the limit of $20,000.00 set in ' +
        '.mlcost.yml (thresholds.maxMonthlyTotal)',
    );
  });

  it('treats any increase from $0 as over a percentage limit', () => {
    const findings = evaluateThresholds(
      { baseMonthlyCost: 0, headMonthlyCost: 12.5, totalMonthlyDelta: 12.5 },
      makeConfig({ thresholds: { maxMonthlyIncreasePercent: 1000 } }),
    );
    expect(rules(findings)).toEqual(['max-monthly-increase-percent']);
    expect(findings[0]?.message).toMatch(/from \$0/);
    expect(findings[0]?.message).toMatch(/\$12\.50/);
    expect(
      evaluateThresholds(
        { baseMonthlyCost: 0, headMonthlyCost: 0, totalMonthlyDelta: 0 },
        makeConfig({ thresholds: { maxMonthlyIncreasePercent: 0 } }),
      ),
    ).toEqual([]);
  });

  it('never breaches on a decrease or no change, even above the total limit', () => {
    expect(run(30000, 25000)).toEqual([]);
    expect(run(30000, 30000)).toEqual([]);
    expect(run(0, 0)).toEqual([]);
  });

  it('uses the configured severity and config file name', () => {
    const c = makeConfig({ thresholds: { maxMonthlyIncrease: { amount: 0, severity: 'warning' } } });
    const findings = evaluateThresholds({ baseMonthlyCost: 1, headMonthlyCost: 2, totalMonthlyDelta: 1 }, c, {
      configFile: 'ci/mlcost.yml',
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.severity).toBe('warning');
    expect(findings[0]?.message).toContain('set in ci/mlcost.yml (thresholds.maxMonthlyIncrease)');
  });

  it('finds nothing without config or thresholds', () => {
    const input = { baseMonthlyCost: 0, headMonthlyCost: 1e6, totalMonthlyDelta: 1e6 };
    expect(evaluateThresholds(input, undefined)).toEqual([]);
    expect(evaluateThresholds(input, makeConfig({}))).toEqual([]);
  });
});

describe('conclusionOf', () => {
  const f = (severity: Finding['severity']): Finding => ({
    rule: 'r',
    severity,
    message: 'm',
    file: null,
    line: null,
    address: null,
    monthlySavings: null,
  });

  it('fails on any error, is neutral on warnings only, and ignores info', () => {
    expect(conclusionOf([])).toBe('success');
    expect(conclusionOf([f('info')])).toBe('success');
    expect(conclusionOf([f('warning'), f('info')])).toBe('neutral');
    expect(conclusionOf([f('info'), f('warning'), f('error')])).toBe('failure');
    expect(conclusionOf([f('error')])).toBe('failure');
  });
});
