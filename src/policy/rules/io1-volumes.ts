/**
 * io1 EBS volumes: io2 gives the same IOPS at the same or a lower price (its IOPS price drops above
 * 32,000) with 100 times the durability, and gp3 serves up to 16,000 IOPS and 1,000 MiB/s for far
 * less. The saving compares io1 with the cheaper alternative that meets its IOPS and throughput
 * (io1: 256 KiB/s per IOPS, up to 500 MiB/s at 32,000 IOPS and 1,000 MiB/s above).
 */
import { defineRule } from '../rule.js';
import type { RuleFinding } from '../rule.js';
import { ebsVolumesOf, GP3_INCLUDED, gp3Cost, money, volumeCost } from '../facts.js';

/** io1 throughput: 256 KiB/s (a quarter MiB/s) per provisioned IOPS, capped at 500 MiB/s (1,000 above 32,000 IOPS). */
function io1Throughput(iops: number): number {
  return Math.min(iops > 32000 ? 1000 : 500, Math.ceil(iops / 4));
}

export const io1Volumes = defineRule({
  id: 'io1-volumes',
  summary: 'io1 EBS volumes where io2 or gp3 gives the same IOPS for the same or less.',
  defaults: { enabled: true, severity: 'warning' },
  options: {},
  optionDefaults: {},
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.projects) {
      for (const r of p.resources) {
        if (!ctx.settings(r, p)) continue;
        const region = r.region;
        for (const vol of ebsVolumesOf(r, p.relations, p.priced(r.address))) {
          if (vol.type !== 'io1' || vol.sizeGb === undefined || vol.iops === undefined || !p.book || !region) continue;
          const address = vol.name ? `${r.address}.${vol.name}` : r.address;
          const throughput = io1Throughput(vol.iops);
          const now = volumeCost(p.book, region, 'io1', vol.sizeGb, vol.iops);
          const io2 = volumeCost(p.book, region, 'io2', vol.sizeGb, vol.iops);
          const gp3Fits = vol.iops <= GP3_INCLUDED.maxIops && throughput <= GP3_INCLUDED.maxThroughput;
          const gp3 = gp3Fits ? gp3Cost(p.book, region, vol.sizeGb, vol.iops, throughput) : undefined;
          if (!now.ok) continue;
          const options = [...(gp3?.ok ? [{ name: 'gp3', usd: gp3.usd }] : []), ...(io2.ok ? [{ name: 'io2', usd: io2.usd }] : [])];
          const best = options.sort((a, b) => a.usd - b.usd)[0];
          if (!best) continue;
          const saving = Math.max(0, (now.usd - best.usd) * vol.count);
          const each = vol.count === 1 ? '' : ` × ${vol.count}`;
          const why =
            best.name === 'gp3'
              ? `gp3 provisioned to ${vol.iops.toLocaleString('en-US')} IOPS and ${throughput} MiB/s serves it: ${money(now.usd * vol.count)} → ${money(best.usd * vol.count)} / month`
              : saving > 0
                ? `io2 gives the same IOPS for less (its IOPS price drops above 32,000) with 100× the durability: ${money(now.usd * vol.count)} → ${money(best.usd * vol.count)} / month`
                : `io2 costs the same (${money(now.usd * vol.count)} / month) with 100× the durability (99.999%)`;
          out.push({
            project: p,
            resource: r,
            address,
            line: vol.line,
            monthlySavings: saving > 0 ? saving : null,
            message: `\`${address}\` is a ${vol.sizeGb} GB io1 volume with ${vol.iops.toLocaleString('en-US')} IOPS${each}; ${why}`,
          });
        }
      }
    }
    return out;
  },
});
