/**
 * Attribution: the tag keys every priced AWS resource must carry (its own `tags` merged with the
 * provider's `default_tags`), and where tags reach the instances that bill: an Auto Scaling group's
 * `tag` blocks with `propagate_at_launch = true` (default_tags never reach them) or its launch
 * template's `tag_specifications`; an EKS node group's launch template `tag_specifications` (EKS does
 * not copy node group tags to its instances). Kubernetes workloads need the same keys as pod labels
 * (or the keys of `labels`). Off until `keys` is set.
 */
import { z } from 'zod';
import type { Resource } from '../../core/types.js';
import { isUnknown } from '../../core/types.js';
import { pricerFor } from '../../pricing/index.js';
import { defineRule } from '../rule.js';
import type { ProjectView, RuleFinding } from '../rule.js';
import { asgPropagatedTags, labelsOf, launchTemplateInstanceTags, launchTemplateOf, view } from '../facts.js';

const key = z.string().min(1).max(128);

function list(keys: string[]): string {
  return keys.map((k) => `\`${k}\``).join(', ');
}

/** Keys present on a resource: merged tags, plus keys of a `tags` map whose values are unknown. */
function present(r: Resource): Set<string> | undefined {
  const raw = r.attributes['tags'];
  if (isUnknown(raw)) return undefined;
  const keys = new Set(Object.keys(r.tags ?? {}));
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) for (const k of Object.keys(raw)) keys.add(k);
  return keys;
}

function missing(required: readonly string[], have: Set<string> | Record<string, string>): string[] {
  const keys = have instanceof Set ? have : new Set(Object.keys(have));
  return required.filter((k) => !keys.has(k));
}

function check(p: ProjectView, r: Resource, keys: string[], labels: string[]): RuleFinding | undefined {
  const v = view(r);
  const at = (line: number, message: string): RuleFinding => ({ project: p, resource: r, line, message });
  if (r.type.startsWith('kubernetes_')) {
    if (!Array.isArray(r.attributes['groups']) || labels.length === 0) return undefined;
    const lack = missing(labels, labelsOf(r));
    return lack.length ? at(r.line, `\`${r.address}\` has no pod label${lack.length === 1 ? '' : 's'} ${list(lack)} (rules.required-tags), so its cost cannot be attributed`) : undefined;
  }
  if (!r.type.startsWith('aws_') || !pricerFor(r.type)) return undefined;
  if (r.type === 'aws_autoscaling_group') {
    const lt = launchTemplateOf(r, p.relations);
    const have = { ...(lt ? launchTemplateInstanceTags(lt) : {}), ...asgPropagatedTags(r) };
    const lack = missing(keys, have);
    return lack.length
      ? at(v.line('tag'), `\`${r.address}\` launches instances without ${list(lack)}: add \`tag\` blocks with propagate_at_launch = true${lt ? ` or tag_specifications in \`${lt.address}\`` : ''} (provider default_tags do not reach them)`)
      : undefined;
  }
  const own = present(r);
  if (!own) return undefined;
  const lack = missing(keys, own);
  const problems: string[] = [];
  if (lack.length) problems.push(`has no tag${lack.length === 1 ? '' : 's'} ${list(lack)} (its own tags and the provider's default_tags)`);
  if (r.type === 'aws_eks_node_group') {
    const lt = launchTemplateOf(r, p.relations);
    const onInstances = lt ? missing(keys, launchTemplateInstanceTags(lt)) : keys;
    if (onInstances.length)
      problems.push(
        lt
          ? `its instances get no ${list(onInstances)} (add them to tag_specifications with resource_type "instance" in \`${lt.address}\`)`
          : `its EC2 instances get none of ${list(onInstances)}: EKS does not copy node group tags to them; use a launch template with tag_specifications`,
      );
  }
  return problems.length ? at(v.line('tags'), `\`${r.address}\` ${problems.join('; ')}`) : undefined;
}

export const requiredTags = defineRule({
  id: 'required-tags',
  summary: 'Tag keys every priced AWS resource (and its instances) must carry, and pod labels of Kubernetes workloads.',
  defaults: { enabled: true, severity: 'warning' },
  options: {
    keys: z.array(key).optional().describe('Tag keys every priced AWS resource must carry (the rule is off until this is set).'),
    labels: z.array(key).optional().describe('Pod label keys of Kubernetes workloads (default: the same as `keys`).'),
  },
  optionDefaults: { keys: [] },
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.projects) {
      for (const r of p.resources) {
        const s = ctx.settings(r, p);
        if (!s || s.keys.length === 0) continue;
        const f = check(p, r, s.keys, s.labels ?? s.keys);
        if (f) out.push(f);
      }
    }
    return out;
  },
});
