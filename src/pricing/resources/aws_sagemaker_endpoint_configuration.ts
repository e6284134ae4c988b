/**
 * SageMaker real-time endpoint: instance-hours of each production variant at SageMaker hosting
 * prices (serverless variants bill per use). https://aws.amazon.com/sagemaker/pricing/
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { keys } from '../keys.js';
import type { ComponentSpec, Pricer } from '../types.js';

export const awsSagemakerEndpointConfiguration = {
  type: 'aws_sagemaker_endpoint_configuration',
  components(r) {
    const out: ComponentSpec[] = [];
    for (const v of r.list('production_variants')) {
      const variant = v.str('variant_name') ?? 'variant';
      if (v.list('serverless_config').length > 0) {
        out.push({
          name: `Serverless inference (${variant})`,
          unit: 'GB-seconds',
          monthlyQuantity: null,
          price: null,
          usageBased: true,
          unpricedReason: 'serverless inference prices are not in the snapshot',
          line: v.line(),
        });
        continue;
      }
      const type = v.str('instance_type');
      const count = v.num('initial_instance_count', 1);
      const name = `Inference instances (${variant}, ${type ?? 'unknown type'})`;
      const base = { name, unit: 'hours', monthlyQuantity: HOURS_PER_MONTH * count, line: v.line('instance_type') };
      if (!type) out.push({ ...base, price: null, unpricedReason: v.why('instance_type') });
      else if (!r.region) out.push({ ...base, price: null, unpricedReason: 'region is unknown' });
      else out.push({ ...base, price: keys.sagemakerInstance(r.region, 'hosting', type) });
    }
    return out;
  },
  details(r) {
    const variants = r.list('production_variants').filter((v) => v.list('serverless_config').length === 0);
    return { instances: variants.reduce((a, v) => a + v.num('initial_instance_count', 1), 0) };
  },
} satisfies Pricer;
