import { describe, expect, it } from '@jest/globals';
import { check, tf } from './helpers.js';

const volume = (type: string, iops: number, above = '') =>
  `${above}resource "aws_ebs_volume" "db" {\n  availability_zone = "us-east-1a"\n  size              = 500\n  type              = "${type}"\n  iops              = ${iops}\n}`;

describe('io1-volumes', () => {
  it('fires on io1 that gp3 serves, with the saving', () => {
    const { findings } = check('io1-volumes', { head: tf(volume('io1', 10000)) });
    // io1: 500 x $0.125 + 10,000 x $0.065 = $712.50; gp3: 500 x $0.08 + 7,000 x $0.005 + (500 - 125) MiB/s x $0.04 = $90.00.
    expect(findings.map((f) => [f.address, f.severity, f.monthlySavings])).toEqual([['aws_ebs_volume.db', 'warning', 622.5]]);
    expect(findings[0]?.message).toContain('gp3 provisioned to 10,000 IOPS and 500 MiB/s');
  });

  it('advises io2 above what gp3 serves, with the lower IOPS price above 32,000', () => {
    const same = check('io1-volumes', { head: tf(volume('io1', 20000)) });
    expect(same.findings[0]?.monthlySavings).toBeNull();
    expect(same.findings[0]?.message).toContain('io2 costs the same');
    const big = check('io1-volumes', { head: tf(volume('io1', 40000)) });
    // IOPS 40,000: io1 40,000 x $0.065 = $2,600; io2 32,000 x $0.065 + 8,000 x $0.0455 = $2,444 -> $156.
    expect(big.findings[0]?.monthlySavings).toBe(156);
  });

  it('does not fire on io2 or gp3', () => {
    expect(check('io1-volumes', { head: tf(volume('io2', 10000)) }).findings).toEqual([]);
    expect(check('io1-volumes', { head: tf(volume('gp3', 10000)) }).findings).toEqual([]);
  });

  it('is ignored with a reason', () => {
    const { findings, ignored } = check('io1-volumes', { head: tf(volume('io1', 10000, '# mlcost:ignore io1-volumes vendor appliance certified on io1 only\n')) });
    expect(findings).toEqual([]);
    expect(ignored).toHaveLength(1);
  });
});
