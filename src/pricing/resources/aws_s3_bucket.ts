/**
 * S3 bucket: storage GB-months per class and requests, from usage (Infracost's keys). The bucket owns the cost of its lifecycle
 * rules (aws_s3_bucket_lifecycle_configuration stays free, so nothing is counted twice): the classes they move objects to show here
 * with their transition requests, and a total `storage_gb` is split by the transition days (lifecycleSplit). https://aws.amazon.com/s3/pricing/
 */
import { keys } from '../keys.js';
import type { ComponentSpec, Pricer, PricerContext, ResourceView } from '../types.js';

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

const LABEL = new Map(CLASSES.map(([, cls, label]) => [cls, label]));

interface Transition {
  days: number;
  storageClass: string;
}

/** One enabled lifecycle rule, as far as it moves or expires current objects. */
interface Rule {
  id: string;
  /** Every class the rule transitions objects to. */
  classes: string[];
  /** Its transitions after a number of days, by day. */
  transitions: Transition[];
  expirationDays?: number;
  /** Why the rule's transitions cannot be used to split storage (date-based, unknown values...). */
  unusable?: string;
  filtered: boolean;
}

function transitionsOf(rule: ResourceView, id: string): Pick<Rule, 'classes' | 'transitions' | 'unusable'> {
  const classes: string[] = [];
  const transitions: Transition[] = [];
  let unusable: string | undefined;
  for (const t of rule.list('transition')) {
    const storageClass = t.str('storage_class');
    const days = t.num('days');
    if (storageClass && LABEL.has(storageClass)) classes.push(storageClass);
    if (!storageClass || !LABEL.has(storageClass))
      unusable ??= `rule "${id}" transitions to ${storageClass ? `a class mlcost does not know (${storageClass})` : `a class that is unknown (${t.why('storage_class')})`}`;
    else if (days === undefined) unusable ??= t.get('date') !== undefined ? `rule "${id}" transitions on a date, not after a number of days` : `rule "${id}": ${t.why('days')}`;
    else transitions.push({ days, storageClass });
  }
  return { classes, transitions: transitions.sort((a, b) => a.days - b.days), ...(unusable ? { unusable } : {}) };
}

/**
 * Enabled lifecycle rules of the bucket: from aws_s3_bucket_lifecycle_configuration, or inline `lifecycle_rule` blocks (AWS
 * provider v3). Only transitions of current objects count; noncurrent-version transitions are not modelled.
 */
export function lifecycleRules(r: ResourceView, ctx: PricerContext): { rules: Rule[]; sources: string[] } {
  const rules: Rule[] = [];
  const sources: string[] = [];
  for (const config of ctx.referencing(r, 'aws_s3_bucket_lifecycle_configuration')) {
    sources.push(config.address);
    config.list('rule').forEach((rule, i) => {
      if (rule.str('status') === 'Disabled') return;
      const id = rule.str('id') ?? `rule ${i + 1}`;
      const filter = rule.list('filter')[0];
      const filtered = (filter !== undefined && Object.keys(filterKeys(filter)).length > 0) || !!rule.str('prefix');
      rules.push({ id, ...transitionsOf(rule, id), ...expiration(rule), filtered });
    });
  }
  const inline = r.list('lifecycle_rule');
  if (inline.length > 0) sources.push(r.address);
  inline.forEach((rule, i) => {
    if (rule.bool('enabled') === false) return;
    const id = rule.str('id') ?? `lifecycle_rule ${i + 1}`;
    rules.push({ id, ...transitionsOf(rule, id), ...expiration(rule), filtered: !!rule.str('prefix') || rule.get('tags') !== undefined });
  });
  return { rules, sources };
}

function filterKeys(filter: ResourceView): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['prefix', 'tag', 'and', 'object_size_greater_than', 'object_size_less_than']) {
    const v = filter.get(k);
    if (v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  }
  return out;
}

function expiration(rule: ResourceView): Pick<Rule, 'expirationDays'> {
  const days = rule.list('expiration')[0]?.num('days');
  return days !== undefined && days > 0 ? { expirationDays: days } : {};
}

interface Split {
  /** GB per storage class. */
  gb: Map<string, number>;
  /** Per class: the days of an object's life it spends there, said in words. */
  assumption: Map<string, string>;
}

/**
 * Splits a total `storage_gb` across the classes one lifecycle rule moves objects through. With data
 * written at a steady rate and kept H days (the rule's expiration, or usage `data_age_days` when
 * the data is younger or never expires), the share of a class is the part of [0, H) it holds objects
 * for: Standard [0, d1), the first transition's class [d1, d2), ..., the last class [dn, H).
 */
export function lifecycleSplit(totalGb: number, rule: Rule, dataAgeDays: number | undefined): Split | string {
  if (rule.unusable) return rule.unusable;
  const horizon = Math.min(rule.expirationDays ?? Infinity, dataAgeDays ?? Infinity);
  if (!Number.isFinite(horizon) || horizon <= 0)
    return `rule "${rule.id}" has no expiration, so how long data stays is unknown: give usage data_age_days (age of the oldest data) or per-class storage`;
  const gb = new Map<string, number>();
  const assumption = new Map<string, string>();
  const kept = rule.expirationDays !== undefined && rule.expirationDays <= (dataAgeDays ?? Infinity) ? `kept ${horizon} days until the rule expires them` : `the oldest ${horizon} days old (data_age_days)`;
  const filter = rule.filtered ? '; the rule\'s filter assumed to cover the whole bucket' : '';
  const stages: [string, number, number][] = [];
  let from = 0;
  let cls = 'STANDARD';
  for (const t of rule.transitions) {
    stages.push([cls, from, t.days]);
    from = t.days;
    cls = t.storageClass;
  }
  stages.push([cls, from, Infinity]);
  for (const [c, a, b] of stages) {
    const lo = Math.min(a, horizon);
    const hi = Math.min(b, horizon);
    gb.set(c, (gb.get(c) ?? 0) + (totalGb * (hi - lo)) / horizon);
    assumption.set(c, `days ${lo}-${hi} of the data's life assumed here (storage_gb ${totalGb} GB split by lifecycle rule "${rule.id}": data written at a steady rate, ${kept}${filter})`);
  }
  return { gb, assumption };
}

/** Storage per class from usage: per-class keys, else a total split by the lifecycle rule. */
function storage(ctx: PricerContext, rules: Rule[]): { gb: Map<string, number>; assumption: Map<string, string>; reason?: string } {
  const gb = new Map<string, number>();
  for (const [section, cls] of CLASSES) {
    const v = ctx.usage.num(`${section}.storage_gb`);
    if (v !== undefined) gb.set(cls, v);
  }
  const total = ctx.usage.num('storage_gb');
  if (gb.size > 0 || total === undefined) return { gb, assumption: new Map() };
  const moving = rules.filter((r) => r.classes.length > 0);
  if (moving.length === 0) {
    gb.set('STANDARD', total);
    return { gb, assumption: new Map([['STANDARD', `all of storage_gb assumed in S3 Standard (the default class${rules.length ? '; no lifecycle rule transitions objects' : ''})`]]) };
  }
  if (moving.length > 1)
    return { gb, assumption: new Map(), reason: `storage_gb cannot be split: ${moving.length} lifecycle rules transition objects (${moving.map((r) => `"${r.id}"`).join(', ')}); give per-class storage (standard.storage_gb, ...)` };
  const split = lifecycleSplit(total, moving[0]!, ctx.usage.num('data_age_days'));
  if (typeof split === 'string') return { gb, assumption: new Map(), reason: `storage_gb cannot be split: ${split}` };
  return split;
}

export const awsS3Bucket = {
  type: 'aws_s3_bucket',
  components(r, ctx) {
    const region = r.region;
    const { rules } = lifecycleRules(r, ctx);
    const targets = new Set(rules.flatMap((x) => x.classes));
    const store = storage(ctx, rules);
    const given = CLASSES.filter(
      ([k, cls]) => store.gb.has(cls) || ['storage_gb', 'monthly_tier_1_requests', 'monthly_tier_2_requests'].some((f) => ctx.usage.num(`${k}.${f}`) !== undefined),
    );
    const shown =
      targets.size === 0 && given.length > 0
        ? given
        : targets.size === 0
          ? CLASSES.slice(0, 1)
          : CLASSES.filter(([, cls]) => cls === 'STANDARD' || targets.has(cls) || given.some(([, g]) => g === cls));
    const out: ComponentSpec[] = [];
    for (const [section, cls, label] of shown) {
      const lines: [string, string, string, 'storage' | 'tier1' | 'tier2' | 'transition'][] = [
        [`Storage (${label})`, 'GB', `${section}.storage_gb`, 'storage'],
        [`PUT, COPY, POST, LIST requests (${label})`, 'requests', `${section}.monthly_tier_1_requests`, 'tier1'],
        [`GET, SELECT and other requests (${label})`, 'requests', `${section}.monthly_tier_2_requests`, 'tier2'],
      ];
      if (targets.has(cls)) lines.push([`Lifecycle transition requests (${label})`, 'requests', `${section}.monthly_lifecycle_transition_requests`, 'transition']);
      for (const [name, unit, usageKey, kind] of lines) {
        const price = !region
          ? null
          : kind === 'storage'
            ? keys.s3Storage(region, cls)
            : kind === 'transition'
              ? keys.s3LifecycleTransition(region, cls)
              : keys.s3Requests(region, cls, kind);
        const isStorage = kind === 'storage';
        const split = isStorage && store.assumption.has(cls);
        const quantity = isStorage ? (store.gb.get(cls) ?? null) : (ctx.usage.num(usageKey) ?? null);
        const reason = !region ? 'region is unknown' : isStorage && cls === 'STANDARD' && store.reason ? store.reason : undefined;
        out.push({
          name,
          unit,
          monthlyQuantity: quantity,
          price,
          usageBased: true,
          usageKey: split ? 'storage_gb' : usageKey,
          ...(split ? { assumption: store.assumption.get(cls) } : {}),
          ...(reason ? { unpricedReason: reason } : {}),
        });
      }
    }
    return out;
  },
  details(r, ctx) {
    const { rules, sources } = lifecycleRules(r, ctx);
    if (sources.length === 0) return {};
    return {
      lifecycle: sources,
      lifecycleRules: rules.map((x) => ({
        id: x.id,
        transitions: x.transitions.map((t) => `${t.storageClass} after ${t.days} days`),
        ...(x.unusable ? { note: x.unusable } : {}),
        ...(x.expirationDays !== undefined ? { expirationDays: x.expirationDays } : {}),
      })),
    };
  },
} satisfies Pricer;
