/**
 * SageMaker notebook instance: instance-hours while it is InService (until stopped) plus its ML storage
 * volume. https://aws.amazon.com/sagemaker/pricing/ (on-demand, notebook instances)
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { keys } from '../keys.js';
import type { ComponentSpec, Pricer } from '../types.js';
import { ELASTIC_INFERENCE_RETIRED, notSageMakerType } from './aws_sagemaker_endpoint_configuration.js';

/** AWS's default volume_size for a notebook instance, in GB. */
const DEFAULT_VOLUME_GB = 5;

/**
 * The snapshot's `notebook:` prices are SageMaker Studio notebook rates (AWS pricing-page data); it has
 * no notebook-instance rates of their own. Where both were seen (ml.t3.medium in eu-west-1, an AWS bill)
 * they are equal, so the Studio rate is used, and every such line says so.
 */
const STUDIO_RATE = 'Studio notebook price used for a notebook instance (the price snapshot has Studio notebook rates only; AWS bills both alike where checked)';

export const awsSagemakerNotebookInstance = {
  type: 'aws_sagemaker_notebook_instance',
  components(r, ctx) {
    const region = r.region;
    const type = r.str('instance_type');
    const hoursGiven = ctx.usage.num('monthly_hours');
    const hours = hoursGiven ?? HOURS_PER_MONTH;
    const out: ComponentSpec[] = [];
    const alwaysOn = hoursGiven === undefined ? 'runs 24/7 assumed (a notebook instance bills while InService, until stopped; set monthly_hours to change)' : undefined;
    out.push({
      name: `Notebook instance (${type ?? 'unknown type'})`,
      unit: 'hours',
      monthlyQuantity: hours,
      price: type && region ? keys.sagemakerInstance(region, 'notebook', type) : null,
      ...(!type
        ? { unpricedReason: r.why('instance_type') }
        : notSageMakerType(type)
          ? { unpricedReason: notSageMakerType(type) }
          : !region
            ? { unpricedReason: 'region is unknown' }
            : {}),
      assumption: [alwaysOn, STUDIO_RATE].filter(Boolean).join('; '),
      line: r.line('instance_type'),
    });
    const sizeRaw = r.get('volume_size');
    const size = sizeRaw === undefined || sizeRaw === null ? DEFAULT_VOLUME_GB : r.num('volume_size');
    out.push({
      name: 'ML storage (notebook volume)',
      unit: 'GB',
      monthlyQuantity: size ?? null,
      price: region ? keys.sagemakerStorage(region, 'notebook') : null,
      ...(size === undefined ? { unpricedReason: r.why('volume_size') } : !region ? { unpricedReason: 'region is unknown' } : {}),
      ...(sizeRaw === undefined || sizeRaw === null ? { assumption: `${DEFAULT_VOLUME_GB} GB assumed (AWS default when volume_size is not set)` } : {}),
      line: r.line('volume_size'),
    });
    const accelerators = r.get('accelerator_types');
    if (Array.isArray(accelerators)) {
      for (const a of accelerators) {
        if (typeof a !== 'string') continue;
        out.push({ name: `Elastic Inference accelerator (${a})`, unit: 'hours', monthlyQuantity: hours, price: null, unpricedReason: ELASTIC_INFERENCE_RETIRED, line: r.line('accelerator_types') });
      }
    }
    return out;
  },
  details(r) {
    const raw = r.get('lifecycle_config_name');
    const lifecycleConfig = raw !== undefined && raw !== null && raw !== '';
    const name = r.str('lifecycle_config_name');
    return {
      ...(r.str('instance_type') ? { instanceType: r.str('instance_type') } : {}),
      lifecycleConfig,
      ...(lifecycleConfig && name ? { lifecycleConfigName: name } : {}),
    };
  },
} satisfies Pricer;
