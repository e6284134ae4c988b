import { describe, expect, it } from '@jest/globals';
import type { Breakdown, ProjectDelta } from '../../src/core/types.js';
import { evaluateBudgets } from '../../src/policy/budgets.js';
import { makeConfig } from '../../src/policy/schema.js';

function input(projects: [string, number, number][], unknown = false): { projects: ProjectDelta[]; head: Breakdown } {
  return {
    projects: projects.map(([path, base, head]) => ({ name: path, path, kind: 'terraform', baseMonthlyCost: base, headMonthlyCost: head, delta: head - base })),
    head: {
      version: 1,
      currency: 'USD',
      prices: { source: 'embedded', capturedAt: '2026-01-01' },
      totalMonthlyCost: 0,
      projects: projects.map(([path]) => ({
        name: path, path, kind: 'terraform', totalMonthlyCost: 0, unsupported: [], errors: [],
        resources: unknown ? [{ address: 'x.y', type: 'x', file: 'f', line: 1, region: null, monthlyCost: null, costComponents: [], subresources: [], unpriced: [] }] : [],
      })),
    },
  };
}

const config = makeConfig({ budgets: [{ name: 'ML', paths: ['infra/ml/**'], monthly: 25000, warnAtPercent: 80 }, { paths: ['infra/web'], monthly: 100, severity: 'warning' }] });

describe('budgets', () => {
  it('finds a change that crosses a budget, summing the matching projects', () => {
    const f = evaluateBudgets(input([['infra/ml/train', 15000, 16000], ['infra/ml/serve', 8000, 9500], ['infra/other', 1, 99999]]), config);
    expect(f).toEqual([
      {
        rule: 'budget',
        severity: 'error',
        message: 'Budget "ML" ($25,000 / month, .mlcost.yml (budgets[0])) is crossed by this change: $23,000 → $25,500 (102% of the budget; 2 projects priced for this change)',
        file: null,
        line: null,
        address: null,
        monthlySavings: null,
      },
    ]);
  });

  it('warns at warnAtPercent, and flags a rise of what is already over', () => {
    expect(evaluateBudgets(input([['infra/ml', 19000, 21000]]), config).map((f) => [f.severity, f.message.slice(0, 60)])).toEqual([['warning', 'Budget "ML" ($25,000 / month, .mlcost.yml (budgets[0])): thi']]);
    const over = evaluateBudgets(input([['infra/ml', 26000, 27000]], true), config);
    expect(over[0]?.message).toContain('was already exceeded ($26,000) and this change raises it to $27,000 plus costs mlcost could not price');
  });

  it('says nothing when the cost falls or stays, or no project matches', () => {
    expect(evaluateBudgets(input([['infra/ml', 30000, 29000]]), config)).toEqual([]);
    expect(evaluateBudgets(input([['infra/ml', 30000, 30000]]), config)).toEqual([]);
    expect(evaluateBudgets(input([['services/api', 0, 90000]]), config)).toEqual([]);
    expect(evaluateBudgets(input([['infra/web', 50, 150]]), config).map((f) => [f.severity, f.message.slice(0, 40)])).toEqual([['warning', 'The budget for `infra/web` ($100.00 / mo']]);
  });
});
