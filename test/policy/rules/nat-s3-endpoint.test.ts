import { describe, expect, it } from '@jest/globals';
import { check, tf } from './helpers.js';

const vpc = 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n\nresource "aws_subnet" "public" {\n  vpc_id     = aws_vpc.main.id\n  cidr_block = "10.0.0.0/24"\n}';
const nat = (above = '') => `${above}resource "aws_nat_gateway" "main" {\n  allocation_id = "eipalloc-1"\n  subnet_id     = aws_subnet.public.id\n}`;
const endpoint = (type = 'Gateway') => `resource "aws_vpc_endpoint" "s3" {\n  vpc_id            = aws_vpc.main.id\n  service_name      = "com.amazonaws.us-east-1.s3"\n  vpc_endpoint_type = "${type}"\n}`;

describe('nat-s3-endpoint', () => {
  it('fires on a NAT gateway in a VPC without an S3 gateway endpoint, with the NAT data price', () => {
    const { findings } = check('nat-s3-endpoint', { head: tf(vpc, nat()) });
    expect(findings.map((f) => [f.address, f.severity, f.monthlySavings])).toEqual([['aws_nat_gateway.main', 'warning', null]]);
    expect(findings[0]?.message).toContain('serves `aws_vpc.main` with no S3 gateway endpoint');
    expect(findings[0]?.message).toContain('NAT data processing costs $0.045 / GB');
    expect(findings[0]?.message).toContain('set usage monthly_s3_data_processed_gb');
  });

  it('prices the saving when usage gives the S3 traffic, and names the NAT total as the ceiling otherwise', () => {
    const priced = check('nat-s3-endpoint', { head: tf(vpc, nat()), config: { usage: { 'aws_nat_gateway.main': { monthly_s3_data_processed_gb: 2000 } } } });
    // 2,000 GB x $0.045.
    expect(priced.findings[0]?.monthlySavings).toBe(90);
    const ceiling = check('nat-s3-endpoint', { head: tf(vpc, nat()), config: { usage: { 'aws_nat_gateway.main': { monthly_data_processed_gb: 1500 } } } });
    expect(ceiling.findings[0]?.message).toContain('this NAT processes 1,500 GB, $67.50 / month, the ceiling of the saving');
    expect(ceiling.findings[0]?.monthlySavings).toBeNull();
  });

  it('does not fire with an S3 gateway endpoint in the VPC (an interface endpoint does not count)', () => {
    expect(check('nat-s3-endpoint', { head: tf(vpc, nat(), endpoint()) }).findings).toEqual([]);
    expect(check('nat-s3-endpoint', { head: tf(vpc, nat(), endpoint('Interface')) }).findings).toHaveLength(1);
  });

  it('is ignored with a reason', () => {
    const { findings, ignored } = check('nat-s3-endpoint', { head: tf(vpc, nat('# mlcost:ignore nat-s3-endpoint the endpoint lives in the network stack\n')) });
    expect(findings).toEqual([]);
    expect(ignored).toHaveLength(1);
  });
});
