/**
 * gp2 EBS volumes: gp3 gives the same baseline performance for less. The saving compares each gp2
 * volume with a gp3 volume provisioned to match gp2's sustained baseline (3 IOPS per GB, its
 * throughput by size: facts.ts `gp2Baseline`), priced through the book. Volumes of `aws_ebs_volume` (the AWS provider creates gp2 when
 * `type` is not set), instances' block devices, launch templates' mappings (times the instances a
 * node group or Auto Scaling group runs), and Kubernetes claims of gp2 storage classes.
 */
import type { Resource } from '../../core/types.js';
import { defineRule } from '../rule.js';
import type { ProjectView, RuleFinding } from '../rule.js';
import { ebsVolumesOf, gp2Baseline, gp3Cost, money, volumeCost, view } from '../facts.js';
import type { EbsVolume } from '../facts.js';

/** Claims of a Kubernetes PVC or StatefulSet whose storage class is EBS gp2, as volumes. */
function kubernetesVolumes(r: Resource): EbsVolume[] {
  const v = view(r);
  const classes = v.get('storage_classes');
  const out: EbsVolume[] = [];
  const replicas = r.type === 'kubernetes_stateful_set' ? (v.num('groups.0.replicas') ?? 1) : 1;
  v.list('volumes').forEach((vol) => {
    const cls = vol.str('storage_class') ?? v.str('default_storage_class');
    const data = cls && classes && typeof classes === 'object' && !Array.isArray(classes) ? (classes as Record<string, unknown>)[cls] : undefined;
    const type = data && typeof data === 'object' ? (data as Record<string, unknown>)['type'] : undefined;
    if (type !== 'gp2') return;
    out.push({ name: `volume ${vol.str('name') ?? ''}`.trim(), type: 'gp2', explicit: true, sizeGb: vol.num('storage_gib'), iops: undefined, throughput: undefined, line: vol.num('line') ?? r.line, count: replicas });
  });
  return out;
}

function volumesOf(r: Resource, p: ProjectView): EbsVolume[] {
  if (r.type === 'kubernetes_persistent_volume_claim' || r.type === 'kubernetes_stateful_set') return kubernetesVolumes(r);
  return ebsVolumesOf(r, p.relations, p.priced(r.address));
}

export const gp2Volumes = defineRule({
  id: 'gp2-volumes',
  summary: 'gp2 EBS volumes, with the saving of gp3 at the same baseline performance.',
  defaults: { enabled: true, severity: 'warning' },
  options: {},
  optionDefaults: {},
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.projects) {
      for (const r of p.resources) {
        if (!ctx.settings(r, p)) continue;
        const region = r.region;
        for (const vol of volumesOf(r, p)) {
          if (vol.type !== 'gp2' || vol.sizeGb === undefined || vol.sizeGb <= 0) continue;
          const address = vol.name ? `${r.address}.${vol.name}` : r.address;
          const each = vol.count === 1 ? '' : ` × ${vol.count}`;
          const how = vol.explicit ? '' : ' (type not set: the AWS provider creates gp2)';
          const perf = gp2Baseline(vol.sizeGb);
          let saving: number | null = null;
          let figures = '';
          if (p.book && region) {
            const now = volumeCost(p.book, region, 'gp2', vol.sizeGb, undefined);
            const gp3 = gp3Cost(p.book, region, vol.sizeGb, perf.iops, perf.throughput);
            if (now.ok && gp3.ok) {
              saving = (now.usd - gp3.usd) * vol.count;
              figures = `: ${money(now.usd * vol.count)} → ${money(gp3.usd * vol.count)} / month`;
            }
          }
          if (saving !== null && saving <= 0) continue;
          out.push({
            project: p,
            resource: r,
            address,
            line: vol.line,
            monthlySavings: saving,
            message:
              `\`${address}\` is a ${vol.sizeGb} GB gp2 volume${each}${how}; gp3 at the same sustained baseline (${perf.iops.toLocaleString('en-US')} IOPS, ${perf.throughput} MiB/s) costs less${figures}` +
              (r.type.startsWith('kubernetes_') ? ' (use a gp3 storage class)' : ' (EBS changes the type in place, without downtime)'),
          });
        }
      }
    }
    return out;
  },
});
