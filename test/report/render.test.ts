import { describe, expect, it } from '@jest/globals';
import { loadTemplates } from '../../src/adapters/templates.js';
import type { Diff } from '../../src/core/types.js';
import {
  COMMENT_MARKER,
  COMMENT_MAX_LENGTH,
  CHECK_RUN_MAX_LENGTH,
  createRenderer,
  parseCommentMarker,
} from '../../src/report/render.js';
import { buildCommentModel, commentMarker } from '../../src/report/view-model.js';
import { expectGolden } from '../helpers/golden.js';
import { breakdown, component, diffOf, finding, project, realisticDiff, resource } from './factory.js';

const renderer = createRenderer(loadTemplates());
const SHA = '3f9c2e1a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e';

function headlineOf(diff: Diff): string {
  const line = renderer.renderComment(diff).split('\n')[1] ?? '';
  expect(line.startsWith('### ')).toBe(true);
  return line.slice(4);
}

function simpleDiff(baseCost: number | null, headCost: number | null): Diff {
  const base = baseCost === null ? [] : [resource('aws_instance.a', [component('Instance usage (m5.large)', baseCost)])];
  const head = headCost === null ? [] : [resource('aws_instance.a', [component('Instance usage (m5.large)', headCost)])];
  return diffOf(breakdown([project('infra', base)]), breakdown([project('infra', head)]));
}

function tableRows(md: string, header: string): string[] {
  const lines = md.split('\n');
  const start = lines.indexOf(header);
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line);
  }
  return rows;
}

/** Cells of a GFM table row: split on unescaped pipes, as GitHub does. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
}

describe('headline', () => {
  it('states an increase with its percentage and the guardrail status', () => {
    expect(headlineOf(simpleDiff(100, 138))).toBe('💰 mlcost: **+$38.00 / month** (+38%) · ✅ within thresholds');
  });

  it('states a decrease', () => {
    expect(headlineOf(simpleDiff(5000, 3000))).toBe('💰 mlcost: **-$2,000 / month** (-40%) · ✅ within thresholds');
  });

  it('states no change', () => {
    const d = simpleDiff(100, 100);
    expect(headlineOf(d)).toBe('💰 mlcost: **$0.00 / month** (no infrastructure changes to price) · ✅ within thresholds');
  });

  it('says unknown, not $0, when the only change cannot be priced', () => {
    const d = diffOf(
      breakdown([project('infra', [])]),
      breakdown([project('infra', [resource('aws_x.y', [component('Thing', null)])])]),
    );
    expect(d.resources[0]?.delta).toBeNull();
    expect(headlineOf(d)).toBe('💰 mlcost: **unknown / month** (1 change not priced) · ✅ within thresholds');
  });

  it('adds "+ unknown" when priced and unpriced changes mix', () => {
    const d = diffOf(
      breakdown([project('infra', [])]),
      breakdown([project('infra', [resource('aws_x.y', [component('Thing', null)]), resource('aws_x.z', [component('Thing', 50)])])]),
    );
    expect(headlineOf(d)).toBe('💰 mlcost: **+$50.00 / month** + unknown: 1 change not priced · ✅ within thresholds');
  });

  it('counts failed guardrails, warnings and savings', () => {
    const d = simpleDiff(100, 200);
    d.policy.findings = [
      finding('a', 'error', 'x'),
      finding('b', 'error', 'y'),
      finding('c', 'warning', 'z'),
      finding('d', 'info', 'w', { monthlySavings: 1211.4 }),
    ];
    expect(headlineOf(d)).toBe(
      '💰 mlcost: **+$100.00 / month** (+100%) · ❌ 2 guardrails failed · ⚠️ 1 warning · 💡 save up to $1,211 / month',
    );
  });
});

describe('comment', () => {
  it('lists projects biggest change first, with a total row', () => {
    const md = renderer.renderComment(realisticDiff());
    expect(tableRows(md, '| Project | Base | Head | Δ / month |')).toEqual([
      '| <code>infra/ml-platform</code> (Terraform, us-east-1) | $1,086 | $5,164 + unknown | +$4,078 + unknown |',
      '| <code>charts/inference</code> (Helm, us-east-1) | $306.00 | $459.00 | +$153.00 |',
      '| <code>.github/workflows/retrain.yml</code> (pipeline) | $0.96 | $0.96 | $0.00 |',
      '| **Total** | **$1,393** | **$5,624** + unknown | **+$4,231** + unknown |',
    ]);
  });

  it('orders biggest changes by |delta|, unknown after known, then address, at most 10', () => {
    const resources = Array.from({ length: 14 }, (_, i) => resource(`aws_instance.r${String(i).padStart(2, '0')}`, [component('Compute', (i % 7) * 10)]));
    const head = [
      ...resources.map((r, i) => (i === 3 ? resource(r.address, [component('Compute', -500 + 70)]) : r)),
      resource('aws_x.unknown', [component('Thing', null)]),
      resource('aws_instance.new', [component('Compute', 25)]),
    ];
    const base = resources.map((r) => resource(r.address, [component('Compute', 5)]));
    const model = buildCommentModel(diffOf(breakdown([project('p', base)]), breakdown([project('p', head)])));
    const items = model.biggestChanges?.items ?? [];
    expect(items).toHaveLength(10);
    expect(items.slice(0, 4).map((i) => [i.icon, i.amount])).toEqual([
      ['🔻', '-$435.00'],
      ['🔺', '+$55.00'],
      ['🔺', '+$55.00'],
      ['🔺', '+$45.00'],
    ]);
    expect(items[1]?.address).toBe('<code>aws&#95;instance.r06</code>');
    expect(items[2]?.address).toBe('<code>aws&#95;instance.r13</code>');
    expect(model.biggestChanges?.more).toBe('…and 6 more changes'); // 16 changes in all
    const amounts = items.map((i) => i.amount);
    expect(amounts).toContain('+$25.00');
    expect(amounts.indexOf('unknown')).toBe(-1); // 10 known non-zero changes come first
  });

  it('renders an unknown cost as unknown, never $0', () => {
    const d = diffOf(
      breakdown([project('infra', [])]),
      breakdown([project('infra', [resource('aws_x.y', [component('Thing', null)], { unpriced: [{ component: 'Thing', reason: 'no price in snapshot' }] })])]),
    );
    const md = renderer.renderComment(d);
    expect(md).toContain('- ➕ <code>aws&#95;x.y</code>: **unknown** — not priced: Thing: no price in snapshot');
    expect(md).toContain('| <code>aws&#95;x.y</code> (added) | Thing | unknown | no price: no price in snapshot | – | unknown | unknown |');
    expect(md).toContain('| <code>infra</code> (Terraform, us-east-1) | $0.00 | $0.00 + unknown | $0.00 + unknown |');
  });

  it('shows the unit price of usage-based components and where to set the usage', () => {
    const s3 = resource('aws_s3_bucket.b', [
      component('Requests', null, { unit: '1k requests', monthlyQuantity: null, unitPrice: 0.005, usageBased: true, usageKey: 'monthly_requests' }),
    ], { monthlyCost: 0 });
    const md = renderer.renderComment(diffOf(breakdown([project('p', [])]), breakdown([project('p', [s3])])));
    expect(md).toContain(
      '| <code>aws&#95;s3&#95;bucket.b</code> (added) | Requests | depends on usage: set <code>monthly&#95;requests</code> for <code>aws&#95;s3&#95;bucket.b</code> under <code>usage:</code> in <code>.mlcost.yml</code> | $0.005 / 1k requests | – | unknown | unknown |',
    );
    expect(md).toContain('**Depends on usage** (not in the totals until you give the usage)');
    expect(md).toContain('- <code>aws&#95;s3&#95;bucket.b</code> · Requests: $0.005 / 1k requests; set <code>monthly&#95;requests</code> for <code>aws&#95;s3&#95;bucket.b</code> under <code>usage:</code> in <code>.mlcost.yml</code>');
  });

  it('cannot be broken or injected by hostile names', () => {
    const evil = '| </details> <img src=x> @everyone [x](http://evil) `code`';
    const safe = '&#124; &lt;/details&gt; &lt;img src=x&gt; &#64;&#8205;everyone &#91;x&#93;&#40;http&#58;//evil&#41; &#96;code&#96;';
    const build = (name: string, address: string): Diff =>
      diffOf(
        breakdown([project(name, [resource(address, [component(name, 10)])])]),
        breakdown([project(name, [resource(address, [component(name, 20)], { file: `${name}.tf`, line: 3 })], { errors: [{ file: 'x.tf', line: 1, message: name }] })]),
        [finding(name, 'error', name, { file: `${name}.tf`, line: 3 })],
      );
    const plain = renderer.renderComment(build('ok', 'aws_x.ok'));
    const hostile = renderer.renderComment(build(evil, `aws_x.y["${evil}"]`));

    for (const header of ['| Project | Base | Head | Δ / month |', '| Resource | Component | Quantity | Unit price | Base | Head | Δ / month |']) {
      const a = tableRows(plain, header);
      const b = tableRows(hostile, header);
      expect(b).toHaveLength(a.length);
      b.forEach((row, i) => expect(cells(row)).toHaveLength(cells(a[i] as string).length));
    }
    expect(tableRows(hostile, '| Project | Base | Head | Δ / month |')[0]).toBe(
      `| <code>${safe}</code> (Terraform, us-east-1) | $10.00 | $20.00 | +$10.00 |`,
    );
    // Backtick pairs in a finding's message become code spans whose text is escaped like the rest.
    expect(hostile).toContain(`- ❌ <code>${safe}</code>: ${safe.replace('&#96;code&#96;', '<code>code</code>')} (<code>${safe}.tf:3</code>)`);
    // Only our own markup survives: one comment marker, balanced details, no raw tags or mentions.
    expect(hostile.match(/<!--/g)).toHaveLength(1);
    expect(hostile.match(/<details>/g)?.length).toBe(hostile.match(/<\/details>/g)?.length);
    expect(hostile.match(/<details>/g)?.length).toBe(plain.match(/<details>/g)?.length);
    expect(hostile).not.toMatch(/<img|@everyone|\]\(|`code`/);
  });

  it('round-trips the marker', () => {
    const md = renderer.renderComment(simpleDiff(1, 2), { headSha: SHA });
    expect(md.startsWith(`${COMMENT_MARKER} head=${SHA} -->\n`)).toBe(true);
    expect(parseCommentMarker(md)).toEqual({ headSha: SHA, state: {} });
    expect(parseCommentMarker(renderer.renderComment(simpleDiff(1, 2)))).toEqual({ headSha: null, state: {} });
    expect(commentMarker('not a sha --> <b>')).toBe('<!-- mlcost:comment v1 head=none -->');
    expect(parseCommentMarker('\n  <!-- mlcost:comment v1 head=ABCDEF0 -->\nbody')).toEqual({ headSha: 'abcdef0', state: {} });
    expect(parseCommentMarker('Great PR!\n<!-- mlcost:comment v1 head=abcdef0 -->')).toBeNull();
    expect(parseCommentMarker('<!-- other -->')).toBeNull();
  });

  it('writes the price dates and the head SHA in the footer', () => {
    const md = renderer.renderComment(realisticDiff(), { headSha: SHA });
    expect(md.trimEnd().split('\n').pop()).toBe(
      '<sub>Prices: AWS list prices, embedded snapshot 2026-07-20 · oldest price used 2025-06-01 · 730 h/month · updated for 3f9c2e1</sub>',
    );
  });

  it('matches the golden comment for a realistic diff', () => {
    const md = renderer.renderComment(realisticDiff(), { headSha: SHA, approveLabel: 'mlcost:approved' });
    expectGolden('test/fixtures/report/comment.md', md);
  });
});

/** `n` resources over 3 projects: every fifth one changed, every seventh one added, with long names. */
function hugeDiff(n: number): Diff {
  const name = (i: number): string => `module.platform.aws_instance.worker_with_a_rather_long_name["node-${String(i).padStart(5, '0')}"]`;
  const make = (i: number, cost: number): ReturnType<typeof resource> =>
    resource(name(i), [component('Instance usage (m5.large)', cost), component('Storage (gp3)', 1.6, { unit: 'GB-month', monthlyQuantity: 20, unitPrice: 0.08 })], {
      file: `infra/p${i % 3}/main.tf`,
      line: i + 1,
    });
  const base = [0, 1, 2].map((p) => project(`infra/p${p}`, []));
  const head = [0, 1, 2].map((p) => project(`infra/p${p}`, []));
  for (let i = 0; i < n; i++) {
    const cost = 70 + (i % 13);
    if (i % 7 !== 0) base[i % 3]?.resources.push(make(i, cost));
    head[i % 3]?.resources.push(make(i, i % 5 === 0 ? cost * 2 : cost));
  }
  const total = (ps: typeof base): typeof base =>
    ps.map((p) => ({ ...p, totalMonthlyCost: p.resources.reduce((s, r) => s + (r.monthlyCost ?? 0), 0) }));
  const findings = Array.from({ length: 40 }, (_, i) => finding(`rule-${i}`, i % 2 ? 'warning' : 'error', `finding ${i}`, { file: 'infra/p0/main.tf', line: i + 1 }));
  return diffOf(breakdown(total(base)), breakdown(total(head)), findings);
}

describe('size limit', () => {
  const diff = hugeDiff(4000);

  it('keeps a 4,000-resource comment within 65,536 characters, with headline, totals and what was cut', () => {
    const full = buildCommentModel(diff);
    expect(full.details?.flatMap((d) => d.rows).length).toBe(8000);
    const md = renderer.renderComment(diff, { headSha: SHA });
    expect(md.length).toBeLessThanOrEqual(COMMENT_MAX_LENGTH);
    expect(md.length).toBeGreaterThan(COMMENT_MAX_LENGTH * 0.9);
    expect(parseCommentMarker(md)).toEqual({ headSha: SHA, state: {} });
    expect(md.split('\n')[1]).toMatch(/^### 💰 mlcost: \*\*\+\$[\d,]+ \/ month\*\* \(\+\d+(\.\d)?%\) · ❌ 20 guardrails failed · ⚠️ 20 warnings$/);
    expect(tableRows(md, '| Project | Base | Head | Δ / month |')).toHaveLength(4);
    expect(md).toMatch(/\| \*\*Total\*\* \| \*\*\$[\d,]+\*\* \| \*\*\$[\d,]+\*\* \| \*\*\+\$[\d,]+\*\* \|/);
    const cut = /> ([\d,]+) resources not shown: the comment reached GitHub's size limit; run `mlcost diff` locally for the full breakdown\./.exec(md);
    expect(cut).not.toBeNull();
    const shown = (md.match(/^\| <code>module\.platform/gm) ?? []).length;
    expect(shown + Number((cut?.[1] ?? '').replace(/,/g, ''))).toBe(4000);
    expect(shown).toBeGreaterThan(0);
    // Whole rows and balanced tags only.
    for (const line of md.split('\n').filter((l) => l.startsWith('| <code>module'))) expect(cells(line)).toHaveLength(7);
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
    expect(md.match(/<code>/g)?.length).toBe(md.match(/<\/code>/g)?.length);
    expect(md.trimEnd().endsWith('</sub>')).toBe(true);
  });

  it('shortens lists, then project rows, when details alone are not enough', () => {
    const md = renderer.renderComment(diff, { maxLength: 3000 });
    expect(md.length).toBeLessThanOrEqual(3000);
    expect(md).toContain('**Total**');
    expect(md).toMatch(/4,000 resources not shown/);
    expect(md).not.toContain('<details><summary><code>infra');
    expect(md).toMatch(/- …and [\d,]+ more (changes|findings)/);
    const tiny = renderer.renderComment(diff, { maxLength: 700 });
    expect(tiny.length).toBeLessThanOrEqual(700);
    expect(tiny.split('\n')[1]).toMatch(/^### 💰 mlcost:/);
    expect(tiny).toContain('**Total**');
  });

  it('keeps check-run summary and text within 65,535 characters', () => {
    const run = renderer.renderCheckRun(diff, { headSha: SHA });
    expect(run.summary.length).toBeLessThanOrEqual(CHECK_RUN_MAX_LENGTH);
    expect(run.text.length).toBeLessThanOrEqual(CHECK_RUN_MAX_LENGTH);
    expect(run.annotations).toHaveLength(40);
  });
});

describe('check run', () => {
  it('titles, concludes and annotates', () => {
    const run = renderer.renderCheckRun(realisticDiff(), { headSha: SHA });
    expect(run.name).toBe('mlcost');
    expect(run.title).toBe('+$4,231/month (+304%) + unknown · 1 guardrail failed · 1 warning');
    expect(run.conclusion).toBe('failure');
    expect(run.summary.split('\n')[0]).toBe(
      '### 💰 mlcost: **+$4,231 / month** (+304%) + unknown: 1 change not priced · ❌ 1 guardrail failed · ⚠️ 1 warning · 💡 save up to $1,162 / month',
    );
    expect(run.summary).toContain('| **Total** | **$1,393** | **$5,624** + unknown | **+$4,231** + unknown |');
    expect(run.summary).not.toContain('<details>');
    expect(run.text).toContain('**Guardrails failed**');
    expect(run.text).toContain('**Assumptions**');
    expect(run.annotations.map((a) => [a.annotation_level, a.path, a.start_line, a.end_line, a.title])).toEqual([
      ['failure', 'infra/ml-platform/eks.tf', 88, 88, 'mlcost: spot-for-training (error)'],
      ['warning', 'infra/ml-platform/serving.tf', 14, 14, 'mlcost: endpoint-idle-risk (warning)'],
      ['notice', 'infra/ml-platform/eks.tf', 31, 31, 'mlcost: gp2-to-gp3 (info)'],
    ]);
    expect(run.annotations[0]?.message).toBe(
      '[spot-for-training] aws_eks_node_group.gpu_training is labelled workload=training but uses ON_DEMAND capacity. Spot would save about 65% at desired size. Change: +$1,788/month. Saves up to $1,152/month.',
    );
    expect(run.annotations[1]?.message).toContain('Change: +$2,290/month.');
  });

  it('skips findings without a file and line, and takes the conclusion from the policy', () => {
    const d = simpleDiff(10, 20);
    d.policy = { conclusion: 'neutral', findings: [finding('w', 'warning', 'no place'), finding('v', 'warning', 'placed', { file: 'a.tf', line: 2 })] };
    const run = renderer.renderCheckRun(d);
    expect(run.conclusion).toBe('neutral');
    expect(run.annotations).toHaveLength(1);
    expect(run.title).toBe('+$10.00/month (+100%) · 2 warnings');
  });

  it('says when nothing changed', () => {
    const run = renderer.renderCheckRun(simpleDiff(10, 10));
    expect(run.title).toBe('No infrastructure changes to price');
    expect(run.conclusion).toBe('success');
  });

  it('reports an approval', () => {
    const run = renderer.renderCheckRun(realisticDiff(), { approval: { by: 'alice', at: '2026-07-21', headSha: SHA } });
    expect(run.conclusion).toBe('success');
    expect(run.title.endsWith(' · approved')).toBe(true);
    expect(run.summary.split('\n')[0]).toBe(
      '✅ Approved by &#64;&#8205;alice on 2026-07-21 for head 3f9c2e1: the failed guardrails below do not block this pull request.',
    );
  });
});

describe('breakdown markdown', () => {
  it('lists projects, resources and components with their costs', () => {
    const md = renderer.renderBreakdownMarkdown(realisticDiff().head);
    expect(md.split('\n')[0]).toBe('### 💰 mlcost: **$5,624 / month** + unknown: 1 resource not priced · 3 projects');
    expect(tableRows(md, '| Project | Monthly cost |')).toEqual([
      '| <code>infra/ml-platform</code> (Terraform, us-east-1) | $5,164 + unknown |',
      '| <code>charts/inference</code> (Helm, us-east-1) | $459.00 |',
      '| <code>.github/workflows/retrain.yml</code> (pipeline) | $0.96 |',
      '| **Total** | **$5,624** + unknown |',
    ]);
    expect(md).toContain('| <code>aws&#95;instance.bastion</code> | Instance usage &#40;t3.micro&#41; | 730 hours | $0.0104 / hour | $7.59 |');
    expect(md).toContain('| <code>aws&#95;sagemaker&#95;endpoint.ranker&#95;async</code> | Async inference &#40;ml.inf2.xlarge&#41; | not priced: no price for ml.inf2.xlarge async inference in the snapshot | no price | unknown |');
    expect(md.trimEnd().split('\n').pop()).toBe('<sub>Prices: AWS list prices, embedded snapshot 2026-07-20 · oldest price used 2025-06-01 · 730 h/month</sub>');
  });
});

describe('renderer setup', () => {
  it('refuses incomplete template sets', () => {
    expect(() => createRenderer({ comment: '' })).toThrow('missing report templates: check-summary, check-text, breakdown');
  });
});

describe('gaps', () => {
  it('lists a resource waiting for usage under "depends on usage" only, and one without any price as not priced', () => {
    const usageOnly = resource('aws_s3_bucket.u', [component('Storage', null, { unit: 'GB', usageBased: true, usageKey: 'standard.storage_gb', unitPrice: 0.023 })]);
    const nothing = resource('aws_foo.bar', [component('Thing', null)]);
    const model = buildCommentModel(diffOf(breakdown([project('p', [])]), breakdown([project('p', [usageOnly, nothing])])));
    expect(model.notes?.summary).toBe('1 cost depending on usage · 1 not priced');
    expect(model.notes?.unpriced?.items).toEqual([{ subject: '<code>aws&#95;foo.bar</code>', text: 'no part of it could be priced' }]);
    expect(model.notes?.usage?.items.map((i) => i.subject)).toEqual(['<code>aws&#95;s3&#95;bucket.u</code> · Storage']);
  });
});
