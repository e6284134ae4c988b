import { describe, expect, it } from '@jest/globals';
import { check, tf } from './helpers.js';

const bucket = (name: string, above = '') => `${above}resource "aws_s3_bucket" "b" {\n  bucket = "${name}"\n}`;
const lifecycle = 'resource "aws_s3_bucket_lifecycle_configuration" "b" {\n  bucket = aws_s3_bucket.b.id\n  rule {\n    id     = "cold"\n    status = "Enabled"\n    transition {\n      days          = 30\n      storage_class = "GLACIER_IR"\n    }\n  }\n}';

describe('s3-lifecycle', () => {
  it('fires on a bucket of checkpoints without a lifecycle rule, with the prices of both classes', () => {
    const { findings } = check('s3-lifecycle', { head: tf(bucket('acme-ml-checkpoints')) });
    expect(findings.map((f) => [f.address, f.severity, f.monthlySavings])).toEqual([['aws_s3_bucket.b', 'info', null]]);
    expect(findings[0]?.message).toContain('"checkpoint" in "acme-ml-checkpoints"');
    expect(findings[0]?.message).toContain('$0.004 / GB-month instead of $0.023 / GB-month');
  });

  it('gives the bound of the saving from usage, without counting it', () => {
    const { findings } = check('s3-lifecycle', { head: tf(bucket('acme-datasets')), config: { usage: { 'aws_s3_bucket.b': { standard: { storage_gb: 10000 } } } } });
    // 10,000 GB: $230.00 in Standard, $40.00 in Glacier IR.
    expect(findings[0]?.message).toContain('the 10,000 GB in Standard cost $230.00 / month, $40.00 if all of it were older than 30 days');
    expect(findings[0]?.monthlySavings).toBeNull();
  });

  it('does not fire with a lifecycle rule, nor on a bucket that holds no ML data', () => {
    expect(check('s3-lifecycle', { head: tf(bucket('acme-ml-checkpoints'), lifecycle) }).findings).toEqual([]);
    expect(check('s3-lifecycle', { head: tf(bucket('acme-website')) }).findings).toEqual([]);
  });

  it('is ignored with a reason', () => {
    const { findings, ignored } = check('s3-lifecycle', { head: tf(bucket('acme-artifacts', '# mlcost:ignore s3-lifecycle artifacts are read daily by the release job\n')) });
    expect(findings).toEqual([]);
    expect(ignored.map((f) => f.rule)).toEqual(['s3-lifecycle']);
  });
});
