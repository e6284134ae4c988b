import { describe, expect, it } from '@jest/globals';
import type { Breakdown, ProjectBreakdown, Resource } from '../../../src/core/types.js';
import { evaluateGuardrails } from '../../../src/policy/guardrails.js';
import { book, check, tf } from './helpers.js';

function pytorchJob(opts: { capacity: 'spot' | 'on-demand'; env?: string; above?: string }): Record<string, string> {
  return {
    'k8s/train.yaml': [
      ...(opts.above ? [opts.above] : []),
      'apiVersion: kubeflow.org/v1',
      'kind: PyTorchJob',
      'metadata: { name: bert, namespace: ml }',
      'spec:',
      '  pytorchReplicaSpecs:',
      '    Worker:',
      '      replicas: 2',
      '      template:',
      '        spec:',
      `          nodeSelector: { node.kubernetes.io/instance-type: g5.2xlarge, karpenter.sh/capacity-type: ${opts.capacity} }`,
      '          containers:',
      '            - name: t',
      '              image: t',
      ...(opts.env ? ['              env:', `                - { name: OUT, value: "${opts.env}" }`] : []),
      '              resources: { requests: { cpu: "7", memory: 28Gi, nvidia.com/gpu: 1 } }',
      '',
    ].join('\n'),
  };
}

const batch = (type: string) =>
  `resource "aws_batch_compute_environment" "jobs" {\n  type = "MANAGED"\n  compute_resources {\n    type          = "${type}"\n    max_vcpus     = 64\n    instance_type = ["g5.2xlarge"]\n    subnets = ["s"]\n    security_group_ids = ["g"]\n  }\n}`;

describe('spot-checkpointing', () => {
  it('fires on a training job on spot nodes whose spec names no checkpoint', () => {
    const { findings } = check('spot-checkpointing', { head: pytorchJob({ capacity: 'spot' }), kind: 'kubernetes', path: 'k8s' });
    expect(findings.map((f) => [f.address, f.severity])).toEqual([['kubernetes_pytorch_job.ml["bert"]', 'warning']]);
    expect(findings[0]?.message).toContain('names no checkpoint');
  });

  it('does not fire when the spec names a checkpoint location, nor on on-demand nodes', () => {
    expect(check('spot-checkpointing', { head: pytorchJob({ capacity: 'spot', env: 's3://ml/checkpoints/bert' }), kind: 'kubernetes', path: 'k8s' }).findings).toEqual([]);
    expect(check('spot-checkpointing', { head: pytorchJob({ capacity: 'on-demand' }), kind: 'kubernetes', path: 'k8s' }).findings).toEqual([]);
  });

  it('fires on Batch job definitions without retries next to a spot compute environment', () => {
    const jobDef = (retry: string) => `resource "aws_batch_job_definition" "train" {\n  name = "train"\n  type = "container"\n${retry}  container_properties = "{}"\n}`;
    const none = check('spot-checkpointing', { head: tf(batch('SPOT'), jobDef('')) });
    expect(none.findings.map((f) => f.address)).toEqual(['aws_batch_job_definition.train']);
    expect(none.findings[0]?.message).toContain('no retry_strategy');
    expect(check('spot-checkpointing', { head: tf(batch('SPOT'), jobDef('  retry_strategy {\n    attempts = 3\n  }\n')) }).findings).toEqual([]);
    expect(check('spot-checkpointing', { head: tf(batch('EC2'), jobDef('')) }).findings).toEqual([]);
  });

  it('is ignored with a reason (a comment above the manifest)', () => {
    const { findings, ignored } = check('spot-checkpointing', {
      head: pytorchJob({ capacity: 'spot', above: '# mlcost:ignore spot-checkpointing the trainer checkpoints through its own callback' }),
      kind: 'kubernetes',
      path: 'k8s',
    });
    expect(findings).toEqual([]);
    expect(ignored.map((f) => [f.reason, f.ignoredAt])).toEqual([['the trainer checkpoints through its own callback', { file: 'k8s/train.yaml', line: 1 }]]);
  });
});

describe('spot-checkpointing: SageMaker training jobs', () => {
  function run(attributes: Resource['attributes']) {
    const resource: Resource = { address: 'aws_sagemaker_training_job.t', type: 'aws_sagemaker_training_job', file: 'ml/train.tf', line: 1, region: 'us-east-1', attributes };
    const project: ProjectBreakdown = { name: 'ml', path: 'ml', kind: 'terraform', totalMonthlyCost: 0, resources: [], unsupported: [], errors: [] };
    const b = (projects: ProjectBreakdown[]): Breakdown => ({ version: 1, currency: 'USD', prices: { source: 'embedded', capturedAt: '2026-01-01' }, totalMonthlyCost: 0, projects });
    return evaluateGuardrails({ base: b([]), head: b([project]), resources: (p) => (p === project ? [resource] : []), book: () => book }).findings.filter((f) => f.rule === 'spot-checkpointing');
  }

  it('fires on managed spot without checkpoint_config, not with it, nor without spot', () => {
    expect(run({ enable_managed_spot_training: true }).map((f) => f.address)).toEqual(['aws_sagemaker_training_job.t']);
    expect(run({ enable_managed_spot_training: true, checkpoint_config: [{ s3_uri: 's3://ml/ckpt' }] })).toEqual([]);
    expect(run({ enable_managed_spot_training: false })).toEqual([]);
  });
});

