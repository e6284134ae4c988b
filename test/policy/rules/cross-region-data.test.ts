import { describe, expect, it } from '@jest/globals';
import { check } from './helpers.js';

const providers = 'provider "aws" {\n  region = "us-east-1"\n}\n\nprovider "aws" {\n  alias  = "eu"\n  region = "eu-west-1"\n}\n\n';
const bucket = 'resource "aws_s3_bucket" "datasets" {\n  bucket = "acme-datasets"\n}\n\n';
const role = 'resource "aws_iam_role" "train" {\n  name               = "train"\n  assume_role_policy = "{}"\n}\n\nresource "aws_iam_role_policy" "read" {\n  role   = aws_iam_role.train.id\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = ["${aws_s3_bucket.datasets.arn}/*"] }] })\n}\n\n';
const nodes = (provider: string, above = '') =>
  `${above}resource "aws_eks_node_group" "train" {\n${provider}  cluster_name   = "c"\n  node_role_arn  = aws_iam_role.train.arn\n  subnet_ids     = ["s"]\n  instance_types = ["g5.2xlarge"]\n  scaling_config {\n    desired_size = 1\n    min_size     = 0\n    max_size     = 2\n  }\n}\n`;

describe('cross-region-data', () => {
  it('fires on compute in another region than the bucket it reads through its IAM role, with the transfer price', () => {
    const { findings } = check('cross-region-data', { head: { 'infra/main.tf': providers + bucket + role + nodes('  provider       = aws.eu\n') } });
    expect(findings.map((f) => [f.address, f.severity, f.monthlySavings])).toEqual([['aws_eks_node_group.train', 'warning', null]]);
    expect(findings[0]?.message).toContain('runs in eu-west-1 but reads `aws_s3_bucket.datasets` in us-east-1');
    expect(findings[0]?.message).toContain('$0.02 / GB read (inter-region transfer us-east-1 → eu-west-1)');
  });

  it('finds an s3:// URI naming a bucket of the change', () => {
    const fn = 'resource "aws_lambda_function" "f" {\n  provider      = aws.eu\n  function_name = "f"\n  role          = "arn"\n  runtime       = "python3.12"\n  handler       = "h"\n  environment {\n    variables = {\n      DATA = "s3://acme-datasets/train/"\n    }\n  }\n}\n';
    const { findings } = check('cross-region-data', { head: { 'infra/main.tf': providers + bucket + fn } });
    expect(findings[0]?.message).toContain('(names s3://acme-datasets)');
  });

  it('does not fire in the same region, nor on compute that reads no bucket of the change', () => {
    expect(check('cross-region-data', { head: { 'infra/main.tf': providers + bucket + role + nodes('') } }).findings).toEqual([]);
    expect(check('cross-region-data', { head: { 'infra/main.tf': providers + bucket + nodes('  provider       = aws.eu\n').replace('aws_iam_role.train.arn', '"arn"') } }).findings).toEqual([]);
  });

  it('is ignored with a reason', () => {
    const head = { 'infra/main.tf': providers + bucket + role + nodes('  provider       = aws.eu\n', '# mlcost:ignore cross-region-data reads are cached on FSx after the first epoch\n') };
    const { findings, ignored } = check('cross-region-data', { head });
    expect(findings).toEqual([]);
    expect(ignored.map((f) => f.reason)).toEqual(['reads are cached on FSx after the first epoch']);
  });
});
