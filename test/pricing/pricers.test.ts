/** Pricers against a small fake price book: what is billed, in what quantity, and what stays unpriced. */
import { describe, expect, it } from '@jest/globals';
import { priceResource, tieredCost } from '../../src/pricing/cost.js';
import { pricerFor } from '../../src/pricing/index.js';
import type { Resource, Value } from '../../src/core/types.js';
import { unknown } from '../../src/core/types.js';
import { fakeBook } from '../helpers/fake-book.js';

const book = fakeBook({
  'AmazonEC2/us-east-1/instance:m5.large': { usd: 0.096, sourceDate: '2026-07-20' },
  'AmazonEC2/us-east-1/spot:m5.large': { usd: 0.03264, sourceDate: '2025-06-28' },
  'AmazonEC2/us-east-1/instance:g5.2xlarge': 1.212,
  'AmazonEC2/us-east-1/ebs:gp3:storage': { usd: 0.08, sourceDate: '2025-10-28' },
  'AmazonEC2/us-east-1/ebs:gp2:storage': 0.1,
  'AmazonEC2/us-east-1/ebs:gp3:iops': 0.005,
  'AmazonEC2/us-east-1/ebs:gp3:throughput': 0.04,
  'AmazonEC2/us-east-1/ebs:io2:iops': { usd: 0.065, tiers: [{ upTo: 32000, usd: 0.065 }, { upTo: 64000, usd: 0.0455 }, { upTo: null, usd: 0.03185 }] },
  'AmazonEC2/us-east-1/ebs:io2:storage': 0.125,
  'AmazonEKS/us-east-1/cluster:standard': 0.1,
  'AmazonEC2/us-east-1/nat-gateway:hour': 0.045,
  'AmazonEC2/us-east-1/nat-gateway:gb': 0.045,
  'AmazonS3/us-east-1/storage:STANDARD': { usd: 0.023, tiers: [{ upTo: 51200, usd: 0.023 }, { upTo: 512000, usd: 0.022 }, { upTo: null, usd: 0.021 }] },
  'AmazonS3/us-east-1/requests:STANDARD:tier1': 0.000005,
  'AmazonS3/us-east-1/requests:STANDARD:tier2': 0.0000004,
  'AmazonSageMaker/us-east-1/hosting:ml.g5.xlarge': 1.408,
});

function resource(type: string, attributes: Record<string, Value>, region: string | null = 'us-east-1'): Resource {
  return { address: `${type}.test`, type, file: 'main.tf', line: 1, region, attributes };
}

function price(r: Resource, usage: Record<string, unknown> = {}) {
  const pricer = pricerFor(r.type);
  if (!pricer) throw new Error(`no pricer for ${r.type}`);
  return priceResource(r, pricer, { book, usageFor: () => usage });
}

describe('aws_instance', () => {
  it('prices m5.large with a 50 GB gp3 root volume at 730 x 0.096 + 50 x 0.08 = 74.08', () => {
    const p = price(resource('aws_instance', { instance_type: 'm5.large', root_block_device: [{ volume_type: 'gp3', volume_size: 50 }] }));
    expect(p.monthlyCost).toBe(74.08);
    expect(p.costComponents[0]).toMatchObject({ monthlyQuantity: 730, unitPrice: 0.096, monthlyCost: 70.08, priceSource: { source: 'test', date: '2026-07-20' } });
    expect(p.subresources[0]).toMatchObject({ address: 'aws_instance.test.root_block_device', monthlyCost: 4 });
    expect(p.unpriced).toEqual([]);
  });

  it('uses the spot estimate when instance_market_options asks for spot', () => {
    const p = price(resource('aws_instance', { instance_type: 'm5.large', instance_market_options: [{ market_type: 'spot' }], root_block_device: [{ volume_type: 'gp3', volume_size: 8 }] }));
    expect(p.costComponents[0]).toMatchObject({ name: 'Instance usage (Linux/UNIX, spot, m5.large)', unitPrice: 0.03264 });
  });

  it('labels an assumed root volume', () => {
    const p = price(resource('aws_instance', { instance_type: 'm5.large' }));
    expect(p.subresources[0]!.costComponents[0]).toMatchObject({ name: 'Storage (gp2)', monthlyQuantity: 8, monthlyCost: 0.8, assumption: expect.stringContaining('8 GB gp2 assumed') });
  });

  it('leaves an unknown instance type unpriced with the reason, never $0', () => {
    const p = price(resource('aws_instance', { instance_type: 'm9.huge', root_block_device: [{ volume_type: 'gp3', volume_size: 10 }] }));
    expect(p.costComponents[0]).toMatchObject({ unitPrice: null, monthlyCost: null });
    expect(p.unpriced).toEqual([{ component: 'Instance usage (Linux/UNIX, on-demand, m9.huge)', reason: 'no test price for instance:m9.huge in us-east-1' }]);
    expect(p.monthlyCost).toBe(0.8);
  });

  it('explains an instance type that depends on a variable without a value', () => {
    const p = price(resource('aws_instance', { instance_type: unknown('variable "type" has no value') }));
    expect(p.unpriced[0]).toEqual({ component: 'Instance usage (Linux/UNIX, on-demand, unknown type)', reason: 'instance_type is unknown: variable "type" has no value' });
  });

  it('is null when nothing of it can be priced', () => {
    expect(price(resource('aws_instance', { instance_type: 'm5.large' }, 'ap-nowhere-1')).monthlyCost).toBeNull();
  });
});

describe('aws_ebs_volume', () => {
  it('charges gp3 IOPS above 3,000 and throughput above 125 MiB/s', () => {
    const p = price(resource('aws_ebs_volume', { type: 'gp3', size: 100, iops: 4000, throughput: 250 }));
    expect(p.costComponents.map((c) => [c.name, c.monthlyQuantity, c.monthlyCost])).toEqual([
      ['Storage (gp3)', 100, 8],
      ['Provisioned IOPS (above 3,000)', 1000, 5],
      ['Provisioned throughput (above 125 MiB/s)', 125, 5],
    ]);
  });

  it('prices io2 IOPS by tier', () => {
    const p = price(resource('aws_ebs_volume', { type: 'io2', size: 10, iops: 40000 }));
    // 32,000 x 0.065 + 8,000 x 0.0455 = 2,080 + 364
    expect(p.costComponents[1]!.monthlyCost).toBe(2444);
    expect(tieredCost(70000, { usd: 0, unit: 'IOPS', sourceDate: 'x', source: 'x', tiers: [{ upTo: 32000, usd: 0.065 }, { upTo: 64000, usd: 0.0455 }, { upTo: null, usd: 0.03185 }] })).toBeCloseTo(2080 + 1456 + 191.1, 6);
  });

  it('leaves a volume with no size unpriced', () => {
    const p = price(resource('aws_ebs_volume', { type: 'gp3', snapshot_id: 'snap-1' }));
    expect(p.unpriced).toEqual([{ component: 'Storage (gp3)', reason: 'size comes from the snapshot (not known statically)' }]);
    expect(p.monthlyCost).toBeNull();
  });
});

describe('aws_eks_node_group', () => {
  it('prices desired_size x instance type plus node disks', () => {
    const p = price(resource('aws_eks_node_group', { instance_types: ['g5.2xlarge'], disk_size: 200, scaling_config: [{ desired_size: 2, min_size: 0, max_size: 6 }] }));
    expect(p.costComponents[0]).toMatchObject({ monthlyQuantity: 1460, unitPrice: 1.212 });
    expect(p.subresources[0]!.costComponents[0]).toMatchObject({ monthlyQuantity: 400, unitPrice: 0.1, monthlyCost: 40 });
    expect(p.monthlyCost).toBe(roundCents(1460 * 1.212 + 40));
    // At max_size (6 nodes): 6 x 730 h x 1.212 + 6 x 200 GB x 0.10.
    expect(p.ceilingMonthlyCost).toBe(roundCents(6 * 730 * 1.212 + 120));
    expect(p.details).toMatchObject({ instanceType: 'g5.2xlarge', nodes: 2, minSize: 0, maxSize: 6, capacity: 'on-demand' });
  });

  it('has no ceiling when it cannot scale past its desired size', () => {
    const p = price(resource('aws_eks_node_group', { instance_types: ['g5.2xlarge'], scaling_config: [{ desired_size: 2, min_size: 2, max_size: 2 }] }));
    expect(p.ceilingMonthlyCost).toBeUndefined();
  });

  it('prices SPOT capacity at the spot estimate', () => {
    const p = price(resource('aws_eks_node_group', { instance_types: ['m5.large'], capacity_type: 'SPOT', scaling_config: [{ desired_size: 1 }] }));
    expect(p.costComponents[0]).toMatchObject({ unitPrice: 0.03264, name: expect.stringContaining('spot') });
  });

  it('says the instance type comes from a launch template it cannot read yet', () => {
    const p = price(resource('aws_eks_node_group', { launch_template: [{ id: 'lt-1' }], scaling_config: [{ desired_size: 1 }] }));
    expect(p.unpriced[0]!.reason).toContain('launch template');
    expect(p.subresources).toEqual([]);
  });
});

describe('usage-based resources', () => {
  it('shows S3 unit prices as depending on usage until usage is given', () => {
    const p = price(resource('aws_s3_bucket', {}));
    expect(p.monthlyCost).toBeNull();
    expect(p.unpriced).toEqual([]);
    expect(p.costComponents[0]).toMatchObject({ name: 'Storage (Standard)', unitPrice: 0.023, monthlyQuantity: null, monthlyCost: null, usageBased: true, usageKey: 'standard.storage_gb' });
  });

  it('prices S3 storage by tier and requests from usage', () => {
    const p = price(resource('aws_s3_bucket', {}), { standard: { storage_gb: 60000, monthly_tier_1_requests: 1000000, monthly_tier_2_requests: 10000000 } });
    // 51,200 x 0.023 + 8,800 x 0.022 = 1,177.6 + 193.6; requests 5 + 4
    expect(p.costComponents.map((c) => c.monthlyCost)).toEqual([1371.2, 5, 4]);
  });

  it('prices NAT gateway hours always and data from usage', () => {
    const none = price(resource('aws_nat_gateway', {}));
    expect(none.monthlyCost).toBeCloseTo(32.85, 6);
    expect(none.costComponents[1]).toMatchObject({ monthlyCost: null, usageKey: 'monthly_data_processed_gb' });
    const some = price(resource('aws_nat_gateway', {}), { monthly_data_processed_gb: 1000 });
    expect(some.monthlyCost).toBeCloseTo(32.85 + 45, 6);
  });
});

describe('other pricers', () => {
  it('prices the EKS control plane', () => {
    expect(price(resource('aws_eks_cluster', { name: 'x' })).monthlyCost).toBe(73);
  });

  it('prices SageMaker production variants at hosting prices and reports missing ones', () => {
    const p = price(resource('aws_sagemaker_endpoint_configuration', {
      production_variants: [
        { variant_name: 'a', instance_type: 'ml.g5.xlarge', initial_instance_count: 2 },
        { variant_name: 'b', instance_type: 'ml.inf1.xlarge' },
        { variant_name: 'c', serverless_config: [{ memory_size_in_mb: 2048 }] },
      ],
    }));
    expect(p.costComponents[0]).toMatchObject({ monthlyQuantity: 1460, unitPrice: 1.408 });
    expect(p.unpriced.map((u) => u.reason)).toEqual([
      'no test price for hosting:ml.inf1.xlarge in us-east-1',
      'no test price for serverless:compute in us-east-1',
      'no test price for serverless:data in us-east-1',
    ]);
  });
});

function roundCents(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
