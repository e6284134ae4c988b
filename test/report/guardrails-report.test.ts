/** What the comment and the check show of guardrails: savings we can price, ignored findings, approvals. */
import { describe, expect, it } from '@jest/globals';
import { loadTemplates } from '../../src/adapters/templates.js';
import { createRenderer, parseCommentMarker } from '../../src/report/render.js';
import type { Diff } from '../../src/core/types.js';
import { breakdown, component, diffOf, finding, project, resource } from './factory.js';

const renderer = createRenderer(loadTemplates());

function guarded(): Diff {
  const base = breakdown([project('infra', [resource('aws_ebs_volume.a', [component('Storage (gp2)', 10)])])]);
  const head = breakdown([project('infra', [resource('aws_ebs_volume.a', [component('Storage (gp2)', 50)])])]);
  const d = diffOf(base, head, [
    finding('gp2-volumes', 'warning', '`aws_ebs_volume.a` is a 500 GB gp2 volume', { file: 'infra/main.tf', line: 3, address: 'aws_ebs_volume.a', monthlySavings: 5 }),
    finding('spot-for-training', 'error', 'on-demand', { file: 'infra/eks.tf', line: 9, address: 'aws_eks_node_group.t', monthlySavings: 1026.32 }),
  ]);
  d.policy.ignored = [{ ...finding('log-retention', 'info', 'forever', { address: 'aws_cloudwatch_log_group.audit', file: 'infra/logs.tf', line: 4 }), reason: 'kept 7 years | <b>policy</b>', ignoredAt: { file: 'infra/logs.tf', line: 3 } }];
  return d;
}

describe('guardrails in the report', () => {
  it('lists the savings we can price, their sum, and what was ignored with the reason (escaped)', () => {
    const md = renderer.renderComment(guarded());
    expect(md).toContain('**Savings we can price**\n- 💡 <code>spot-for-training</code> on <code>aws&#95;eks&#95;node&#95;group.t</code>: **-$1,026 / month** (<code>infra/eks.tf:9</code>)\n- 💡 <code>gp2-volumes</code> on <code>aws&#95;ebs&#95;volume.a</code>: **-$5.00 / month** (<code>infra/main.tf:3</code>)\n- Up to $1,031 / month in all');
    expect(md).toContain('**Ignored** (<code>mlcost:ignore</code> comments in the code)\n- 🙈 <code>log-retention</code> on <code>aws&#95;cloudwatch&#95;log&#95;group.audit</code> — kept 7 years &#124; &lt;b&gt;policy&lt;/b&gt; (<code>infra/logs.tf:3</code>)');
    // Backtick pairs of a message are code spans.
    expect(md).toContain('⚠️ <code>gp2-volumes</code>: <code>aws&#95;ebs&#95;volume.a</code> is a 500 GB gp2 volume');
    const check = renderer.renderCheckRun(guarded());
    expect(check.text).toContain('**Savings we can price**');
    expect(check.text).toContain('**Ignored**');
    expect(check.conclusion).toBe('failure');
  });

  it('shows an approval and its notes in the comment and the check, and keeps marker state', () => {
    const approval = { by: 'alice', at: '2026-07-01 10:00 UTC', headSha: 'abcdef1234' };
    const md = renderer.renderComment(guarded(), { headSha: 'abcdef1234', approval, approvalNotes: ['The `x` label added by @rita was ignored.'], markerState: { 'approved-by': 'alice' }, approveLabel: 'mlcost:approved' });
    expect(md.split('\n').slice(0, 4)).toEqual([
      '<!-- mlcost:comment v1 head=abcdef1234 approved-by=alice -->',
      expect.stringMatching(/^### 💰 mlcost:/),
      '',
      '✅ Approved by &#64;&#8205;alice on 2026-07-01 10:00 UTC for head abcdef1: the failed guardrails below do not block this pull request.',
    ]);
    expect(md).toContain('> The <code>x</code> label added by &#64;&#8205;rita was ignored.');
    // Approved: the footer does not ask for an approval.
    expect(md).not.toContain('approve a breach with');
    expect(parseCommentMarker(md)?.state).toEqual({ 'approved-by': 'alice' });
    const check = renderer.renderCheckRun(guarded(), { approval });
    expect(check.conclusion).toBe('success');
    expect(check.summary.startsWith('✅ Approved by')).toBe(true);
  });
});
