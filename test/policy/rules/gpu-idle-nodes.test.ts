import { describe, expect, it } from '@jest/globals';
import { check, tf } from './helpers.js';

const group = (opts: { type?: string; min?: number; env?: string; above?: string } = {}) =>
  `${opts.above ?? ''}resource "aws_eks_node_group" "gpu" {\n  cluster_name   = "c"\n  node_role_arn  = "arn"\n  subnet_ids     = ["s"]\n  instance_types = ["${opts.type ?? 'g5.2xlarge'}"]\n` +
  `  tags = {\n    environment = "${opts.env ?? 'dev'}"\n  }\n  scaling_config {\n    desired_size = 2\n    min_size     = ${opts.min ?? 2}\n    max_size     = 4\n  }\n}`;

describe('gpu-idle-nodes', () => {
  it('fires on a GPU node group with a minimum above 0 outside production, pricing the always-on nodes', () => {
    const { findings } = check('gpu-idle-nodes', { head: tf(group()) });
    // min 2 x 730 h x $1.212.
    expect(findings.map((f) => [f.address, f.severity, f.monthlySavings, f.line])).toEqual([['aws_eks_node_group.gpu', 'warning', 1769.52, 15]]);
    expect(findings[0]?.message).toContain('in environment `dev`');
  });

  it('does not fire in production, at min 0, for CPU nodes, or where the environment is unknown', () => {
    expect(check('gpu-idle-nodes', { head: tf(group({ env: 'prod' })) }).findings).toEqual([]);
    expect(check('gpu-idle-nodes', { head: tf(group({ min: 0 })) }).findings).toEqual([]);
    expect(check('gpu-idle-nodes', { head: tf(group({ type: 'm6i.xlarge' })) }).findings).toEqual([]);
    const untagged = (tf(group())['infra/main.tf'] as string).replace('  tags = {\n    environment = "dev"\n  }\n', '');
    expect(check('gpu-idle-nodes', { head: { 'infra/main.tf': untagged } }).findings).toEqual([]);
  });

  it('takes environments from path globs in the config', () => {
    const head = { 'infra/staging/main.tf': tf(group({ env: 'x' }))['infra/main.tf'] as string };
    const none = check('gpu-idle-nodes', { head, path: 'infra/staging' });
    expect(none.findings).toHaveLength(1); // tag environment = "x" is not a production name
    const prod = check('gpu-idle-nodes', { head, path: 'infra/staging', config: { environments: { production: { paths: ['infra/staging/**'] } } } });
    expect(prod.findings).toEqual([]);
  });

  it('is ignored with a reason', () => {
    const { findings, ignored } = check('gpu-idle-nodes', { head: tf(group({ above: '# mlcost:ignore gpu-idle-nodes warm pool for the demo week\n' })) });
    expect(findings).toEqual([]);
    expect(ignored.map((f) => f.monthlySavings)).toEqual([1769.52]);
  });
});
