import { describe, expect, it } from '@jest/globals';
import { check, tf } from './helpers.js';

const instance = (type: string, above = '') => `${above}resource "aws_instance" "box" {\n  ami           = "ami-1"\n  instance_type = "${type}"\n}`;
const config = { rules: { 'gpu-instances': { deny: ['p5'], allow: ['g5', 'g6', 'p4d'], maxSize: '12xlarge', allowIn: ['infra/training/**'] } } };

describe('gpu-instances', () => {
  it('fires on a denied family, outside the paths where it is allowed', () => {
    const { findings } = check('gpu-instances', { head: tf(instance('p5.48xlarge')), config });
    expect(findings.map((f) => [f.address, f.severity, f.line])).toEqual([['aws_instance.box', 'error', 7]]);
    expect(findings[0]?.message).toContain('`p5` is denied');
    expect(findings[0]?.message).toContain('allowed only under `infra/training/**`');
  });

  it('fires on a GPU family not allowed, and on a size above maxSize', () => {
    expect(check('gpu-instances', { head: tf(instance('g4dn.xlarge')), config }).findings[0]?.message).toContain('the g4dn family is not among the allowed');
    expect(check('gpu-instances', { head: tf(instance('g5.48xlarge')), config }).findings[0]?.message).toContain('48xlarge is larger than the allowed 12xlarge');
  });

  it('does not fire on allowed types, CPU types, under allowIn, or without settings', () => {
    expect(check('gpu-instances', { head: tf(instance('g5.2xlarge')), config }).findings).toEqual([]);
    expect(check('gpu-instances', { head: tf(instance('m6i.32xlarge')), config }).findings).toEqual([]);
    expect(check('gpu-instances', { head: { 'infra/training/main.tf': tf(instance('p5.48xlarge'))['infra/main.tf'] as string }, path: 'infra/training', config }).findings).toEqual([]);
    expect(check('gpu-instances', { head: tf(instance('p5.48xlarge')) }).findings).toEqual([]);
  });

  it('reads SageMaker variants (ml. types) and node groups', () => {
    const variant = 'resource "aws_sagemaker_endpoint_configuration" "c" {\n  production_variants {\n    variant_name  = "a"\n    model_name    = "m"\n    instance_type = "ml.p5.48xlarge"\n  }\n}';
    expect(check('gpu-instances', { head: tf(variant), config }).findings.map((f) => f.address)).toEqual(['aws_sagemaker_endpoint_configuration.c']);
  });

  it('applies overrides per path: a stricter severity in production', () => {
    const prod = { ...config, overrides: [{ paths: ['infra/**'], rules: { 'gpu-instances': { severity: 'warning' as const } } }] };
    expect(check('gpu-instances', { head: tf(instance('p5.48xlarge')), config: prod }).findings.map((f) => f.severity)).toEqual(['warning']);
  });

  it('is ignored with a reason', () => {
    const { findings, ignored } = check('gpu-instances', { head: tf(instance('p5.48xlarge', '# mlcost:ignore gpu-instances benchmark box, deleted after the eval (JIRA-123)\n')), config });
    expect(findings).toEqual([]);
    expect(ignored.map((f) => f.reason)).toEqual(['benchmark box, deleted after the eval (JIRA-123)']);
  });
});
