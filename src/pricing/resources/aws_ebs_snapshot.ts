/**
 * EBS snapshot: GB-months of snapshot storage, standard tier (incremental, so its size comes from
 * usage `storage_gb`) or archive tier (storage_tier = "archive": full copies). https://aws.amazon.com/ebs/pricing/
 */
import { keys } from '../keys.js';
import { unpricedLine, usageLine } from '../lines.js';
import type { Pricer, ResourceView } from '../types.js';

function tierOf(r: ResourceView): { tier: 'standard' | 'archive'; why?: string } {
  const raw = r.get('storage_tier');
  const tier = r.str('storage_tier');
  if (raw !== undefined && raw !== null && tier === undefined) return { tier: 'standard', why: r.why('storage_tier') };
  return { tier: tier === 'archive' ? 'archive' : 'standard' };
}

export const awsEbsSnapshot = {
  type: 'aws_ebs_snapshot',
  components(r, ctx) {
    const { tier, why } = tierOf(r);
    const spec = { name: `Snapshot storage (${tier})`, unit: 'GB', usageKey: 'storage_gb', line: r.line('storage_tier') };
    if (why) return [unpricedLine({ ...spec, monthlyQuantity: ctx.usage.num('storage_gb') ?? null, usageBased: true }, why)];
    return [usageLine(r, ctx.usage, spec, (region) => keys.ebsSnapshot(region, tier))];
  },
  details(r, ctx) {
    const volume = ctx.referenced(r, 'volume_id')[0];
    const size = volume?.num('size');
    // The source volume's size bounds the first (full) snapshot; later ones store changed blocks only.
    return { storageTier: tierOf(r).tier, ...(volume ? { volume: volume.address } : {}), ...(size !== undefined ? { volumeSizeGb: size } : {}) };
  },
} satisfies Pricer;
