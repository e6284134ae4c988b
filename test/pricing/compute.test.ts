/**
 * Compute pricers (Auto Scaling groups, ECS/EKS Fargate, Batch, EMR, spot requests and fleets,
 * Lambda) against a small fake price book: quantities, purchase options, related resources, and
 * what stays unpriced or depends on usage.
 */
import { describe, expect, it } from '@jest/globals';
import { priceResource } from '../../src/pricing/cost.js';
import { freeReason, pricerFor } from '../../src/pricing/index.js';
import type { Resource, Value } from '../../src/core/types.js';
import { unknown } from '../../src/core/types.js';
import { fakeBook } from '../helpers/fake-book.js';

const book = fakeBook(
  {
    'AmazonEC2/us-east-1/instance:m5.large': 0.096,
    'AmazonEC2/us-east-1/spot:m5.large': 0.03264,
    'AmazonEC2/us-east-1/instance:c5.2xlarge': 0.34,
    'AmazonEC2/us-east-1/spot:c5.2xlarge': 0.1496,
    'AmazonEC2/us-east-1/instance:c5.4xlarge': 0.68,
    'AmazonEC2/us-east-1/instance:m6i.large': 0.096,
    'AmazonEC2/us-east-1/instance:m6i.2xlarge': 0.384,
    'AmazonEC2/us-east-1/instance:m6i.32xlarge': 6.144,
    'AmazonEC2/us-east-1/spot:g5.2xlarge': 0.50904,
    'AmazonEC2/us-east-1/capacity-block:p5.48xlarge': 31.464,
    'AmazonEC2/us-east-1/ebs:gp2:storage': 0.1,
    'AmazonEC2/us-east-1/ebs:gp3:storage': 0.08,
    'AmazonEC2/us-east-1/ebs:gp3:iops': 0.005,
    'AmazonECS/us-east-1/fargate:vcpu:x86': 0.04048,
    'AmazonECS/us-east-1/fargate:memory:x86': 0.004445,
    'AmazonECS/us-east-1/fargate:vcpu:arm': 0.03238,
    'AmazonECS/us-east-1/fargate:memory:arm': 0.00356,
    'AmazonECS/us-east-1/fargate:storage': 0.000111,
    'AWSLambda/us-east-1/requests': 0.0000002,
    'AWSLambda/us-east-1/duration:x86': { usd: 0.0000166667, tiers: [{ upTo: 6e9, usd: 0.0000166667 }, { upTo: 15e9, usd: 0.000015 }, { upTo: null, usd: 0.0000133334 }] },
    'AWSLambda/us-east-1/duration:arm': { usd: 0.0000133334, tiers: [{ upTo: 7.5e9, usd: 0.0000133334 }, { upTo: null, usd: 0.0000120001 }] },
    'AWSLambda/us-east-1/provisioned-concurrency:x86': 0.0000041667,
    'AWSLambda/us-east-1/provisioned-duration:x86': 0.0000097222,
  },
  {
    'c5.2xlarge': { vcpu: 8, memoryGiB: 16, gpuCount: 0 },
    'c5.4xlarge': { vcpu: 16, memoryGiB: 32, gpuCount: 0 },
    'g5.2xlarge': { vcpu: 8, memoryGiB: 32, gpuCount: 1 },
    'm5.large': { vcpu: 2, memoryGiB: 8, gpuCount: 0 },
    'm6i.large': { vcpu: 2, memoryGiB: 8, gpuCount: 0 },
    'm6i.2xlarge': { vcpu: 8, memoryGiB: 32, gpuCount: 0 },
    'm6i.32xlarge': { vcpu: 128, memoryGiB: 512, gpuCount: 0 },
  },
);

type Refs = Record<string, string[]>;

function res(address: string, attributes: Record<string, Value>, references?: Refs, region: string | null = 'us-east-1'): Resource {
  const type = address.split('.')[0] as string;
  return { address, type, file: 'main.tf', line: 1, region, attributes, ...(references ? { references } : {}) };
}

/** Prices `target` with `others` as the rest of the project. */
function price(target: Resource, others: Resource[] = [], usage: Record<string, unknown> = {}) {
  const pricer = pricerFor(target.type);
  if (!pricer) throw new Error(`no pricer for ${target.type}`);
  return priceResource(target, pricer, { book, usageFor: () => usage, resources: [target, ...others] });
}

const names = (p: ReturnType<typeof price>) => p.costComponents.map((c) => [c.name, c.monthlyQuantity, c.monthlyCost]);

describe('aws_autoscaling_group', () => {
  const lt = res('aws_launch_template.cpu', { instance_type: 'm5.large', block_device_mappings: [{ device_name: '/dev/xvda', ebs: [{ volume_size: 50, volume_type: 'gp3' }] }] });
  const asg = (attrs: Record<string, Value>, refs: Refs = { 'launch_template.0.id': ['aws_launch_template.cpu'] }) =>
    res('aws_autoscaling_group.g', { launch_template: [{ id: unknown('computed') }], ...attrs }, refs);

  it('prices desired_capacity instances of the template plus its volumes per instance', () => {
    const p = price(asg({ desired_capacity: 3, min_size: 1, max_size: 5 }), [lt]);
    expect(names(p)).toEqual([['Instance usage (Linux/UNIX, on-demand, m5.large)', 2190, 210.24]]);
    expect(p.subresources[0]).toMatchObject({ address: 'aws_autoscaling_group.g.block_device_mappings[0]', monthlyCost: 12 });
    expect(p.details).toMatchObject({ desiredSize: 3, minSize: 1, maxSize: 5, instanceType: 'm5.large', launchTemplate: 'aws_launch_template.cpu' });
    // At max_size 5: 5 x 730 x $0.096 + 5 x 50 GB x $0.08
    expect(p.ceilingMonthlyCost).toBe(370.4);
  });

  it('falls back to min_size with a labelled assumption', () => {
    const p = price(asg({ min_size: 2, max_size: 5 }), [lt]);
    expect(p.costComponents[0]).toMatchObject({ monthlyQuantity: 1460, assumption: expect.stringContaining('desired_capacity is not set') });
  });

  it('splits a mixed instances policy into on-demand and spot, rounding the on-demand share up', () => {
    const p = price(res('aws_autoscaling_group.g', {
      desired_capacity: 5,
      min_size: 0,
      max_size: 10,
      mixed_instances_policy: [{
        instances_distribution: [{ on_demand_base_capacity: 1, on_demand_percentage_above_base_capacity: 30 }],
        launch_template: [{ launch_template_specification: [{ launch_template_id: unknown('computed') }], override: [{ instance_type: 'c5.2xlarge' }, { instance_type: 'm5.large' }] }],
      }],
    }, { 'mixed_instances_policy.0.launch_template.0.launch_template_specification.0.launch_template_id': ['aws_launch_template.cpu'] }), [lt]);
    // on-demand 1 + ceil(4 x 30%) = 1 + 2 = 3; spot 2
    expect(names(p)).toEqual([
      ['Instance usage (Linux/UNIX, on-demand, c5.2xlarge)', 2190, 744.6],
      ['Instance usage (Linux/UNIX, spot, c5.2xlarge)', 1460, 218.416],
    ]);
    expect(p.costComponents[0]!.assumption).toContain('c5.2xlarge (the first override) assumed');
    expect(p.subresources[0]!.costComponents[0]!.monthlyQuantity).toBe(250);
    expect(p.details).toMatchObject({ onDemandInstances: 3, spotInstances: 2 });
    // At max_size 10: on-demand 1 + ceil(9 x 30%) = 4, spot 6; disks 10 x 50 GB
    expect(p.ceilingMonthlyCost).toBe(1688.048); // 992.8 + 655.248 + 40
  });

  it('prices an all-spot mixed policy with weighted capacity in instances', () => {
    const p = price(res('aws_autoscaling_group.g', {
      desired_capacity: 8,
      min_size: 0,
      max_size: 16,
      mixed_instances_policy: [{
        instances_distribution: [{ on_demand_percentage_above_base_capacity: 0 }],
        launch_template: [{ launch_template_specification: [{ launch_template_name: 'x' }], override: [{ instance_type: 'c5.2xlarge', weighted_capacity: '4' }] }],
      }],
    }, { 'mixed_instances_policy.0.launch_template.0.launch_template_specification.0.launch_template_name': ['aws_launch_template.cpu'] }), [lt]);
    expect(names(p)).toEqual([['Instance usage (Linux/UNIX, spot, c5.2xlarge)', 1460, 218.416]]);
  });

  it('uses the spot estimate or capacity blocks from the template market options', () => {
    const spot = res('aws_launch_template.cpu', { instance_type: 'm5.large', instance_market_options: [{ market_type: 'spot' }] });
    expect(price(asg({ desired_capacity: 1 }), [spot]).costComponents[0]).toMatchObject({ name: 'Instance usage (Linux/UNIX, spot, m5.large)', unitPrice: 0.03264 });
    const cb = res('aws_launch_template.cpu', { instance_type: 'p5.48xlarge', instance_market_options: [{ market_type: 'capacity-block' }] });
    expect(price(asg({ desired_capacity: 1 }), [cb]).costComponents[0]).toMatchObject({ unitPrice: 31.464 });
  });

  it('labels the root volume it assumes when the template has no block device mappings', () => {
    const bare = res('aws_launch_template.cpu', { instance_type: 'm5.large' });
    const p = price(asg({ desired_capacity: 2 }), [bare]);
    expect(p.subresources[0]!.costComponents[0]).toMatchObject({ name: 'Storage (gp2)', monthlyQuantity: 16, monthlyCost: 1.6, assumption: expect.stringContaining('8 GB gp2 per instance assumed') });
  });

  it('is unpriced with the reason when the template cannot be found or read', () => {
    expect(price(asg({ desired_capacity: 1, launch_template: [{ id: 'lt-123' }] }, {})).unpriced[0]!.reason).toBe('launch template lt-123 is not defined in this project');
    expect(price(asg({ desired_capacity: 1, launch_template: [{ id: unknown('data source') }] }, {})).unpriced[0]!.reason).toBe('launch_template.0.id is unknown: data source');
    expect(price(res('aws_autoscaling_group.g', { desired_capacity: 1, launch_configuration: 'lc' })).unpriced[0]!.reason).toContain('launch configurations');
    const p = price(asg({ desired_capacity: 1 }, {}));
    expect(p.monthlyCost).toBeNull();
    expect(p.subresources).toEqual([]);
  });

  it('does not guess an instance type chosen by instance_requirements or an unknown group size', () => {
    const abs = res('aws_launch_template.cpu', { instance_requirements: [{ vcpu_count: [{ min: 2 }] }] });
    expect(price(asg({ desired_capacity: 2 }), [abs]).unpriced[0]!.reason).toContain('instance_requirements');
    expect(price(asg({ desired_capacity: unknown('var.n has no value'), min_size: unknown('var.m has no value') }), [lt]).unpriced[0]!.reason).toBe(
      'desired_capacity is unknown: var.n has no value and min_size is unknown: var.m has no value',
    );
  });

  it('leaves dedicated tenancy unpriced', () => {
    const dedicated = res('aws_launch_template.cpu', { instance_type: 'm5.large', placement: [{ tenancy: 'dedicated' }] });
    expect(price(asg({ desired_capacity: 1 }), [dedicated]).unpriced[0]!.reason).toContain('dedicated tenancy');
  });
});

describe('aws_ecs_service', () => {
  const td = (attrs: Record<string, Value>) => res('aws_ecs_task_definition.t', { family: 't', cpu: '1024', memory: '2048', ...attrs });
  const svc = (attrs: Record<string, Value>) => res('aws_ecs_service.s', { task_definition: unknown('computed'), ...attrs }, { task_definition: ['aws_ecs_task_definition.t'] });

  it('prices desired_count Fargate tasks by vCPU and GB', () => {
    const p = price(svc({ launch_type: 'FARGATE', desired_count: 2 }), [td({})]);
    expect(names(p)).toEqual([
      ['vCPU (Fargate, Linux/x86)', 1460, 59.1008],
      ['Memory (Fargate, Linux/x86)', 2920, 12.9794],
    ]);
    expect(p.details).toMatchObject({ tasks: 2, vcpuPerTask: 1, memoryGbPerTask: 2 });
  });

  it('uses ARM prices for ARM64 task definitions and bills ephemeral storage above 20 GB', () => {
    const p = price(svc({ launch_type: 'FARGATE', desired_count: 1 }), [td({ runtime_platform: [{ cpu_architecture: 'ARM64' }], ephemeral_storage: [{ size_in_gib: 30 }] })]);
    expect(names(p)).toEqual([
      ['vCPU (Fargate, Linux/arm)', 730, 23.6374],
      ['Memory (Fargate, Linux/arm)', 1460, 5.1976],
      ['Ephemeral storage above 20 GB (Fargate)', 7300, 0.8103],
    ]);
  });

  it('says EC2-launched tasks are billed by their instances', () => {
    const p = price(svc({ launch_type: 'EC2', desired_count: 4 }), [td({})]);
    expect(p.monthlyCost).toBeNull();
    expect(p.unpriced[0]!.reason).toContain('billed as those resources, not here');
  });

  it('does not assume Fargate when neither launch_type nor a strategy is set', () => {
    expect(price(svc({ desired_count: 1 }), [td({})]).unpriced[0]!.reason).toContain('launch_type is not set');
    expect(price(svc({ desired_count: 1, launch_type: unknown('var.lt has no value') }), [td({})]).unpriced[0]!.reason).toBe('launch_type is unknown: var.lt has no value');
  });

  it('keeps a Fargate Spot share unpriced when the book has no Fargate Spot price', () => {
    const p = price(svc({ desired_count: 4, capacity_provider_strategy: [{ capacity_provider: 'FARGATE_SPOT', weight: 1 }] }), [td({})]);
    expect(p.costComponents[0]).toMatchObject({ name: 'vCPU (Fargate Spot, Linux/x86)', monthlyQuantity: 2920, monthlyCost: null });
    expect(p.unpriced[0]!.reason).toBe('no test price for fargate-spot:vcpu:x86 in us-east-1');
  });

  it('declares Windows tasks with their OS license, unpriced without those prices', () => {
    const p = price(svc({ launch_type: 'FARGATE', desired_count: 1 }), [td({ runtime_platform: [{ operating_system_family: 'WINDOWS_SERVER_2022_CORE' }] })]);
    expect(p.costComponents.map((c) => c.name)).toEqual(['vCPU (Fargate, Windows)', 'Memory (Fargate, Windows)', 'Windows OS license (Fargate)']);
    expect(p.unpriced.map((u) => u.reason)).toEqual([
      'no test price for fargate:windows:vcpu in us-east-1',
      'no test price for fargate:windows:memory in us-east-1',
      'no test price for fargate:windows:os-license in us-east-1',
    ]);
  });

  it('explains a missing or unreadable task definition', () => {
    expect(price(res('aws_ecs_service.s', { launch_type: 'FARGATE', desired_count: 1, task_definition: 'arn:aws:ecs:task-definition/x:1' })).unpriced[0]!.reason).toBe(
      'task definition arn:aws:ecs:task-definition/x:1 is not defined in this project',
    );
    const p = price(svc({ launch_type: 'FARGATE', desired_count: 1 }), [td({ cpu: null })]);
    expect(p.unpriced[0]!.reason).toBe('aws_ecs_task_definition.t: cpu is not set (Fargate bills the task-level size)');
    expect(p.costComponents[1]!.monthlyCost).toBe(6.4897);
  });

  it('takes min_capacity of an autoscaling target when desired_count is not set', () => {
    const target = res('aws_appautoscaling_target.s', { min_capacity: 3, resource_id: 'service/x/y' }, { resource_id: ['aws_ecs_service.s'] });
    const p = price(svc({ launch_type: 'FARGATE' }), [td({}), target]);
    expect(p.costComponents[0]).toMatchObject({ monthlyQuantity: 2190, assumption: expect.stringContaining('min_capacity of aws_appautoscaling_target.s') });
    expect(price(svc({ launch_type: 'FARGATE' }), [td({})]).monthlyCost).toBe(0);
  });
});

describe('aws_eks_fargate_profile', () => {
  const profile = res('aws_eks_fargate_profile.p', { selector: [{ namespace: 'ml' }] });

  it('depends on usage until pods are given', () => {
    const p = price(profile);
    expect(p.monthlyCost).toBeNull();
    expect(p.costComponents.map((c) => [c.usageBased, c.usageKey, c.unitPrice])).toEqual([[true, 'pods', 0.04048], [true, 'pods', 0.004445]]);
  });

  it('multiplies pods x size x hours, assuming all month when hours are not given', () => {
    const allMonth = price(profile, [], { pods: 2, vcpu_per_pod: 1, memory_gb_per_pod: 2 });
    expect(allMonth.monthlyCost).toBe(72.0802);
    expect(allMonth.costComponents[0]!.assumption).toContain('730 h');
    const part = price(profile, [], { pods: 2, vcpu_per_pod: 1, memory_gb_per_pod: 2, monthly_hours_per_pod: 100 });
    expect(part.costComponents.map((c) => c.monthlyQuantity)).toEqual([200, 400]);
    expect(part.costComponents[0]!.assumption).toBeUndefined();
  });
});

describe('aws_batch_compute_environment', () => {
  const ce = (cr: Record<string, Value>, attrs: Record<string, Value> = {}) => res('aws_batch_compute_environment.b', { type: 'MANAGED', compute_resources: [cr], ...attrs });

  it('bills nothing always-on when min_vcpus is 0 and prices jobs from usage', () => {
    const idle = price(ce({ type: 'SPOT', min_vcpus: 0, max_vcpus: 64, instance_type: ['g5.2xlarge'] }));
    expect(idle.monthlyCost).toBe(0);
    expect(idle.costComponents[0]).toMatchObject({ monthlyQuantity: 0, assumption: expect.stringContaining('jobs bill per use') });
    expect(idle.costComponents[1]).toMatchObject({ monthlyQuantity: null, usageKey: 'monthly_vcpu_hours' });
    const busy = price(ce({ type: 'SPOT', min_vcpus: 0, max_vcpus: 64, instance_type: ['g5.2xlarge'] }), [], { monthly_vcpu_hours: 80 });
    expect(busy.costComponents[1]).toMatchObject({ monthlyQuantity: 10, monthlyCost: 5.0904 });
    // Ceiling: max_vcpus 64 / 8 = 8 instances all month, job hours included once
    expect(idle.ceilingMonthlyCost).toBe(2972.7936);
    expect(busy.ceilingMonthlyCost).toBe(2972.7936);
  });

  it('keeps min_vcpus running on the smallest size of a family that covers it, or several of the largest', () => {
    expect(names(price(ce({ type: 'EC2', min_vcpus: 8, max_vcpus: 64, instance_type: ['optimal'] })))[0]).toEqual(['Baseline instances (Linux/UNIX, on-demand, m6i.2xlarge)', 730, 280.32]);
    // 300 vCPUs > 128 of m6i.32xlarge -> ceil(300 / 128) = 3 instances
    expect(names(price(ce({ type: 'EC2', min_vcpus: 300, max_vcpus: 512, instance_type: ['m6i'] })))[0]).toEqual(['Baseline instances (Linux/UNIX, on-demand, m6i.32xlarge)', 2190, 13455.36]);
  });

  it('does not invent a vCPU count it does not know', () => {
    const p = price(ce({ type: 'EC2', min_vcpus: 4, max_vcpus: 64, instance_type: ['x9.large'] }));
    expect(p.unpriced[0]).toEqual({ component: 'Baseline instances (Linux/UNIX, on-demand, x9.large)', reason: 'vCPU count of x9.large is not known' });
  });

  it('prices Fargate jobs from usage and leaves unmanaged environments to their instances', () => {
    const p = price(ce({ type: 'FARGATE_SPOT', max_vcpus: 16 }), [], { monthly_vcpu_hours: 10, monthly_gb_hours: 20 });
    expect(p.costComponents.map((c) => c.name)).toEqual(['vCPU (Fargate Spot, Linux/x86)', 'Memory (Fargate Spot, Linux/x86)']);
    expect(p.unpriced[0]!.reason).toBe('no test price for fargate-spot:vcpu:x86 in us-east-1');
    const f = price(ce({ type: 'FARGATE', max_vcpus: 16 }), [], { monthly_vcpu_hours: 10, monthly_gb_hours: 20 });
    expect(f.monthlyCost).toBe(0.4937);
    expect(price(res('aws_batch_compute_environment.b', { type: 'UNMANAGED' })).unpriced[0]!.reason).toContain('unmanaged');
  });
});

describe('aws_emr_cluster', () => {
  const cluster = (attrs: Record<string, Value>) => res('aws_emr_cluster.c', {
    master_instance_group: [{ instance_type: 'm5.large' }],
    core_instance_group: [{ instance_type: 'c5.2xlarge', instance_count: 2, ebs_config: [{ size: 100, type: 'gp3', volumes_per_instance: 2 }] }],
    ...attrs,
  });

  it('prices instance-hours and declares the EMR fee, unpriced without its price', () => {
    const p = price(cluster({}));
    expect(names(p)).toEqual([
      ['Master nodes (Linux/UNIX, on-demand, m5.large)', 730, 70.08],
      ['EMR fee (master, on-demand, m5.large)', 730, null],
      ['Core nodes (Linux/UNIX, on-demand, c5.2xlarge)', 1460, 496.4],
      ['EMR fee (core, on-demand, c5.2xlarge)', 1460, null],
    ]);
    expect(p.unpriced.map((u) => u.reason)).toEqual(['no test price for fee:m5.large in us-east-1', 'no test price for fee:c5.2xlarge in us-east-1']);
    // 2 nodes x 2 volumes x 100 GB x $0.08
    expect(p.subresources[0]).toMatchObject({ address: 'aws_emr_cluster.c.core_instance_group.ebs_config[0]', monthlyCost: 32 });
  });

  it('adds task groups that name the cluster, spot when they bid', () => {
    const task = res('aws_emr_instance_group.t', { cluster_id: unknown('computed'), name: 'spot', instance_type: 'm5.large', instance_count: 3, bid_price: '0.05' }, { cluster_id: ['aws_emr_cluster.c'] });
    const p = price(cluster({}), [task]);
    expect(names(p).slice(4)).toEqual([
      ['Task nodes [spot] (Linux/UNIX, spot, m5.large)', 2190, 71.4816],
      ['EMR fee (task spot, spot, m5.large)', 2190, null],
    ]);
    expect(freeReason('aws_emr_instance_group')).toBe('billed through its EMR cluster');
  });

  it('runs transient clusters for the hours given in usage, and depends on usage without them', () => {
    const transient = cluster({ keep_job_flow_alive_when_no_steps: false });
    const none = price(transient);
    expect(none.monthlyCost).toBeNull();
    expect(none.costComponents[0]).toMatchObject({ monthlyQuantity: null, usageBased: true, usageKey: 'monthly_hours' });
    const some = price(transient, [], { monthly_hours: 73 });
    expect(some.costComponents[0]!.monthlyQuantity).toBe(73);
    // EBS for a tenth of the month: 400 GB x 0.1 x $0.08
    expect(some.subresources[0]!.monthlyCost).toBe(3.2);
  });

  it('labels all-month hours of an auto-terminating cluster as assumed', () => {
    expect(price(cluster({ auto_termination_policy: [{ idle_timeout: 3600 }] })).costComponents[0]!.assumption).toContain('auto_termination_policy');
  });

  it('turns fleet capacity units into instances of the first listed type', () => {
    const p = price(res('aws_emr_cluster.c', {
      master_instance_fleet: [{ target_on_demand_capacity: 1, instance_type_configs: [{ instance_type: 'm5.large' }] }],
      core_instance_fleet: [{ target_spot_capacity: 8, instance_type_configs: [{ instance_type: 'c5.2xlarge', weighted_capacity: 4 }, { instance_type: 'c5.4xlarge', weighted_capacity: 8 }] }],
    }));
    expect(names(p)[2]).toEqual(['Core nodes (Linux/UNIX, spot, c5.2xlarge)', 1460, 218.416]);
    expect(p.costComponents[2]!.assumption).toContain('c5.2xlarge (listed first) assumed');
  });
});

describe('aws_spot_instance_request', () => {
  it('prices the spot estimate and the volumes like an instance', () => {
    const p = price(res('aws_spot_instance_request.s', { instance_type: 'm5.large', spot_price: '0.05', root_block_device: [{ volume_type: 'gp3', volume_size: 20 }] }));
    expect(names(p)).toEqual([['Instance usage (Linux/UNIX, spot, m5.large)', 730, 23.8272]]);
    expect(p.subresources[0]!.monthlyCost).toBe(1.6);
    expect(p.details).toEqual({ maxSpotPrice: '0.05', spotType: 'persistent' });
  });

  it('leaves an unknown region unpriced', () => {
    const p = price(res('aws_spot_instance_request.s', { instance_type: 'm5.large' }, undefined, null));
    expect(p.monthlyCost).toBeNull();
    expect(p.unpriced[0]!.reason).toBe('region is unknown');
  });
});

describe('aws_spot_fleet_request', () => {
  it('turns capacity in vCPUs into instances with the instance type size', () => {
    const p = price(res('aws_spot_fleet_request.f', { target_capacity: 20, target_capacity_unit_type: 'vcpu', launch_specification: [{ instance_type: 'c5.2xlarge' }] }));
    // ceil(20 / 8) = 3 instances
    expect(names(p)).toEqual([['Instance usage (Linux/UNIX, spot, c5.2xlarge)', 2190, 327.624]]);
    expect(p.subresources[0]!.costComponents[0]).toMatchObject({ monthlyQuantity: 24, assumption: expect.stringContaining('8 GB gp2 assumed') });
  });

  it('says why capacity cannot be counted', () => {
    const p = price(res('aws_spot_fleet_request.f', { target_capacity: 20, target_capacity_unit_type: 'vcpu', launch_specification: [{ instance_type: 'x9.large' }] }));
    expect(p.unpriced[0]!.reason).toBe('capacity is in vcpu and the size of x9.large is not known');
    expect(p.subresources).toEqual([]);
  });

  it('reads the instance type of a launch template config', () => {
    const lt = res('aws_launch_template.t', { instance_type: 'm5.large' });
    const p = price(res('aws_spot_fleet_request.f', { target_capacity: 2, on_demand_target_capacity: 1, launch_template_config: [{ launch_template_specification: [{ id: unknown('computed') }] }] }, { 'launch_template_config.0.launch_template_specification.0.id': ['aws_launch_template.t'] }), [lt]);
    expect(names(p)).toEqual([
      ['Instance usage (Linux/UNIX, spot, m5.large)', 730, 23.8272],
      ['Instance usage (Linux/UNIX, on-demand, m5.large)', 730, 70.08],
    ]);
  });
});

describe('aws_lambda_function', () => {
  it('shows unit prices that depend on usage and labels the default memory size', () => {
    const p = price(res('aws_lambda_function.f', { function_name: 'f' }));
    expect(p.monthlyCost).toBeNull();
    expect(p.unpriced).toEqual([]);
    expect(p.costComponents[1]).toMatchObject({ name: 'Duration (x86)', unitPrice: 0.0000166667, monthlyQuantity: null, usageKey: 'monthly_requests', assumption: expect.stringContaining('128 MB assumed') });
  });

  it('leaves GB-second lines unpriced when memory_size cannot be read', () => {
    const p = price(res('aws_lambda_function.f', { memory_size: unknown('var.memory has no value') }), [], { monthly_requests: 10, request_duration_ms: 10 });
    expect(p.costComponents[0]!.monthlyCost).toBe(0.000002);
    expect(p.unpriced).toEqual([{ component: 'Duration (x86)', reason: 'memory_size is unknown: var.memory has no value' }]);
  });

  it('bills duration rounded up to the millisecond, in GB-seconds, by tier', () => {
    const p = price(res('aws_lambda_function.f', { memory_size: 10240 }), [], { monthly_requests: 300000000, request_duration_ms: 2499.2 });
    // 300M x 2.5 s x 10 GB = 7.5e9 GB-s: 6e9 x 0.0000166667 + 1.5e9 x 0.000015
    expect(p.costComponents[1]).toMatchObject({ monthlyQuantity: 7.5e9, monthlyCost: 122500.2 });
  });

  it('uses Arm prices and declares ephemeral storage above 512 MB', () => {
    const p = price(res('aws_lambda_function.f', { memory_size: 1024, architectures: ['arm64'], ephemeral_storage: [{ size: 1536 }] }), [], { monthly_requests: 1000, request_duration_ms: 1000 });
    expect(names(p)).toEqual([
      ['Requests', 1000, 0.0002],
      ['Duration (Arm)', 1000, 0.013333],
      ['Ephemeral storage above 512 MB (Arm)', 1000, null],
    ]);
    expect(p.unpriced[0]!.reason).toBe('no test price for ephemeral-storage:arm in us-east-1');
  });

  it('adds provisioned concurrency from its configs, assuming on-demand duration until told otherwise', () => {
    const fn = res('aws_lambda_function.f', { function_name: 'f', memory_size: 2048 });
    const pc = res('aws_lambda_provisioned_concurrency_config.p', { function_name: unknown('computed'), provisioned_concurrent_executions: 5 }, { function_name: ['aws_lambda_function.f'] });
    const p = price(fn, [pc], { monthly_requests: 1000000, request_duration_ms: 100 });
    // 5 x 2 GB x 730 h x 3,600 s = 26,280,000 GB-s x $0.0000041667
    expect(p.costComponents[2]).toMatchObject({ name: 'Provisioned concurrency (x86)', monthlyQuantity: 26280000, monthlyCost: 109.500876 });
    expect(p.costComponents[1]!.assumption).toContain('all requests assumed served on demand');
    expect(p.costComponents[3]).toMatchObject({ monthlyQuantity: null, usageKey: 'monthly_provisioned_requests' });
    const split = price(fn, [pc], { monthly_requests: 1000000, request_duration_ms: 100, monthly_provisioned_requests: 600000 });
    expect(split.costComponents.map((c) => c.monthlyQuantity)).toEqual([1000000, 80000, 26280000, 120000]);
    expect(p.details).toMatchObject({ provisionedConcurrency: 5, memoryMb: 2048 });
    expect(freeReason('aws_lambda_provisioned_concurrency_config')).toBe('billed through its Lambda function');
  });
});
