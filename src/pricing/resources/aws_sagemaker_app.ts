/**
 * SageMaker Studio app: instance-hours of the app's instance while it runs (Studio notebook rates);
 * apps on the free `system` instance bill nothing; Canvas bills per workspace session-hour.
 * https://aws.amazon.com/sagemaker/pricing/ (Studio, Canvas)
 */
import { keys } from '../keys.js';
import type { ComponentSpec, Pricer, ResourceView } from '../types.js';
import { notSageMakerType } from './aws_sagemaker_endpoint_configuration.js';

/** App types that run on the free `system` instance unless resource_spec says otherwise. */
const SYSTEM_APPS = new Set(['JupyterServer', 'RStudioServerPro', 'TensorBoard', 'DetailedProfiler']);
/** Studio's default instance for apps that run kernels or IDEs (KernelGateway, JupyterLab, CodeEditor...). */
const DEFAULT_INSTANCE_TYPE = 'ml.t3.medium';

function instanceOf(r: ResourceView): { type: string | undefined; why: string; assumption?: string; free: boolean } {
  const appType = r.str('app_type');
  const raw = r.get('resource_spec.0.instance_type');
  const type = r.str('resource_spec.0.instance_type');
  if (type === 'system') return { type: undefined, why: '', free: true };
  if (type) return { type, why: '', free: false };
  if (raw !== undefined && raw !== null) return { type: undefined, why: r.why('resource_spec.0.instance_type'), free: false };
  if (appType !== undefined && SYSTEM_APPS.has(appType)) return { type: undefined, why: '', free: true };
  return {
    type: DEFAULT_INSTANCE_TYPE,
    why: '',
    free: false,
    assumption: `instance type ${DEFAULT_INSTANCE_TYPE} assumed (Studio default when resource_spec.instance_type is not set; the user profile or domain may set another)`,
  };
}

export const awsSagemakerApp = {
  type: 'aws_sagemaker_app',
  components(r, ctx) {
    const appType = r.str('app_type');
    const region = r.region;
    const hours = ctx.usage.num('monthly_hours') ?? null;
    const usage = { unit: 'hours', monthlyQuantity: hours, usageBased: true, usageKey: 'monthly_hours' };
    if (appType === undefined) {
      return [{ name: 'Studio app instance', ...usage, price: null, unpricedReason: r.why('app_type'), line: r.line('app_type') }];
    }
    if (appType === 'Canvas') {
      return [{
        name: 'Canvas workspace session',
        ...usage,
        price: region ? keys.sagemakerCanvasSession(region) : null,
        ...(region ? {} : { unpricedReason: 'region is unknown' }),
        line: r.line('app_type'),
      }];
    }
    const it = instanceOf(r);
    if (it.free) return [];
    const spec: ComponentSpec = {
      name: `Studio app instance (${appType}, ${it.type ?? 'unknown type'})`,
      ...usage,
      price: it.type && region ? keys.sagemakerInstance(region, 'notebook', it.type) : null,
      ...(!it.type
        ? { unpricedReason: it.why }
        : notSageMakerType(it.type)
          ? { unpricedReason: notSageMakerType(it.type) }
          : !region
            ? { unpricedReason: 'region is unknown' }
            : {}),
      ...(it.assumption ? { assumption: it.assumption } : {}),
      line: r.line('resource_spec.0.instance_type'),
    };
    return [spec];
  },
  details(r) {
    const appType = r.str('app_type');
    if (appType === undefined || appType === 'Canvas') return appType ? { appType } : {};
    const it = instanceOf(r);
    return {
      appType,
      ...(it.type ? { instanceType: it.type } : {}),
      ...(it.free ? { note: 'runs on the free system instance' } : {}),
    };
  },
} satisfies Pricer;
