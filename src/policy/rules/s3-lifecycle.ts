/**
 * S3 buckets of datasets, checkpoints or artifacts (their name, resource name or tags say so)
 * without an enabled lifecycle rule that moves objects to a colder class or expires them: data
 * nobody reads stays in S3 Standard forever. The figures compare the book's Standard price with the
 * target class; the saving depends on how much of the data is old, so it is given as a bound, not
 * counted as a saving.
 */
import { z } from 'zod';
import type { Resource } from '../../core/types.js';
import { monthlyPrice, usageValues } from '../../pricing/cost.js';
import { keys, S3_STORAGE_CLASSES } from '../../pricing/keys.js';
import { lifecycleRules } from '../../pricing/resources/aws_s3_bucket.js';
import { defineRule } from '../rule.js';
import type { ProjectView, RuleFinding } from '../rule.js';
import { money, pricedLines, unitPrice, view } from '../facts.js';

const COLD = S3_STORAGE_CLASSES.filter((c) => c !== 'STANDARD' && c !== 'EXPRESS_ONEZONE');

/** What in a bucket's names or tags says it holds ML data. */
function mlData(r: Resource, words: readonly string[]): string | undefined {
  const v = view(r);
  const texts = [r.address.split('.').pop() ?? '', v.str('bucket') ?? '', v.str('bucket_prefix') ?? '', ...Object.values(r.tags ?? {})];
  for (const w of words) {
    const hit = texts.find((t) => t.toLowerCase().includes(w.toLowerCase()));
    if (hit) return `"${w}" in "${hit}"`;
  }
  return undefined;
}

function hasLifecycle(p: ProjectView, r: Resource): boolean {
  const ctx = { usage: usageValues({}), instanceSpec: () => undefined, ...p.relations };
  const { rules } = lifecycleRules(view(r), ctx);
  return rules.some((x) => x.classes.length > 0 || x.expirationDays !== undefined);
}

export const s3Lifecycle = defineRule({
  id: 's3-lifecycle',
  summary: 'S3 buckets of datasets, checkpoints or artifacts without a lifecycle rule to a colder class (or expiry).',
  defaults: { enabled: true, severity: 'info' },
  options: {
    match: z.array(z.string().min(1)).optional().describe('Words in a bucket\'s name or tags that mark ML data (default dataset, checkpoint, ckpt, artifact, model, training, feature).'),
    storageClass: z.enum(COLD, { error: `expected one of ${COLD.map((c) => `\`${c}\``).join(', ')}` }).optional().describe('Class the advice moves old objects to (default GLACIER_IR).'),
    afterDays: z.number().int().positive().optional().describe('Age after which objects move (default 30 days).'),
  },
  optionDefaults: { match: ['dataset', 'checkpoint', 'ckpt', 'artifact', 'model', 'training', 'feature'], storageClass: 'GLACIER_IR' as const, afterDays: 30 },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.projects) {
      for (const r of p.resources) {
        if (r.type !== 'aws_s3_bucket') continue;
        const s = ctx.settings(r, p);
        if (!s) continue;
        const why = mlData(r, s.match);
        if (!why || hasLifecycle(p, r)) continue;
        let figures = '';
        if (p.book && r.region) {
          const std = p.book.lookup(keys.s3Storage(r.region, 'STANDARD'));
          const cold = p.book.lookup(keys.s3Storage(r.region, s.storageClass));
          if (std.ok && cold.ok) figures = ` (${unitPrice(cold.price.usd, 'GB-month')} instead of ${unitPrice(std.price.usd, 'GB-month')})`;
          const stored = pricedLines(p.priced(r.address), (q) => q.key === 'storage:STANDARD');
          if (stored.quantity > 0) {
            const after = monthlyPrice(p.book, keys.s3Storage(r.region, s.storageClass), stored.quantity);
            if (after.ok && stored.cost > after.usd)
              figures += `; the ${stored.quantity.toLocaleString('en-US')} GB in Standard cost ${money(stored.cost)} / month, ${money(after.usd)} if all of it were older than ${s.afterDays} days (up to ${money(stored.cost - after.usd)} less; how much is that old is not known)`;
          }
        }
        out.push({
          project: p,
          resource: r,
          message:
            `\`${r.address}\` looks like ML data (${why}) but has no lifecycle rule that moves or expires objects: ` +
            `add an aws_s3_bucket_lifecycle_configuration that moves objects to ${s.storageClass} after ${s.afterDays} days${figures}, or expires old checkpoints`,
        });
      }
    }
    return out;
  },
});
