/** `# mlcost:ignore` comments as the analyzers read them (src/analyzers/ignores.ts). */
import { describe, expect, it } from '@jest/globals';
import { ignoresAbove, linesOf } from '../../src/analyzers/ignores.js';
import { analyzeModule } from '../../src/analyzers/terraform/module.js';

describe('mlcost:ignore comments', () => {
  it('reads the run of comment lines right above a line, in order', () => {
    const lines = linesOf('# mlcost:ignore a far away\n\n# a note\n# mlcost:ignore gp2-volumes needed by the AMI\n//   mlcost:ignore required-tags   tagged by the owner  \n# mlcost:ignore\nresource "x" "y" {}\n');
    expect(ignoresAbove(lines, 7, 'f.tf')).toEqual([
      { rule: 'gp2-volumes', reason: 'needed by the AMI', file: 'f.tf', line: 4 },
      { rule: 'required-tags', reason: 'tagged by the owner', file: 'f.tf', line: 5 },
      { rule: '', reason: '', file: 'f.tf', line: 6 },
    ]);
    expect(ignoresAbove(lines, 1, 'f.tf')).toEqual([]);
  });

  it('gives every instance of a counted resource the comment of its block; other blocks get none', () => {
    const files = {
      'main.tf': 'resource "aws_ebs_volume" "a" {\n  count = 2\n  size  = 1\n}\n\n# mlcost:ignore gp2-volumes reason\n\nresource "aws_ebs_volume" "b" {\n  size = 1\n}\n\n# mlcost:ignore gp2-volumes scratch space\nresource "aws_ebs_volume" "c" {\n  count = 2\n  size  = 1\n}\n',
    };
    const { resources } = analyzeModule(files);
    expect(resources.map((r) => [r.address, r.ignores?.map((i) => i.reason) ?? []])).toEqual([
      ['aws_ebs_volume.a[0]', []],
      ['aws_ebs_volume.a[1]', []],
      ['aws_ebs_volume.b', []],
      ['aws_ebs_volume.c[0]', ['scratch space']],
      ['aws_ebs_volume.c[1]', ['scratch space']],
    ]);
  });
});
