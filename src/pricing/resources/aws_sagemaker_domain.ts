/**
 * SageMaker domain: no charge of its own; the Amazon EFS file system it creates for Studio home
 * directories bills as EFS storage (how much is usage). https://aws.amazon.com/sagemaker/pricing/
 * and https://aws.amazon.com/efs/pricing/
 */
import { keys } from '../keys.js';
import type { Pricer } from '../types.js';

export const awsSagemakerDomain = {
  type: 'aws_sagemaker_domain',
  components(r, ctx) {
    const region = r.region;
    const gb = ctx.usage.num('storage_gb');
    return [{
      name: 'Home directories (EFS Standard storage)',
      unit: 'GB',
      monthlyQuantity: gb ?? null,
      price: region ? keys.efsStorage(region, 'standard') : null,
      ...(region ? {} : { unpricedReason: 'region is unknown' }),
      usageBased: true,
      usageKey: 'storage_gb',
      line: r.line(),
    }];
  },
  details(r) {
    const raw = r.get('retention_policy.0.home_efs_file_system');
    const retention = raw === undefined || raw === null ? 'Retain' : r.str('retention_policy.0.home_efs_file_system');
    if (retention === undefined) return {};
    return {
      homeEfsRetention: retention,
      ...(retention === 'Retain' ? { note: 'the home EFS file system is kept, and still billed, after the domain is deleted' } : {}),
    };
  },
} satisfies Pricer;
