import { describe, expect, it } from '@jest/globals';
import { renderTable } from '../../src/report/render.js';
import { breakdown, component, diffOf, project, realisticDiff, resource } from './factory.js';

describe('terminal table', () => {
  it('aligns a diff in columns without colour', () => {
    const out = renderTable(realisticDiff());
    expect(out).not.toContain('\u001b');
    const lines = out.split('\n');
    expect(lines[0]).toBe('mlcost: +$4,231 / month (+304%) + unknown: 1 change not priced · 1 guardrail failed · 1 warning · save up to $1,162 / month');
    const start = lines.indexOf('Projects');
    expect(lines.slice(start, start + 8)).toEqual([
      'Projects',
      'Project                        Kind          Base     Head    Change',
      '-----------------------------  ---------  -------  -------  --------',
      'infra/ml-platform              Terraform   $1,086   $5,164   +$4,078',
      'charts/inference               Helm       $306.00  $459.00  +$153.00',
      '.github/workflows/retrain.yml  pipeline     $0.96    $0.96     $0.00',
      '-----------------------------  ---------  -------  -------  --------',
      'Total                                      $1,393   $5,624   +$4,231',
    ]);
    expect(out).toContain('aws_sagemaker_endpoint.ranker_async          added            –    unknown     unknown  infra/ml-platform/serving.tf:40');
  });

  it('lays out a breakdown with components under each resource', () => {
    const out = renderTable(realisticDiff().head);
    expect(out).toContain('aws_instance.bastion');
    expect(out).toMatch(/├─ Instance usage \(t3\.micro\) +730 hours +\$0\.0104 \/ hour +\$7\.59\n/);
    expect(out).toMatch(/└─ Storage \(gp3\) +8 GB-month +\$0\.08 \/ GB-month +\$0\.64\n/);
    expect(out).toMatch(/Standard storage +depends on usage +\$0\.023 \/ GB-month +unknown\n/);
    expect(out).toContain('aws_s3_bucket.checkpoints · Standard storage: $0.023 / GB-month; set standard.storage_gb for aws_s3_bucket.checkpoints under usage: in .mlcost.yml');
    expect(out).toMatch(/└─ Async inference \(ml\.inf2\.xlarge\) +not priced +no price +unknown\n/);
  });

  it('strips control sequences from names and colours only when asked', () => {
    const evil = 'aws_x.y\u001b[2J\u001b]0;pwned\u0007';
    const d = diffOf(breakdown([project('p', [])]), breakdown([project('p', [resource(evil, [component('C', 5)])])]));
    const plain = renderTable(d);
    expect(plain).not.toContain('\u001b');
    expect(plain).not.toContain('\u0007');
    expect(plain).toContain('aws_x.y[2J]0;pwned');
    const coloured = renderTable(d, { color: true });
    expect(coloured).toContain('\u001b[31m');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });
});
