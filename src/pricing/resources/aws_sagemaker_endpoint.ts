/**
 * SageMaker endpoint: what bills once an endpoint configuration is deployed. Instance-hours of each
 * variant at hosting prices (asynchronous endpoints too), their ML storage, or serverless use; the
 * baseline of an autoscaled variant is its min_capacity. https://aws.amazon.com/sagemaker/pricing/
 */
import type { ComponentSpec, Pricer, PricerContext, ResourceView } from '../types.js';
import { baselineInstances, variantComponents, variantCount, variantsOf } from './aws_sagemaker_endpoint_configuration.js';
import type { Variant, VariantScaling } from './aws_sagemaker_endpoint_configuration.js';

const VARIANT_DIMENSION = 'sagemaker:variant:DesiredInstanceCount';

function instanceKey(address: string): string {
  return /\[[^\]]*\]$/.exec(address)?.[0] ?? '';
}

/** The configuration the endpoint deploys, or why it cannot be read. */
function configOf(r: ResourceView, ctx: PricerContext): { config?: ResourceView; why: string } {
  let configs = ctx.referenced(r, 'endpoint_config_name').filter((c) => c.resource.type === 'aws_sagemaker_endpoint_configuration');
  if (configs.length === 0) {
    const name = r.str('endpoint_config_name');
    return {
      why: name
        ? `endpoint configuration "${name}" is not defined in this project, so its variants cannot be read`
        : r.why('endpoint_config_name'),
    };
  }
  if (configs.length > 1) {
    const name = r.str('endpoint_config_name');
    const byName = configs.filter((c) => name !== undefined && c.str('name') === name);
    const byKey = configs.filter((c) => instanceKey(c.address) === instanceKey(r.address));
    configs = byName.length === 1 ? byName : byKey.length === 1 ? byKey : configs;
  }
  if (configs.length > 1) return { why: `endpoint_config_name may be any of ${configs.map((c) => c.address).join(', ')}` };
  return { config: configs[0], why: '' };
}

interface Target {
  address: string;
  variant: string | undefined;
  view: ResourceView;
}

/** Autoscaling targets of the endpoint's variant instance counts. */
function targetsOf(r: ResourceView, ctx: PricerContext): Target[] {
  const endpointName = r.str('name');
  const out: Target[] = [];
  for (const t of ctx.referencing(r, 'aws_appautoscaling_target')) {
    const dimension = t.str('scalable_dimension');
    if (dimension !== undefined && dimension !== VARIANT_DIMENSION) continue;
    const m = /^endpoint\/([^/]+)\/variant\/([^/]+)$/.exec(t.str('resource_id') ?? '');
    if (m && endpointName !== undefined && m[1] !== endpointName) continue;
    out.push({ address: t.address, variant: m?.[2], view: t });
  }
  return out;
}

function scalingFor(r: ResourceView, ctx: PricerContext, config: ResourceView): (v: Variant) => VariantScaling | undefined {
  const targets = targetsOf(r, ctx);
  const instanceVariants = variantsOf(config).filter((v) => !v.serverless);
  return (v) => {
    if (v.serverless) return undefined;
    const t =
      targets.find((x) => x.variant !== undefined && x.variant === v.name) ??
      // A target whose variant cannot be read scales the only instance-based variant there is.
      (instanceVariants.length === 1 ? targets.find((x) => x.variant === undefined) : undefined);
    if (!t) return undefined;
    return { target: t.address, min: t.view.num('min_capacity'), minWhy: t.view.why('min_capacity'), max: t.view.num('max_capacity') };
  };
}

export const awsSagemakerEndpoint = {
  type: 'aws_sagemaker_endpoint',
  components(r, ctx) {
    const { config, why } = configOf(r, ctx);
    if (!config) {
      const spec: ComponentSpec = { name: 'Inference instances', unit: 'hours', monthlyQuantity: null, price: null, unpricedReason: why, line: r.line('endpoint_config_name') };
      return [spec];
    }
    const sameFile = config.resource.file === r.resource.file;
    return variantComponents(config, {
      region: r.region,
      usage: ctx.usage,
      scaling: scalingFor(r, ctx, config),
      line: (v, path) => (sameFile ? v.line(path) : r.line('endpoint_config_name')),
    });
  },
  details(r, ctx) {
    const { config } = configOf(r, ctx);
    if (!config) return {};
    const scaling = scalingFor(r, ctx, config);
    const variants = variantsOf(config);
    let min = 0;
    let max: number | undefined = 0;
    let scaled = false;
    for (const v of variants) {
      if (v.serverless) continue;
      const s = scaling(v);
      const fixed = variantCount(v).count;
      if (s) scaled = true;
      const lo = s ? s.min : fixed;
      const hi = s ? s.max : fixed;
      min += lo ?? NaN;
      max = hi === undefined || max === undefined ? undefined : max + hi;
    }
    const instances = baselineInstances(config, scaling);
    return {
      endpointConfiguration: config.address,
      ...(instances !== undefined ? { instances } : {}),
      ...(scaled && Number.isFinite(min) ? { minCapacity: min } : {}),
      ...(scaled && max !== undefined ? { maxCapacity: max } : {}),
      ...(scaled
        ? { autoscalingTargets: variants.map((v) => scaling(v)?.target).filter((t): t is string => t !== undefined) }
        : {}),
      ...(variants.some((v) => v.serverless) ? { serverless: true } : {}),
      ...(config.list('async_inference_config').length > 0 ? { asyncInference: true } : {}),
    };
  },
} satisfies Pricer;
