/**
 * S3 bucket: storage GB-months per storage class and requests, all from usage (a bucket's size
 * is not in Terraform). Usage keys follow Infracost's (`standard.storage_gb`, ...).
 * https://aws.amazon.com/s3/pricing/
 */
import { keys } from '../keys.js';
import type { ComponentSpec, Pricer } from '../types.js';

/** Usage section -> S3 storage class. */
const CLASSES: [string, string, string][] = [
  ['standard', 'STANDARD', 'Standard'],
  ['intelligent_tiering', 'INTELLIGENT_TIERING', 'Intelligent-Tiering'],
  ['standard_infrequent_access', 'STANDARD_IA', 'Standard-IA'],
  ['one_zone_infrequent_access', 'ONEZONE_IA', 'One Zone-IA'],
  ['glacier_instant_retrieval', 'GLACIER_IR', 'Glacier Instant Retrieval'],
  ['glacier_flexible_retrieval', 'GLACIER', 'Glacier Flexible Retrieval'],
  ['glacier_deep_archive', 'DEEP_ARCHIVE', 'Glacier Deep Archive'],
];

export const awsS3Bucket = {
  type: 'aws_s3_bucket',
  components(r, ctx) {
    const region = r.region;
    const given = CLASSES.filter(([k]) => ['storage_gb', 'monthly_tier_1_requests', 'monthly_tier_2_requests'].some((f) => ctx.usage.num(`${k}.${f}`) !== undefined));
    const shown = given.length > 0 ? given : CLASSES.slice(0, 1);
    const out: ComponentSpec[] = [];
    for (const [section, cls, label] of shown) {
      const lines: [string, string, string, 'storage' | 'tier1' | 'tier2'][] = [
        [`Storage (${label})`, 'GB', `${section}.storage_gb`, 'storage'],
        [`PUT, COPY, POST, LIST requests (${label})`, 'requests', `${section}.monthly_tier_1_requests`, 'tier1'],
        [`GET, SELECT and other requests (${label})`, 'requests', `${section}.monthly_tier_2_requests`, 'tier2'],
      ];
      for (const [name, unit, usageKey, kind] of lines) {
        const price = !region ? null : kind === 'storage' ? keys.s3Storage(region, cls) : keys.s3Requests(region, cls, kind);
        out.push({
          name,
          unit,
          monthlyQuantity: ctx.usage.num(usageKey) ?? null,
          price,
          usageBased: true,
          usageKey,
          ...(region ? {} : { unpricedReason: 'region is unknown' }),
        });
      }
    }
    return out;
  },
} satisfies Pricer;
