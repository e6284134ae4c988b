import { describe, expect, it } from '@jest/globals';
import { check, tf } from './helpers.js';

const volume = (type: string | null, size = 500, above = '') =>
  `${above}resource "aws_ebs_volume" "cache" {\n  availability_zone = "us-east-1a"\n  size              = ${size}\n${type ? `  type              = "${type}"\n` : ''}}`;

describe('gp2-volumes', () => {
  it('fires on a gp2 volume with the gp3 saving at the same baseline, priced from the book', () => {
    const { findings } = check('gp2-volumes', { head: tf(volume('gp2')) });
    expect(findings).toHaveLength(1);
    const [f] = findings;
    // 500 GB: gp2 500 x $0.10 = $50; gp3 500 x $0.08 = $40 + (250 - 125) MiB/s x $0.04 = $5 -> $45.
    expect(f).toMatchObject({ rule: 'gp2-volumes', severity: 'warning', address: 'aws_ebs_volume.cache', file: 'infra/main.tf', line: 8, monthlySavings: 5 });
    expect(f?.message).toContain('1,500 IOPS, 250 MiB/s');
    expect(f?.message).toContain('$50.00 → $45.00 / month');
  });

  it('counts the provider default (gp2) when type is not set, and says so', () => {
    const { findings } = check('gp2-volumes', { head: tf(volume(null, 100)) });
    // 100 GB: $10.00 gp2 vs $8.00 gp3 (IOPS 300 < 3,000 included; 125 MiB/s included).
    expect(findings[0]?.monthlySavings).toBe(2);
    expect(findings[0]?.message).toContain('type not set: the AWS provider creates gp2');
  });

  it('fires on explicit gp2 block devices, not on root volumes whose type the AMI decides', () => {
    const instance = (root: string) => `resource "aws_instance" "a" {\n  ami           = "ami-1"\n  instance_type = "m5.large"\n${root}}`;
    const explicit = check('gp2-volumes', { head: tf(instance('  root_block_device {\n    volume_type = "gp2"\n    volume_size = 100\n  }\n')) });
    expect(explicit.findings.map((f) => f.address)).toEqual(['aws_instance.a.root_block_device']);
    expect(check('gp2-volumes', { head: tf(instance('')) }).findings).toEqual([]);
  });

  it('multiplies launch template volumes by the node group size', () => {
    const head = tf(
      'resource "aws_launch_template" "gpu" {\n  block_device_mappings {\n    device_name = "/dev/xvda"\n    ebs {\n      volume_type = "gp2"\n      volume_size = 200\n    }\n  }\n}',
      'resource "aws_eks_node_group" "g" {\n  cluster_name  = "c"\n  node_role_arn = "arn"\n  subnet_ids    = ["s"]\n  instance_types = ["m5.large"]\n  launch_template {\n    id      = aws_launch_template.gpu.id\n    version = "1"\n  }\n  scaling_config {\n    desired_size = 3\n    min_size     = 1\n    max_size     = 5\n  }\n}',
    );
    const { findings } = check('gp2-volumes', { head });
    // 200 GB x 3 nodes: gp2 $20 each; gp3 $16 + (150 - 125) MiB/s x $0.04 = $17 (gp2 sustains 3 x 200 / 4 = 150 MiB/s) -> $3 x 3.
    expect(findings.map((f) => [f.address, f.monthlySavings])).toEqual([['aws_eks_node_group.g.block_device_mappings[0]', 9]]);
    expect(findings[0]?.message).toContain('200 GB gp2 volume × 3');
    const big = check('gp2-volumes', { head: { 'infra/main.tf': head['infra/main.tf']!.replace('volume_size = 200', 'volume_size = 1000') } });
    // 1,000 GB x 3 nodes: gp2 $100 each; gp3 $80 + $5 throughput = $85 -> $15 x 3 = $45.
    expect(big.findings.map((f) => [f.address, f.monthlySavings])).toEqual([['aws_eks_node_group.g.block_device_mappings[0]', 45]]);
  });

  it('does not fire on gp3', () => {
    expect(check('gp2-volumes', { head: tf(volume('gp3')) }).findings).toEqual([]);
  });

  it('is ignored with a reason, and listed as ignored', () => {
    const { findings, ignored } = check('gp2-volumes', { head: tf(volume('gp2', 500, '# mlcost:ignore gp2-volumes legacy AMI tooling needs gp2 until Q3\n')) });
    expect(findings).toEqual([]);
    expect(ignored).toEqual([
      expect.objectContaining({ rule: 'gp2-volumes', address: 'aws_ebs_volume.cache', reason: 'legacy AMI tooling needs gp2 until Q3', ignoredAt: { file: 'infra/main.tf', line: 5 }, monthlySavings: 5 }),
    ]);
  });

  it('an ignore without a reason silences nothing and is a warning itself', () => {
    const { diff } = check('*', { head: tf(volume('gp2', 500, '# mlcost:ignore gp2-volumes\n')) });
    expect(diff.policy.findings.map((f) => [f.rule, f.severity, f.line])).toEqual([
      ['gp2-volumes', 'warning', 9],
      ['mlcost-ignore', 'warning', 5],
    ]);
    expect(diff.policy.findings[1]?.message).toContain('gives no reason');
  });
});
