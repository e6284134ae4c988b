import { describe, expect, it } from '@jest/globals';
import { check, PROVIDER, tf } from './helpers.js';

const config = { rules: { 'required-tags': { keys: ['team', 'cost-center'] } } };
const instance = (tags: string, above = '') => `${above}resource "aws_instance" "a" {\n  ami           = "ami-1"\n  instance_type = "m5.large"\n${tags}}`;

describe('required-tags', () => {
  it('is off until keys are configured', () => {
    expect(check('required-tags', { head: tf(instance('')) }).findings).toEqual([]);
  });

  it('fires on a priced resource without the keys; provider default_tags count', () => {
    const { findings } = check('required-tags', { head: tf(instance('  tags = {\n    team = "ml"\n  }\n')), config });
    expect(findings.map((f) => [f.address, f.severity, f.line])).toEqual([['aws_instance.a', 'warning', 8]]);
    expect(findings[0]?.message).toContain('has no tag `cost-center`');
    const withDefaults = PROVIDER.replace('}\n', '  default_tags {\n    tags = {\n      team          = "ml"\n      cost-center = "42"\n    }\n  }\n}\n') + instance('');
    expect(check('required-tags', { head: { 'infra/main.tf': withDefaults }, config }).findings).toEqual([]);
  });

  it('checks what reaches the instances of node groups and Auto Scaling groups', () => {
    const lt = (tags: string) => `resource "aws_launch_template" "lt" {\n  instance_type = "m5.large"\n${tags}}`;
    const spec = '  tag_specifications {\n    resource_type = "instance"\n    tags = {\n      team          = "ml"\n      cost-center = "42"\n    }\n  }\n';
    const asg = (tag: string) => `resource "aws_autoscaling_group" "g" {\n  min_size = 1\n  max_size = 2\n  desired_capacity = 1\n  launch_template {\n    id = aws_launch_template.lt.id\n  }\n${tag}}`;
    const bare = check('required-tags', { head: tf(lt(''), asg('')), config });
    expect(bare.findings[0]?.message).toContain('launches instances without `team`, `cost-center`');
    expect(check('required-tags', { head: tf(lt(spec), asg('')), config }).findings).toEqual([]);
    const propagated = '  tag {\n    key                 = "team"\n    value               = "ml"\n    propagate_at_launch = true\n  }\n  tag {\n    key                 = "cost-center"\n    value               = "42"\n    propagate_at_launch = false\n  }\n';
    expect(check('required-tags', { head: tf(lt(''), asg(propagated)), config }).findings[0]?.message).toContain('without `cost-center`');
    const ng = 'resource "aws_eks_node_group" "n" {\n  cluster_name   = "c"\n  node_role_arn  = "arn"\n  subnet_ids     = ["s"]\n  instance_types = ["m5.large"]\n  tags = {\n    team          = "ml"\n    cost-center = "42"\n  }\n  scaling_config {\n    desired_size = 1\n    min_size     = 1\n    max_size     = 1\n  }\n}';
    expect(check('required-tags', { head: tf(ng), config }).findings[0]?.message).toContain('EKS does not copy node group tags to them');
  });

  it('checks pod labels of Kubernetes workloads', () => {
    const deployment = (labels: string) => ({
      'k8s/app.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api, namespace: ml }\nspec:\n  replicas: 1\n  template:\n    metadata:\n      labels: { app: api${labels} }\n    spec:\n      containers:\n        - { name: a, image: a, resources: { requests: { cpu: "1", memory: 1Gi } } }\n`,
    });
    const missing = check('required-tags', { head: deployment(''), kind: 'kubernetes', path: 'k8s', config });
    expect(missing.findings[0]?.message).toContain('has no pod labels `team`, `cost-center`');
    expect(check('required-tags', { head: deployment(', team: ml, cost-center: "42"'), kind: 'kubernetes', path: 'k8s', config }).findings).toEqual([]);
  });

  it('is ignored with a reason', () => {
    const { findings, ignored } = check('required-tags', { head: tf(instance('', '# mlcost:ignore required-tags temporary bastion, removed by 2026-10-01\n')), config });
    expect(findings).toEqual([]);
    expect(ignored).toHaveLength(1);
  });
});
