import { describe, expect, it } from '@jest/globals';
import type { Breakdown, ProjectBreakdown, Resource } from '../../../src/core/types.js';
import { evaluateGuardrails } from '../../../src/policy/guardrails.js';
import { book, check, tf } from './helpers.js';

const nodeGroup = (opts: { capacity?: string; labels?: string; above?: string; desired?: number } = {}) =>
  `${opts.above ?? ''}resource "aws_eks_node_group" "train" {\n  cluster_name   = "c"\n  node_role_arn  = "arn"\n  subnet_ids     = ["s"]\n  instance_types = ["g5.2xlarge"]\n` +
  `${opts.capacity ? `  capacity_type  = "${opts.capacity}"\n` : ''}${opts.labels ?? '  labels = {\n    workload = "training"\n  }\n'}` +
  `  scaling_config {\n    desired_size = ${opts.desired ?? 2}\n    min_size     = 0\n    max_size     = 6\n  }\n}`;

describe('spot-for-training', () => {
  it('fires on a node group labelled for training on on-demand, with the spot saving from the book', () => {
    const { findings } = check('spot-for-training', { head: tf(nodeGroup({ capacity: 'ON_DEMAND' })) });
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    // 2 x 730 h: on-demand $1.212/h = $1,769.52; spot estimate $0.50904/h = $743.1984 -> $1,026.3216.
    expect(f).toMatchObject({ rule: 'spot-for-training', severity: 'warning', address: 'aws_eks_node_group.train', line: 10, monthlySavings: 1026.3216 });
    expect(f.message).toContain('labelled `workload=training`');
    expect(f.message).toContain('spot estimate from the AWS Spot Instance Advisor, not a market price');
    expect(f.message).toContain('15-20%');
  });

  it('does not fire on spot, nor on a node group that is not labelled for training', () => {
    expect(check('spot-for-training', { head: tf(nodeGroup({ capacity: 'SPOT' })) }).findings).toEqual([]);
    expect(check('spot-for-training', { head: tf(nodeGroup({ labels: '  labels = {\n    workload = "serving"\n  }\n' })) }).findings).toEqual([]);
  });

  it('takes its labels and severity from the config', () => {
    const head = tf(nodeGroup({ labels: '  labels = {\n    team = "research"\n  }\n' }));
    const { findings } = check('spot-for-training', { head, config: { rules: { 'spot-for-training': { severity: 'error', trainingLabels: ['team=research'] } } } });
    expect(findings.map((f) => f.severity)).toEqual(['error']);
  });

  it('fires on a Batch EC2 compute environment, the hours depending on usage', () => {
    const batch = 'resource "aws_batch_compute_environment" "jobs" {\n  type = "MANAGED"\n  compute_resources {\n    type          = "EC2"\n    min_vcpus     = 0\n    max_vcpus     = 64\n    instance_type = ["g5.2xlarge"]\n    subnets = ["s"]\n    security_group_ids = ["g"]\n  }\n}';
    const { findings } = check('spot-for-training', { head: tf(batch) });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.monthlySavings).toBeNull();
    expect(findings[0]?.message).toContain('instance-hour price by 58%');
    expect(check('spot-for-training', { head: tf(batch.replace('"EC2"', '"SPOT"')) }).findings).toEqual([]);
  });

  it('fires on Kubernetes training jobs placed on on-demand nodes', () => {
    const manifests = {
      'k8s/train.yaml': [
        'apiVersion: kubeflow.org/v1',
        'kind: PyTorchJob',
        'metadata: { name: bert, namespace: ml }',
        'spec:',
        '  pytorchReplicaSpecs:',
        '    Worker:',
        '      replicas: 2',
        '      template:',
        '        spec:',
        '          nodeSelector: { node.kubernetes.io/instance-type: g5.2xlarge, karpenter.sh/capacity-type: on-demand }',
        '          containers:',
        '            - name: t',
        '              image: t',
        '              resources: { requests: { cpu: "7", memory: 28Gi, nvidia.com/gpu: 1 } }',
        '',
      ].join('\n'),
    };
    const { findings } = check('spot-for-training', { head: manifests, kind: 'kubernetes', path: 'k8s' });
    expect(findings.map((f) => f.address)).toEqual(['kubernetes_pytorch_job.ml["bert"]']);
    expect(findings[0]?.message).toContain('a PyTorchJob but runs on on-demand nodes (g5.2xlarge)');
  });

  it('is ignored with a reason', () => {
    const { findings, ignored } = check('spot-for-training', { head: tf(nodeGroup({ above: '# mlcost:ignore spot-for-training distributed training cannot resume yet\n' })) });
    expect(findings).toEqual([]);
    expect(ignored.map((f) => [f.address, f.reason])).toEqual([['aws_eks_node_group.train', 'distributed training cannot resume yet']]);
  });
});

describe('spot-for-training: SageMaker training', () => {
  // SageMaker training comes from pipeline files (another analyzer) or a training job resource:
  // the rule is run here over resources as those analyzers describe them.
  function run(resource: Resource) {
    const project: ProjectBreakdown = { name: 'ml', path: 'ml', kind: 'pipeline', totalMonthlyCost: 0, resources: [], unsupported: [], errors: [] };
    const empty = { ...project, resources: [] };
    const b = (projects: ProjectBreakdown[]): Breakdown => ({ version: 1, currency: 'USD', prices: { source: 'embedded', capturedAt: '2026-01-01' }, totalMonthlyCost: 0, projects });
    return evaluateGuardrails({ base: b([empty]), head: b([project]), resources: (p) => (p === project ? [resource] : []), book: () => book }).findings.filter((f) => f.rule === 'spot-for-training');
  }
  const step = (spot: boolean): Resource => ({
    address: 'sagemaker_pipeline_step.retrain["Train"]', type: 'sagemaker_pipeline_step', file: 'ml/pipeline.json', line: 12, region: 'us-east-1',
    attributes: { usage: 'training', spot, instance_type: 'ml.g5.2xlarge' }, attributeLines: { instance_type: 20 },
  });

  it('fires on a pipeline training step without managed spot, with no figure (no SageMaker spot price)', () => {
    const findings = run(step(false));
    expect(findings.map((f) => [f.rule, f.address, f.line, f.monthlySavings])).toEqual([['spot-for-training', 'sagemaker_pipeline_step.retrain["Train"]', 20, null]]);
    expect(findings[0]?.message).toContain('EnableManagedSpotTraining');
  });

  it('does not fire with managed spot', () => {
    expect(run(step(true))).toEqual([]);
    expect(run({ address: 'aws_sagemaker_training_job.t', type: 'aws_sagemaker_training_job', file: 'f', line: 1, region: 'us-east-1', attributes: { enable_managed_spot_training: true } })).toEqual([]);
  });
});
