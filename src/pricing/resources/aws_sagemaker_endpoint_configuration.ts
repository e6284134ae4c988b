/**
 * SageMaker endpoint configuration: bills nothing by itself; the aws_sagemaker_endpoint that deploys it
 * bills its variants (instance-hours at hosting prices, ML storage, serverless use). Without such an
 * endpoint in the project it is priced as if deployed 24/7. https://aws.amazon.com/sagemaker/pricing/
 */
import { isUnknown } from '../../core/types.js';
import { HOURS_PER_MONTH } from '../cost.js';
import { keys } from '../keys.js';
import type { ComponentSpec, Pricer, ResourceView, UsageValues } from '../types.js';

/** Amazon Elastic Inference accelerators (`ml.eia*`), attachable through `accelerator_type`. */
export const ELASTIC_INFERENCE_RETIRED =
  'Amazon Elastic Inference is retired (no longer available since 2024-04-15): the accelerator cannot be launched, and has no price';

const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** Why `type` cannot be a SageMaker instance type (they all start with `ml.`), or undefined. */
export function notSageMakerType(type: string): string | undefined {
  return type.startsWith('ml.') ? undefined : `${type} is not a SageMaker instance type (SageMaker types start with ml.)`;
}
const STANDALONE = 'no aws_sagemaker_endpoint in this project uses it; priced as deployed 24/7';

/** Autoscaling of one variant's instance count (an aws_appautoscaling_target). */
export interface VariantScaling {
  target: string;
  min: number | undefined;
  minWhy: string;
  max: number | undefined;
}

export interface Variant {
  view: ResourceView;
  /** Label used in component names: the variant name, `shadow <name>` for shadow variants. */
  label: string;
  /** variant_name when known. */
  name: string | undefined;
  serverless: boolean;
}

/** Production variants then shadow variants, with stable labels. */
export function variantsOf(config: ResourceView): Variant[] {
  const out: Variant[] = [];
  for (const [path, prefix] of [['production_variants', ''], ['shadow_production_variants', 'shadow ']] as const) {
    config.list(path).forEach((v, i) => {
      const name = v.str('variant_name');
      out.push({ view: v, name, label: `${prefix}${name ?? `variant ${i + 1}`}`, serverless: v.list('serverless_config').length > 0 });
    });
  }
  return out;
}

/** Instance count of an instance-based variant: autoscaling baseline, initial_instance_count, or 1 assumed. */
export function variantCount(v: Variant, scaling?: VariantScaling): { count: number | undefined; why: string; assumption?: string } {
  if (scaling) {
    const range = scaling.max !== undefined ? `autoscaling up to max_capacity ${scaling.max}` : 'autoscaling';
    return {
      count: scaling.min,
      why: scaling.minWhy,
      assumption: `baseline of min_capacity ${scaling.min ?? '?'} instance(s) from ${scaling.target} priced (${range}; traffic decides the rest)`,
    };
  }
  const raw = v.view.get('initial_instance_count');
  if (raw === undefined || raw === null) return { count: 1, why: '', assumption: '1 instance assumed (initial_instance_count is not set)' };
  const count = v.view.num('initial_instance_count');
  return { count, why: v.view.why('initial_instance_count') };
}

export interface VariantOptions {
  region: string | null;
  usage: UsageValues;
  /** Autoscaling of a variant, when something scales it. */
  scaling?: (v: Variant) => VariantScaling | undefined;
  /** Line for a component from the configuration (callers in another file give their own line). */
  line?: (v: ResourceView, path: string) => number;
  /** Added to the assumption of every line with a fixed quantity. */
  assumption?: string;
}

function joined(...parts: (string | undefined)[]): { assumption?: string } {
  const list = parts.filter((p): p is string => !!p);
  return list.length ? { assumption: list.join('; ') } : {};
}

function serverlessComponents(v: Variant, o: VariantOptions, lineOf: (path: string) => number): ComponentSpec[] {
  const sc = v.view.list('serverless_config')[0];
  const memMb = sc?.num('memory_size_in_mb');
  const memWhy = sc?.why('memory_size_in_mb') ?? 'serverless_config is not readable';
  const memGb = memMb === undefined ? undefined : memMb / 1024;
  const requests = o.usage.num('monthly_requests');
  const durationMs = o.usage.num('request_duration_ms');
  const region = o.region;
  const out: ComponentSpec[] = [];
  const line = lineOf('serverless_config');
  const price = (d: 'compute' | 'provisioned-concurrency' | 'data') => (region ? keys.sagemakerServerless(region, d) : null);
  const noRegion = region ? {} : { unpricedReason: 'region is unknown' };
  const compute =
    memGb !== undefined && requests !== undefined && durationMs !== undefined ? memGb * requests * (durationMs / 1000) : null;
  out.push({
    name: `Serverless inference compute (${v.label})`,
    unit: 'GB-seconds',
    monthlyQuantity: compute,
    price: price('compute'),
    usageBased: true,
    usageKey: requests === undefined ? 'monthly_requests' : 'request_duration_ms',
    line,
    ...noRegion,
    ...(memGb === undefined && requests !== undefined && durationMs !== undefined ? { unpricedReason: memWhy } : {}),
  });
  const dataGb = o.usage.num('monthly_data_processed_gb');
  out.push({
    name: `Serverless inference data processed (${v.label})`,
    unit: 'GB',
    monthlyQuantity: dataGb ?? null,
    price: price('data'),
    usageBased: true,
    usageKey: 'monthly_data_processed_gb',
    line,
    ...noRegion,
  });
  const pcRaw = sc?.get('provisioned_concurrency');
  if (pcRaw !== undefined && pcRaw !== null && pcRaw !== 0) {
    const pc = sc?.num('provisioned_concurrency');
    const known = pc !== undefined && memGb !== undefined;
    out.push({
      name: `Serverless provisioned concurrency (${v.label})`,
      unit: 'GB-seconds',
      monthlyQuantity: known ? memGb * pc * SECONDS_PER_MONTH : null,
      price: price('provisioned-concurrency'),
      line: lineOf('serverless_config.0.provisioned_concurrency'),
      ...noRegion,
      ...(known ? joined(o.assumption) : { unpricedReason: pc === undefined ? (sc?.why('provisioned_concurrency') ?? memWhy) : memWhy }),
    });
  }
  return out;
}

/**
 * What the variants of `config` bill per month once deployed: instance-hours at hosting prices (and
 * their ML storage volumes), or serverless use. Shared by the endpoint and the standalone configuration.
 */
export function variantComponents(config: ResourceView, o: VariantOptions): ComponentSpec[] {
  const variants = variantsOf(config);
  const lineOf = (v: ResourceView, path: string) => (o.line ? o.line(v, path) : v.line(path));
  if (variants.length === 0) {
    const raw = config.get('production_variants');
    return [{
      name: 'Inference instances',
      unit: 'hours',
      monthlyQuantity: null,
      price: null,
      unpricedReason: isUnknown(raw) ? config.why('production_variants') : 'the configuration has no production_variants block',
      line: lineOf(config, 'production_variants'),
    }];
  }
  const asyncInference = config.list('async_inference_config').length > 0;
  const out: ComponentSpec[] = [];
  for (const v of variants) {
    const at = (path: string) => lineOf(v.view, path);
    if (v.serverless) {
      out.push(...serverlessComponents(v, o, at));
      continue;
    }
    const type = v.view.str('instance_type');
    const scaling = o.scaling?.(v);
    const { count, why, assumption } = variantCount(v, scaling);
    const hours = count === undefined ? null : HOURS_PER_MONTH * count;
    // What the line costs at max_capacity: the ceiling the report shows beside the baseline.
    const max = scaling?.max;
    const ceiling = (perInstance: number) =>
      max !== undefined && count !== undefined && max > count ? { ceilingQuantity: perInstance * max } : {};
    const label = joined(
      assumption,
      asyncInference ? 'asynchronous inference: its instances bill per hour like a real-time endpoint\'s' : undefined,
      o.assumption,
    );
    const unpriced = (reason: string) => ({ price: null, unpricedReason: reason });
    const priceOf = (query: (region: string) => ComponentSpec['price']) =>
      !o.region ? unpriced('region is unknown') : count === undefined ? { price: query(o.region), unpricedReason: why } : { price: query(o.region) };
    const instancePrice = () => {
      if (type === undefined) return unpriced(v.view.why('instance_type'));
      const bad = notSageMakerType(type);
      return bad ? unpriced(bad) : priceOf((region) => keys.sagemakerInstance(region, 'hosting', type));
    };
    out.push({
      name: `Inference instances (${v.label}, ${type ?? 'unknown type'})`,
      unit: 'hours',
      monthlyQuantity: hours,
      ...instancePrice(),
      ...ceiling(HOURS_PER_MONTH),
      line: at('instance_type'),
      ...label,
    });
    const volumeRaw = v.view.get('volume_size_in_gb');
    if (volumeRaw !== undefined && volumeRaw !== null) {
      const gb = v.view.num('volume_size_in_gb');
      out.push({
        name: `ML storage (${v.label})`,
        unit: 'GB',
        monthlyQuantity: gb !== undefined && count !== undefined ? gb * count : null,
        ...(gb === undefined ? unpriced(v.view.why('volume_size_in_gb')) : priceOf((region) => keys.sagemakerStorage(region, 'hosting'))),
        ...(gb !== undefined ? ceiling(gb) : {}),
        line: at('volume_size_in_gb'),
        ...label,
      });
    }
    const accelerator = v.view.str('accelerator_type');
    if (accelerator) {
      out.push({
        name: `Elastic Inference accelerator (${v.label}, ${accelerator})`,
        unit: 'hours',
        monthlyQuantity: hours,
        price: null,
        unpricedReason: ELASTIC_INFERENCE_RETIRED,
        line: at('accelerator_type'),
      });
    }
  }
  return out;
}

/** Baseline instances of all instance-based variants; undefined when a count is unknown or there is none. */
export function baselineInstances(config: ResourceView, scaling?: (v: Variant) => VariantScaling | undefined): number | undefined {
  if (variantsOf(config).every((v) => v.serverless)) return undefined;
  let total = 0;
  for (const v of variantsOf(config)) {
    if (v.serverless) continue;
    const { count } = variantCount(v, scaling?.(v));
    if (count === undefined) return undefined;
    total += count;
  }
  return total;
}

export const awsSagemakerEndpointConfiguration = {
  type: 'aws_sagemaker_endpoint_configuration',
  components(r, ctx) {
    // An endpoint of the project that deploys this configuration carries its cost: no double counting.
    if (ctx.referencing(r, 'aws_sagemaker_endpoint').length > 0) return [];
    return variantComponents(r, { region: r.region, usage: ctx.usage, assumption: STANDALONE });
  },
  details(r, ctx) {
    const endpoints = ctx.referencing(r, 'aws_sagemaker_endpoint').map((e) => e.address);
    if (endpoints.length > 0) return { billedThrough: endpoints, note: `billed through ${endpoints.join(', ')}` };
    const instances = baselineInstances(r);
    return {
      ...(instances !== undefined ? { instances } : {}),
      ...(variantsOf(r).some((v) => v.serverless) ? { serverless: true } : {}),
      ...(r.list('async_inference_config').length > 0 ? { asyncInference: true } : {}),
    };
  },
} satisfies Pricer;
