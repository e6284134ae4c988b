/** The pure parts of approvals: roles, the stored record, and what a later push keeps. */
import { describe, expect, it } from '@jest/globals';
import type { Diff, Finding } from '../../src/core/types.js';
import { breachKeys, decideApproval, decodeApproval, encodeApproval, lapse, permitted } from '../../src/app/approval.js';
import type { ApprovalRecord } from '../../src/app/approval.js';
import { commentMarker, parseCommentMarker } from '../../src/report/view-model.js';

const err = (rule: string, address: string | null = null): Finding => ({ rule, severity: 'error', message: 'm', file: null, line: null, address, monthlySavings: null });

function diff(delta: number, findings: Finding[]): Diff {
  const empty = { version: 1 as const, currency: 'USD' as const, prices: { source: 'embedded' as const, capturedAt: '2026-01-01' }, totalMonthlyCost: 0, projects: [] };
  return { version: 1, currency: 'USD', base: empty, head: empty, baseMonthlyCost: 0, headMonthlyCost: delta, totalMonthlyDelta: delta, projects: [], resources: [], policy: { conclusion: findings.length ? 'failure' : 'success', findings } };
}

const record: ApprovalRecord = { by: 'alice', at: '2026-07-01T10:00:00Z', headSha: 'abcdef1234567', delta: 70.08, breaches: breachKeys([err('max-monthly-increase'), err('gpu-instances', 'aws_instance.p5')]), via: 'label' };

describe('approval roles', () => {
  it('passes write, maintain and admin for the default minimum; reads custom roles by their base', () => {
    expect(['admin', 'maintain', 'write'].map((r) => permitted(r, undefined, 'write'))).toEqual([true, true, true]);
    expect(['triage', 'read', 'none'].map((r) => permitted(r, undefined, 'write'))).toEqual([false, false, false]);
    expect(permitted('ml-approver', 'write', 'write')).toBe(true);
    expect(permitted('ml-approver', 'write', 'maintain')).toBe(false);
    expect(permitted('maintain', 'write', 'maintain')).toBe(true);
    expect(permitted('maintain', 'write', 'admin')).toBe(false);
  });
});

describe('approval record', () => {
  it('round-trips through the comment marker, signed with a key and scoped to the pull request', () => {
    const state = encodeApproval(record, 'acme/infra#7', 'k');
    const marker = commentMarker('a'.repeat(40), state);
    const parsed = parseCommentMarker(`${marker}\nbody`);
    expect(decodeApproval(parsed?.state ?? {}, 'acme/infra#7', 'k')).toEqual({ record });
    expect(decodeApproval(parsed?.state ?? {}, 'acme/infra#8', 'k')).toEqual({ invalid: expect.stringContaining('not signed') });
    expect(decodeApproval({ ...parsed?.state, 'approved-delta': '99999' }, 'acme/infra#7', 'k')).toEqual({ invalid: expect.stringContaining('not signed') });
    expect(decodeApproval(parsed?.state ?? {}, 'acme/infra#7')).toEqual({ record });
  });

  it('keeps state that could close the HTML comment out of the marker', () => {
    expect(commentMarker('abc1234', { 'approved-by': 'x --> <b>', ok: 'fine' })).toBe('<!-- mlcost:comment v1 head=abc1234 ok=fine -->');
  });
});

describe('what a later push keeps', () => {
  it('keeps the approval at the same or a lower delta with the same breaches', () => {
    expect(lapse(record, diff(70.08, [err('max-monthly-increase')]))).toBeUndefined();
    expect(lapse(record, diff(10, [err('gpu-instances', 'aws_instance.p5')]))).toBeUndefined();
  });

  it('lapses on a higher delta or a new failing guardrail', () => {
    expect(lapse(record, diff(70.09, [err('max-monthly-increase')]))).toBe('this push raises the monthly change from +$70.08 to +$70.09');
    expect(lapse(record, diff(50, [err('gpu-instances', 'aws_instance.p5e')]))).toContain('`gpu-instances` on `aws_instance.p5e`');
  });

  it('decides what to show and store', () => {
    const d = diff(80, [err('max-monthly-increase')]);
    const previous = { record };
    const lapsed = decideApproval({ previous, diff: d, headSha: 'b'.repeat(40), label: 'mlcost:approved' });
    expect(lapsed.approval).toBeUndefined();
    expect(lapsed.store).toBeNull();
    expect(lapsed.notes[0]).toContain('no longer applies');
    const granted = decideApproval({ verdict: { kind: 'grant', by: 'mia', at: '2026-07-02T08:30:00Z', via: 'button', role: 'maintain' }, previous, diff: d, headSha: 'b'.repeat(40), label: 'l' });
    expect(granted.approval).toEqual({ by: 'mia', at: '2026-07-02 08:30 UTC', headSha: 'b'.repeat(40) });
    expect(granted.store).toMatchObject({ by: 'mia', delta: 80, via: 'button' });
    const revoked = decideApproval({ verdict: { kind: 'revoke', by: 'rita', at: 'x' }, previous, diff: diff(10, []), headSha: 'c'.repeat(40), label: 'mlcost:approved' });
    expect(revoked).toEqual({ store: null, notes: ['The approval by @alice was withdrawn: @rita removed the `mlcost:approved` label.'] });
  });
});
