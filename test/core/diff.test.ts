import { describe, expect, it } from '@jest/globals';
import { diffBreakdowns } from '../../src/core/diff.js';
import type { Breakdown, PricedResource } from '../../src/core/types.js';

function res(address: string, cost: number | null, qty = 730): PricedResource {
  return {
    address, type: 'aws_instance', file: 'main.tf', line: 1, region: 'us-east-1', monthlyCost: cost,
    costComponents: [{ name: 'Instance usage', unit: 'hours', monthlyQuantity: qty, unitPrice: cost === null ? null : cost / qty, monthlyCost: cost, usageBased: false }],
    subresources: [], unpriced: cost === null ? [{ component: 'Instance usage', reason: 'no price' }] : [],
  };
}

function bd(resources: PricedResource[], path = 'infra'): Breakdown {
  const total = resources.reduce((a, r) => a + (r.monthlyCost ?? 0), 0);
  return {
    version: 1, currency: 'USD', prices: { source: 'embedded', capturedAt: '2026-07-20' }, totalMonthlyCost: total,
    projects: [{ name: path, path, kind: 'terraform', totalMonthlyCost: total, resources, unsupported: [], errors: [] }],
  };
}

describe('diffBreakdowns', () => {
  it('pairs resources by address and classifies added, removed and changed', () => {
    const base = bd([res('aws_instance.a', 70), res('aws_instance.b', 10), res('aws_instance.same', 5)]);
    const head = bd([res('aws_instance.a', 140, 1460), res('aws_instance.c', 30), res('aws_instance.same', 5)]);
    const d = diffBreakdowns(base, head);
    expect(d.totalMonthlyDelta).toBe(90);
    expect(d.resources.map((r) => [r.address, r.change, r.delta])).toEqual([
      ['aws_instance.a', 'changed', 70],
      ['aws_instance.c', 'added', 30],
      ['aws_instance.b', 'removed', -10],
    ]);
    expect(d.resources[0]?.components).toEqual([{ name: 'Instance usage', baseMonthlyCost: 70, headMonthlyCost: 140, delta: 70 }]);
    expect(d.projects).toEqual([{ name: 'infra', path: 'infra', kind: 'terraform', baseMonthlyCost: 85, headMonthlyCost: 175, delta: 90 }]);
  });

  it('keeps an unknown cost unknown instead of treating it as zero', () => {
    const d = diffBreakdowns(bd([res('aws_instance.a', 70)]), bd([res('aws_instance.a', null)]));
    expect(d.resources[0]?.delta).toBeNull();
    expect(d.resources[0]?.headMonthlyCost).toBeNull();
    const added = diffBreakdowns(bd([]), bd([res('aws_instance.x', null)]));
    expect(added.resources[0]).toMatchObject({ change: 'added', delta: null });
  });

  it('treats a project missing on one side as zero cost on that side', () => {
    const d = diffBreakdowns(bd([], 'old'), bd([res('aws_instance.a', 12)], 'new'));
    expect(d.projects.map((p) => [p.path, p.baseMonthlyCost, p.headMonthlyCost])).toEqual([
      ['new', 0, 12],
      ['old', 0, 0],
    ]);
  });
});
