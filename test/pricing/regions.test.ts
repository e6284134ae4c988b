/** Resources are priced in their provider's region, never silently at us-east-1. */
import { describe, expect, it } from '@jest/globals';
import { breakdown } from '../../src/core/run.js';
import { loadEmbeddedPriceBook } from '../../src/adapters/snapshot-file.js';

const book = loadEmbeddedPriceBook();

function price(region: string) {
  const files = { 'main.tf': `provider "aws" {\n  region = "${region}"\n}\nresource "aws_instance" "a" {\n  instance_type = "m5.large"\n  root_block_device {\n    volume_type = "gp3"\n    volume_size = 50\n  }\n}\n` };
  return breakdown([{ name: 'p', path: '.', kind: 'terraform', files }], book).projects[0]!.resources[0]!;
}

describe('regions', () => {
  it('uses the region of the provider', () => {
    const east = price('us-east-1');
    const ireland = price('eu-west-1');
    expect(east.region).toBe('us-east-1');
    expect(ireland.region).toBe('eu-west-1');
    // eu-west-1 m5.large and gp3 cost more than us-east-1 (2025-06 / 2025-10 price data).
    expect(ireland.monthlyCost!).toBeGreaterThan(east.monthlyCost!);
    expect(ireland.costComponents[0]!.unitPrice).toBe(0.107);
  });

  it('leaves a region the snapshot lacks unpriced, with the reason', () => {
    const r = price('cn-north-1');
    expect(r.monthlyCost).toBeNull();
    expect(r.unpriced).toEqual([
      { component: 'Instance usage (Linux/UNIX, on-demand, m5.large)', reason: 'region cn-north-1 not in the snapshot' },
      { component: 'root_block_device: Storage (gp3)', reason: 'region cn-north-1 not in the snapshot' },
    ]);
  });
});
