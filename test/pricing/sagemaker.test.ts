/** SageMaker pricers against a small fake price book: endpoints and their configurations, notebooks, Studio. */
import { describe, expect, it } from '@jest/globals';
import { priceResource } from '../../src/pricing/cost.js';
import { freeReason, pricerFor } from '../../src/pricing/index.js';
import type { PricedResource, Resource, Value } from '../../src/core/types.js';
import { unknown } from '../../src/core/types.js';
import { fakeBook } from '../helpers/fake-book.js';

const book = fakeBook({
  'AmazonSageMaker/us-east-1/hosting:ml.g5.xlarge': 1.408,
  'AmazonSageMaker/us-east-1/hosting:ml.g5.2xlarge': 1.515,
  'AmazonSageMaker/us-east-1/hosting:ml.m5.large': 0.115,
  'AmazonSageMaker/us-east-1/hosting:ml.g4dn.xlarge': 0.7364,
  'AmazonSageMaker/us-east-1/notebook:ml.t3.medium': 0.05,
  'AmazonSageMaker/us-east-1/notebook:ml.g5.xlarge': 1.41,
  'AmazonEFS/us-east-1/storage:standard': 0.3,
});

interface Spec {
  type: string;
  name: string;
  attributes: Record<string, Value>;
  references?: Record<string, string[]>;
  region?: string | null;
  file?: string;
}

function res(s: Spec): Resource {
  return {
    address: `${s.type}.${s.name}`,
    type: s.type,
    file: s.file ?? 'main.tf',
    line: 1,
    region: s.region === undefined ? 'us-east-1' : s.region,
    attributes: s.attributes,
    ...(s.references ? { references: s.references } : {}),
  };
}

/** Prices `address` within a project made of `all`. */
function price(all: Resource[], address: string, usage: Record<string, unknown> = {}): PricedResource {
  const r = all.find((x) => x.address === address);
  if (!r) throw new Error(`no ${address}`);
  const pricer = pricerFor(r.type);
  if (!pricer) throw new Error(`no pricer for ${r.type}`);
  return priceResource(r, pricer, { book, usageFor: () => usage, resources: all });
}

function config(name: string, attributes: Record<string, Value>, extra: Partial<Spec> = {}): Resource {
  return res({ type: 'aws_sagemaker_endpoint_configuration', name, attributes: { name, ...attributes }, ...extra });
}

function endpoint(name: string, configName: string, extra: Partial<Spec> = {}): Resource {
  return res({
    type: 'aws_sagemaker_endpoint',
    name,
    attributes: { name, endpoint_config_name: configName },
    references: { endpoint_config_name: [`aws_sagemaker_endpoint_configuration.${configName}`] },
    ...extra,
  });
}

function target(name: string, endpointName: string, attributes: Record<string, Value>): Resource {
  return res({
    type: 'aws_appautoscaling_target',
    name,
    attributes: { scalable_dimension: 'sagemaker:variant:DesiredInstanceCount', service_namespace: 'sagemaker', ...attributes },
    references: { resource_id: [`aws_sagemaker_endpoint.${endpointName}`] },
  });
}

const g5 = (count: Value, extra: Record<string, Value> = {}) => ({
  production_variants: [{ variant_name: 'AllTraffic', instance_type: 'ml.g5.xlarge', initial_instance_count: count, ...extra }],
});

describe('aws_sagemaker_endpoint', () => {
  it('bills the variants of its configuration; the configuration itself then costs 0', () => {
    const all = [config('c', g5(2)), endpoint('e', 'c')];
    const e = price(all, 'aws_sagemaker_endpoint.e');
    expect(e.ceilingMonthlyCost).toBeUndefined();
    expect(e.costComponents).toHaveLength(1);
    expect(e.costComponents[0]).toMatchObject({ name: 'Inference instances (AllTraffic, ml.g5.xlarge)', monthlyQuantity: 1460, unitPrice: 1.408, monthlyCost: 2055.68 });
    expect(e.costComponents[0]!.assumption).toBeUndefined();
    expect(e.details).toMatchObject({ endpointConfiguration: 'aws_sagemaker_endpoint_configuration.c', instances: 2 });
    const c = price(all, 'aws_sagemaker_endpoint_configuration.c');
    expect(c).toMatchObject({ monthlyCost: 0, costComponents: [], unpriced: [] });
    expect(c.details).toEqual({ billedThrough: ['aws_sagemaker_endpoint.e'], note: 'billed through aws_sagemaker_endpoint.e' });
  });

  it('prices an autoscaled variant at min_capacity, labelled, with the ceiling in details', () => {
    const all = [
      config('c', g5(1)),
      endpoint('e', 'c'),
      target('t', 'e', { min_capacity: 2, max_capacity: 6, resource_id: 'endpoint/e/variant/AllTraffic' }),
    ];
    const e = price(all, 'aws_sagemaker_endpoint.e');
    expect(e.costComponents[0]).toMatchObject({ monthlyQuantity: 1460, monthlyCost: 2055.68 });
    expect(e.costComponents[0]!.assumption).toBe(
      'baseline of min_capacity 2 instance(s) from aws_appautoscaling_target.t priced (autoscaling up to max_capacity 6; traffic decides the rest)',
    );
    expect(e.details).toMatchObject({ instances: 2, minCapacity: 2, maxCapacity: 6, autoscalingTargets: ['aws_appautoscaling_target.t'] });
    // The ceiling: 6 x 730 x 1.408, not counted in the total.
    expect(e.ceilingMonthlyCost).toBe(6167.04);
  });

  it('prices a scale-to-zero baseline as 0 instances, still saying so', () => {
    const all = [config('c', { ...g5(1), async_inference_config: [{ output_config: [{ s3_output_path: 's3://x' }] }] }), endpoint('e', 'c'), target('t', 'e', { min_capacity: 0, max_capacity: 4, resource_id: 'endpoint/e/variant/AllTraffic' })];
    const e = price(all, 'aws_sagemaker_endpoint.e');
    expect(e.monthlyCost).toBe(0);
    expect(e.costComponents[0]).toMatchObject({ monthlyQuantity: 0, unitPrice: 1.408, monthlyCost: 0 });
    expect(e.costComponents[0]!.assumption).toContain('min_capacity 0');
    expect(e.costComponents[0]!.assumption).toContain('asynchronous inference: its instances bill per hour');
    expect(e.details).toMatchObject({ instances: 0, minCapacity: 0, maxCapacity: 4, asyncInference: true });
    expect(e.ceilingMonthlyCost).toBe(4111.36);
  });

  it('matches targets to variants by name and ignores other dimensions and other endpoints', () => {
    const all = [
      config('c', {
        production_variants: [
          { variant_name: 'a', instance_type: 'ml.g5.xlarge', initial_instance_count: 1 },
          { variant_name: 'b', instance_type: 'ml.m5.large', initial_instance_count: 3 },
        ],
      }),
      endpoint('e', 'c'),
      target('tb', 'e', { min_capacity: 1, max_capacity: 5, resource_id: 'endpoint/e/variant/b' }),
      target('other', 'e', { min_capacity: 7, max_capacity: 9, resource_id: 'endpoint/not-e/variant/a' }),
      target('ic', 'e', { min_capacity: 8, max_capacity: 9, resource_id: 'inference-component/x', scalable_dimension: 'sagemaker:inference-component:DesiredCopyCount' }),
    ];
    const e = price(all, 'aws_sagemaker_endpoint.e');
    expect(e.costComponents.map((c) => [c.name, c.monthlyQuantity])).toEqual([
      ['Inference instances (a, ml.g5.xlarge)', 730],
      ['Inference instances (b, ml.m5.large)', 730],
    ]);
    expect(e.costComponents[0]!.assumption).toBeUndefined();
    // Fixed variants count at their size in both bounds: 1 + 1 and 1 + 5.
    expect(e.details).toMatchObject({ instances: 2, minCapacity: 2, maxCapacity: 6, autoscalingTargets: ['aws_appautoscaling_target.tb'] });
  });

  it('applies a target whose resource_id is unknown to the only instance variant', () => {
    const all = [config('c', g5(1)), endpoint('e', 'c'), target('t', 'e', { min_capacity: 3, max_capacity: 4, resource_id: unknown('endpoint name is computed') })];
    expect(price(all, 'aws_sagemaker_endpoint.e').costComponents[0]).toMatchObject({ monthlyQuantity: 2190 });
  });

  it('leaves the line unpriced when min_capacity is unknown', () => {
    const all = [config('c', g5(1)), endpoint('e', 'c'), target('t', 'e', { min_capacity: unknown('variable "min" has no value'), max_capacity: 4, resource_id: 'endpoint/e/variant/AllTraffic' })];
    const e = price(all, 'aws_sagemaker_endpoint.e');
    expect(e.monthlyCost).toBeNull();
    expect(e.costComponents[0]).toMatchObject({ monthlyQuantity: null, monthlyCost: null });
    expect(e.unpriced).toEqual([{ component: 'Inference instances (AllTraffic, ml.g5.xlarge)', reason: 'min_capacity is unknown: variable "min" has no value' }]);
    expect(e.details).not.toHaveProperty('instances');
  });

  it('explains an instance count from a variable without a value, never assuming one', () => {
    const all = [config('c', g5(unknown('variable "replicas" has no value'))), endpoint('e', 'c')];
    const e = price(all, 'aws_sagemaker_endpoint.e');
    expect(e.costComponents[0]).toMatchObject({ monthlyQuantity: null, monthlyCost: null });
    expect(e.unpriced[0]!.reason).toBe('initial_instance_count is unknown: variable "replicas" has no value');
  });

  it('assumes and labels one instance when initial_instance_count is not set', () => {
    const all = [config('c', { production_variants: [{ variant_name: 'v', instance_type: 'ml.m5.large' }] }), endpoint('e', 'c')];
    const e = price(all, 'aws_sagemaker_endpoint.e');
    expect(e.costComponents[0]).toMatchObject({ monthlyQuantity: 730, monthlyCost: 83.95, assumption: '1 instance assumed (initial_instance_count is not set)' });
  });

  it('reports an ml.* type missing from the price book with the book\'s reason', () => {
    const all = [config('c', { production_variants: [{ variant_name: 'v', instance_type: 'ml.p5.48xlarge', initial_instance_count: 1 }] }), endpoint('e', 'c')];
    expect(price(all, 'aws_sagemaker_endpoint.e').unpriced).toEqual([
      { component: 'Inference instances (v, ml.p5.48xlarge)', reason: 'no test price for hosting:ml.p5.48xlarge in us-east-1' },
    ]);
  });

  it('refuses an instance type without the ml. prefix instead of looking it up', () => {
    const all = [config('c', { production_variants: [{ variant_name: 'v', instance_type: 'g5.xlarge', initial_instance_count: 1 }] }), endpoint('e', 'c')];
    expect(price(all, 'aws_sagemaker_endpoint.e').unpriced[0]!.reason).toBe('g5.xlarge is not a SageMaker instance type (SageMaker types start with ml.)');
    const nb = res({ type: 'aws_sagemaker_notebook_instance', name: 'n', attributes: { instance_type: 't3.medium' } });
    expect(price([nb], 'aws_sagemaker_notebook_instance.n').unpriced[0]!.reason).toContain('is not a SageMaker instance type');
  });

  it('prices the instance but not a retired Elastic Inference accelerator', () => {
    const all = [config('c', { production_variants: [{ variant_name: 'v', instance_type: 'ml.m5.large', initial_instance_count: 1, accelerator_type: 'ml.eia2.medium' }] }), endpoint('e', 'c')];
    const e = price(all, 'aws_sagemaker_endpoint.e');
    expect(e.monthlyCost).toBe(83.95);
    expect(e.unpriced).toEqual([{ component: 'Elastic Inference accelerator (v, ml.eia2.medium)', reason: expect.stringContaining('Elastic Inference is retired') }]);
  });

  it('adds ML storage for volume_size_in_gb, per instance', () => {
    const all = [config('c', g5(2, { volume_size_in_gb: 100 })), endpoint('e', 'c')];
    const e = price(all, 'aws_sagemaker_endpoint.e');
    expect(e.costComponents[1]).toMatchObject({ name: 'ML storage (AllTraffic)', unit: 'GB', monthlyQuantity: 200, monthlyCost: null });
    expect(e.ceilingMonthlyCost).toBeUndefined();
    expect(e.unpriced[0]!.reason).toBe('no test price for ml-storage:hosting in us-east-1');
  });

  it('bills shadow variants too', () => {
    const all = [config('c', { ...g5(1), shadow_production_variants: [{ variant_name: 'next', instance_type: 'ml.g5.2xlarge', initial_instance_count: 1 }] }), endpoint('e', 'c')];
    const e = price(all, 'aws_sagemaker_endpoint.e');
    expect(e.costComponents.map((c) => c.name)).toEqual(['Inference instances (AllTraffic, ml.g5.xlarge)', 'Inference instances (shadow next, ml.g5.2xlarge)']);
    expect(e.monthlyCost).toBe(2133.79);
  });

  it('computes serverless GB-seconds from usage and asks for what is missing', () => {
    const all = [config('c', { production_variants: [{ variant_name: 'v', serverless_config: [{ memory_size_in_mb: 2048, max_concurrency: 5, provisioned_concurrency: 2 }] }] }), endpoint('e', 'c')];
    const none = price(all, 'aws_sagemaker_endpoint.e');
    expect(none.costComponents[0]).toMatchObject({ name: 'Serverless inference compute (v)', monthlyQuantity: null, usageBased: true, usageKey: 'monthly_requests' });
    expect(price(all, 'aws_sagemaker_endpoint.e', { monthly_requests: 1000 }).costComponents[0]).toMatchObject({ monthlyQuantity: null, usageKey: 'request_duration_ms' });
    const some = price(all, 'aws_sagemaker_endpoint.e', { monthly_requests: 1000000, request_duration_ms: 250, monthly_data_processed_gb: 10 });
    // 2 GB x 1,000,000 x 0.25 s; provisioned: 2 GB x 2 x 730 x 3,600 s
    expect(some.costComponents.map((c) => [c.name, c.unit, c.monthlyQuantity])).toEqual([
      ['Serverless inference compute (v)', 'GB-seconds', 500000],
      ['Serverless inference data processed (v)', 'GB', 10],
      ['Serverless provisioned concurrency (v)', 'GB-seconds', 10512000],
    ]);
    expect(some.monthlyCost).toBeNull();
    expect(some.unpriced.map((u) => u.reason)).toEqual([
      'no test price for serverless:compute in us-east-1',
      'no test price for serverless:data in us-east-1',
      'no test price for serverless:provisioned-concurrency in us-east-1',
    ]);
    expect(some.details).toMatchObject({ serverless: true });
    expect(some.details).not.toHaveProperty('instances');
  });

  it('cannot read a configuration that is not in the project', () => {
    const e = price([endpoint('e', 'missing', { attributes: { name: 'e', endpoint_config_name: 'shared-v3' }, references: {} })], 'aws_sagemaker_endpoint.e');
    expect(e.monthlyCost).toBeNull();
    expect(e.unpriced).toEqual([{ component: 'Inference instances', reason: 'endpoint configuration "shared-v3" is not defined in this project, so its variants cannot be read' }]);
  });

  it('picks the configuration instance by name when the reference names a counted block', () => {
    const c0 = { ...config('c', g5(1)), address: 'aws_sagemaker_endpoint_configuration.c[0]', attributes: { name: 'c-0', ...g5(1) } };
    const c1 = { ...config('c', g5(3)), address: 'aws_sagemaker_endpoint_configuration.c[1]', attributes: { name: 'c-1', ...g5(3) } };
    const e = endpoint('e', 'c', { attributes: { name: 'e', endpoint_config_name: 'c-1' } });
    expect(price([c0, c1, e], 'aws_sagemaker_endpoint.e').costComponents[0]).toMatchObject({ monthlyQuantity: 2190 });
  });

  it('points lines at the endpoint when the configuration is in another file', () => {
    const c = { ...config('c', g5(1), { file: 'config.tf' }), attributeLines: { 'production_variants.0.instance_type': 40 } };
    const e = { ...endpoint('e', 'c'), attributeLines: { endpoint_config_name: 7 } };
    expect(price([c, e], 'aws_sagemaker_endpoint.e').costComponents[0]!.line).toBe(7);
    expect(price([{ ...c, file: 'main.tf' }, e], 'aws_sagemaker_endpoint.e').costComponents[0]!.line).toBe(40);
  });

  it('is unpriced when the region is unknown', () => {
    const all = [config('c', g5(1)), endpoint('e', 'c', { region: null })];
    expect(price(all, 'aws_sagemaker_endpoint.e').unpriced[0]!.reason).toBe('region is unknown');
  });

  it('is no longer a free type', () => {
    expect(freeReason('aws_sagemaker_endpoint')).toBeUndefined();
  });
});

describe('aws_sagemaker_endpoint_configuration without an endpoint', () => {
  it('is priced as deployed 24/7 and labelled so', () => {
    const c = price([config('c', g5(2))], 'aws_sagemaker_endpoint_configuration.c');
    expect(c.costComponents[0]).toMatchObject({
      monthlyCost: 2055.68,
      assumption: 'no aws_sagemaker_endpoint in this project uses it; priced as deployed 24/7',
    });
    expect(c.details).toEqual({ instances: 2 });
  });

  it('says why when production_variants cannot be read', () => {
    const c = price([config('c', { production_variants: unknown('for_each over var.variants, which has no value') })], 'aws_sagemaker_endpoint_configuration.c');
    expect(c.monthlyCost).toBeNull();
    expect(c.unpriced[0]!.reason).toBe('production_variants is unknown: for_each over var.variants, which has no value');
  });
});

describe('aws_sagemaker_notebook_instance', () => {
  const nb = (attributes: Record<string, Value>, region: string | null = 'us-east-1') =>
    res({ type: 'aws_sagemaker_notebook_instance', name: 'n', attributes: { name: 'n', role_arn: 'arn', ...attributes }, region });

  it('uses the Studio notebook rate and says so; assumes 24/7 and the 5 GB default volume', () => {
    const p = price([nb({ instance_type: 'ml.t3.medium' })], 'aws_sagemaker_notebook_instance.n');
    expect(p.costComponents[0]).toMatchObject({ name: 'Notebook instance (ml.t3.medium)', monthlyQuantity: 730, unitPrice: 0.05, monthlyCost: 36.5 });
    expect(p.costComponents[0]!.assumption).toContain('Studio notebook price used for a notebook instance');
    expect(p.costComponents[0]!.assumption).toContain('runs 24/7 assumed');
    expect(p.costComponents[1]).toMatchObject({ name: 'ML storage (notebook volume)', monthlyQuantity: 5, assumption: '5 GB assumed (AWS default when volume_size is not set)' });
    expect(p.unpriced).toEqual([{ component: 'ML storage (notebook volume)', reason: 'no test price for ml-storage:notebook in us-east-1' }]);
    expect(p.monthlyCost).toBe(36.5);
  });

  it('takes hours from usage and the volume from volume_size', () => {
    const p = price([nb({ instance_type: 'ml.g5.xlarge', volume_size: 100 })], 'aws_sagemaker_notebook_instance.n', { monthly_hours: 100 });
    expect(p.costComponents[0]).toMatchObject({ monthlyQuantity: 100, monthlyCost: 141 });
    expect(p.costComponents[0]!.assumption).not.toContain('24/7');
    expect(p.costComponents[1]).toMatchObject({ monthlyQuantity: 100 });
    expect(p.costComponents[1]!.assumption).toBeUndefined();
  });

  it('reports whether a lifecycle configuration is set (for idle-shutdown checks)', () => {
    expect(price([nb({ instance_type: 'ml.t3.medium', lifecycle_config_name: 'autostop' })], 'aws_sagemaker_notebook_instance.n').details).toEqual({
      instanceType: 'ml.t3.medium',
      lifecycleConfig: true,
      lifecycleConfigName: 'autostop',
    });
    expect(price([nb({ instance_type: 'ml.t3.medium', lifecycle_config_name: unknown('computed') })], 'aws_sagemaker_notebook_instance.n').details).toEqual({
      instanceType: 'ml.t3.medium',
      lifecycleConfig: true,
    });
    expect(price([nb({ instance_type: 'ml.t3.medium' })], 'aws_sagemaker_notebook_instance.n').details).toMatchObject({ lifecycleConfig: false });
  });

  it('leaves unknown types, unknown sizes and Elastic Inference unpriced with reasons', () => {
    const p = price(
      [nb({ instance_type: unknown('variable "nb_type" has no value'), volume_size: unknown('variable "disk" has no value'), accelerator_types: ['ml.eia2.medium'] })],
      'aws_sagemaker_notebook_instance.n',
    );
    expect(p.monthlyCost).toBeNull();
    expect(p.unpriced.map((u) => u.reason)).toEqual([
      'instance_type is unknown: variable "nb_type" has no value',
      'volume_size is unknown: variable "disk" has no value',
      expect.stringContaining('Elastic Inference is retired'),
    ]);
  });

  it('is unpriced in an unknown region', () => {
    expect(price([nb({ instance_type: 'ml.t3.medium' }, null)], 'aws_sagemaker_notebook_instance.n').unpriced.map((u) => u.reason)).toEqual(['region is unknown', 'region is unknown']);
  });
});

describe('Studio: aws_sagemaker_app, aws_sagemaker_domain, aws_sagemaker_space', () => {
  const app = (attributes: Record<string, Value>) => res({ type: 'aws_sagemaker_app', name: 'a', attributes: { domain_id: 'd-1', app_name: 'default', ...attributes } });

  it('bills an app instance per usage hour at the Studio rate', () => {
    const a = [app({ app_type: 'KernelGateway', resource_spec: [{ instance_type: 'ml.g5.xlarge' }] })];
    const none = price(a, 'aws_sagemaker_app.a');
    expect(none.costComponents[0]).toMatchObject({ name: 'Studio app instance (KernelGateway, ml.g5.xlarge)', monthlyQuantity: null, unitPrice: 1.41, usageBased: true, usageKey: 'monthly_hours' });
    expect(none.monthlyCost).toBeNull();
    expect(none.unpriced).toEqual([]);
    expect(price(a, 'aws_sagemaker_app.a', { monthly_hours: 100 }).monthlyCost).toBe(141);
  });

  it('costs nothing on the free system instance', () => {
    const cases: Record<string, Value>[] = [{ app_type: 'JupyterServer' }, { app_type: 'KernelGateway', resource_spec: [{ instance_type: 'system' }] }];
    for (const attrs of cases) {
      const p = price([app(attrs)], 'aws_sagemaker_app.a');
      expect(p).toMatchObject({ monthlyCost: 0, costComponents: [], unpriced: [] });
    }
  });

  it('labels the default instance type and reads Canvas as session-hours', () => {
    expect(price([app({ app_type: 'JupyterLab' })], 'aws_sagemaker_app.a').costComponents[0]).toMatchObject({
      name: 'Studio app instance (JupyterLab, ml.t3.medium)',
      assumption: expect.stringContaining('ml.t3.medium assumed'),
    });
    const canvas = price([app({ app_type: 'Canvas' })], 'aws_sagemaker_app.a', { monthly_hours: 10 });
    expect(canvas.costComponents[0]).toMatchObject({ name: 'Canvas workspace session', monthlyQuantity: 10, monthlyCost: null });
    expect(canvas.unpriced[0]!.reason).toBe('no test price for canvas:session-hour in us-east-1');
    expect(canvas.details).toEqual({ appType: 'Canvas' });
  });

  it('explains an unknown app type or instance type', () => {
    expect(price([app({ app_type: unknown('variable "kind" has no value') })], 'aws_sagemaker_app.a').unpriced[0]!.reason).toBe('app_type is unknown: variable "kind" has no value');
    expect(price([app({ app_type: 'KernelGateway', resource_spec: [{ instance_type: unknown('variable "it" has no value') }] })], 'aws_sagemaker_app.a').unpriced[0]!.reason).toBe(
      'resource_spec.0.instance_type is unknown: variable "it" has no value',
    );
  });

  it('prices the domain home EFS volume from usage', () => {
    const d = res({ type: 'aws_sagemaker_domain', name: 'd', attributes: { domain_name: 'd', retention_policy: [{ home_efs_file_system: 'Delete' }] } });
    const none = price([d], 'aws_sagemaker_domain.d');
    expect(none.costComponents[0]).toMatchObject({ name: 'Home directories (EFS Standard storage)', monthlyQuantity: null, unitPrice: 0.3, usageKey: 'storage_gb' });
    expect(none.details).toEqual({ homeEfsRetention: 'Delete' });
    expect(price([d], 'aws_sagemaker_domain.d', { storage_gb: 100 }).monthlyCost).toBe(30);
    const retained = res({ type: 'aws_sagemaker_domain', name: 'd', attributes: { domain_name: 'd' } });
    expect(price([retained], 'aws_sagemaker_domain.d').details).toMatchObject({ homeEfsRetention: 'Retain', note: expect.stringContaining('after the domain is deleted') });
  });

  it('sizes a space volume from the space, then the domain default, then 5 GB assumed', () => {
    const domain = res({
      type: 'aws_sagemaker_domain',
      name: 'd',
      attributes: { default_user_settings: [{ space_storage_settings: [{ default_ebs_storage_settings: [{ default_ebs_volume_size_in_gb: 30 }] }] }] },
    });
    const space = (attributes: Record<string, Value>, withDomain = true) =>
      res({ type: 'aws_sagemaker_space', name: 's', attributes: { space_name: 's', ...attributes }, ...(withDomain ? { references: { domain_id: ['aws_sagemaker_domain.d'] } } : {}) });
    const own = price([domain, space({ space_settings: [{ app_type: 'JupyterLab', space_storage_settings: [{ ebs_storage_settings: [{ ebs_volume_size_in_gb: 80 }] }] }] })], 'aws_sagemaker_space.s');
    expect(own.costComponents[0]).toMatchObject({ name: 'ML storage (space volume)', monthlyQuantity: 80, monthlyCost: null });
    expect(own.unpriced[0]!.reason).toBe('no test price for ml-storage:studio in us-east-1');
    const fromDomain = price([domain, space({ space_settings: [{ app_type: 'CodeEditor' }] })], 'aws_sagemaker_space.s');
    expect(fromDomain.costComponents[0]).toMatchObject({ monthlyQuantity: 30, assumption: '30 GB from aws_sagemaker_domain.d default_user_settings default_ebs_volume_size_in_gb' });
    const assumed = price([space({ space_settings: [{ app_type: 'JupyterLab' }] }, false)], 'aws_sagemaker_space.s');
    expect(assumed.costComponents[0]).toMatchObject({ monthlyQuantity: 5, assumption: expect.stringContaining('5 GB assumed') });
    const classic = price([domain, space({ space_settings: [{ jupyter_server_app_settings: [{}] }] })], 'aws_sagemaker_space.s');
    expect(classic).toMatchObject({ monthlyCost: 0, costComponents: [] });
  });

  it('treats user profiles and Studio lifecycle configurations as free, and keeps the model free', () => {
    expect(freeReason('aws_sagemaker_user_profile')).toBe('no charge of its own');
    expect(freeReason('aws_sagemaker_studio_lifecycle_config')).toBe('no charge of its own');
    expect(freeReason('aws_sagemaker_model')).toBe('no charge of its own');
  });
});
