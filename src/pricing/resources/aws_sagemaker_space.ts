/**
 * SageMaker Studio space: JupyterLab and Code Editor spaces keep an EBS volume billed at the ML storage
 * rate while the space exists (its apps bill as aws_sagemaker_app); Studio Classic spaces use the
 * domain's EFS home volume. https://aws.amazon.com/sagemaker/pricing/
 */
import { keys } from '../keys.js';
import type { Pricer, PricerContext, ResourceView } from '../types.js';

/** Studio's default space volume when neither the space nor its domain sets one, in GB. */
const DEFAULT_VOLUME_GB = 5;
const EBS_APPS = new Set(['JupyterLab', 'CodeEditor']);
const SIZE = 'space_settings.0.space_storage_settings.0.ebs_storage_settings.0.ebs_volume_size_in_gb';
const DEFAULT_SIZE = 'space_storage_settings.0.default_ebs_storage_settings.0.default_ebs_volume_size_in_gb';

function hasVolume(r: ResourceView): boolean {
  const app = r.str('space_settings.0.app_type');
  return (app !== undefined && EBS_APPS.has(app)) || r.get(SIZE) !== undefined;
}

/** The volume size: the space's own, its domain's default (private spaces: user settings first), or 5 GB. */
function volume(r: ResourceView, ctx: PricerContext): { gb: number | undefined; why: string; assumption?: string } {
  const raw = r.get(SIZE);
  if (raw !== undefined && raw !== null) return { gb: r.num(SIZE), why: r.why(SIZE) };
  const privateSpace = r.str('space_sharing_settings.0.sharing_type') === 'Private';
  const order = privateSpace ? ['default_user_settings', 'default_space_settings'] : ['default_space_settings', 'default_user_settings'];
  for (const domain of ctx.referenced(r, 'domain_id')) {
    for (const block of order) {
      const gb = domain.num(`${block}.0.${DEFAULT_SIZE}`);
      if (gb !== undefined) return { gb, why: '', assumption: `${gb} GB from ${domain.address} ${block} default_ebs_volume_size_in_gb` };
    }
  }
  return { gb: DEFAULT_VOLUME_GB, why: '', assumption: `${DEFAULT_VOLUME_GB} GB assumed (Studio default space volume; set space_storage_settings to be exact)` };
}

export const awsSagemakerSpace = {
  type: 'aws_sagemaker_space',
  components(r, ctx) {
    if (!hasVolume(r)) return [];
    const region = r.region;
    const v = volume(r, ctx);
    return [{
      name: 'ML storage (space volume)',
      unit: 'GB',
      monthlyQuantity: v.gb ?? null,
      price: region ? keys.sagemakerStorage(region, 'studio') : null,
      ...(v.gb === undefined ? { unpricedReason: v.why } : !region ? { unpricedReason: 'region is unknown' } : {}),
      ...(v.assumption ? { assumption: v.assumption } : {}),
      line: r.line(SIZE),
    }];
  },
  details(r) {
    const app = r.str('space_settings.0.app_type');
    return {
      ...(app ? { appType: app } : {}),
      ...(r.str('space_sharing_settings.0.sharing_type') ? { sharing: r.str('space_sharing_settings.0.sharing_type') } : {}),
      ...(hasVolume(r) ? {} : { note: 'files live on the domain\'s EFS home volume (priced on the domain)' }),
    };
  },
} satisfies Pricer;
