/** Baseline and ceiling stay separate: an autoscaling resource shows what it can cost at max size. */
import { describe, expect, it } from '@jest/globals';
import { createRenderer } from '../../src/report/render.js';
import { loadTemplates } from '../../src/adapters/templates.js';
import { breakdown, component, diffOf, project, resource } from './factory.js';

const renderer = createRenderer(loadTemplates());

describe('ceiling of autoscaling resources', () => {
  it('shows the ceiling of an added node group next to its baseline delta', () => {
    const gpu = resource('aws_eks_node_group.gpu', [component('Instance usage', 1769.52)], { ceilingMonthlyCost: 5308.56, details: { maxSize: 6 } });
    const md = renderer.renderComment(diffOf(breakdown([project('infra', [])]), breakdown([project('infra', [gpu])])), {});
    expect(md).toContain('**+$1,770** — ceiling +$5,309 (max 6)');
  });

  it('says the ceiling is unchanged when only the baseline moved', () => {
    const base = resource('aws_eks_node_group.gpu', [component('Instance usage', 1769.52)], { ceilingMonthlyCost: 5308.56, details: { maxSize: 6 } });
    const head = resource('aws_eks_node_group.gpu', [component('Instance usage', 3539.04)], { ceilingMonthlyCost: 5308.56, details: { maxSize: 6 } });
    const md = renderer.renderComment(diffOf(breakdown([project('infra', [base])]), breakdown([project('infra', [head])])), {});
    expect(md).toContain('ceiling unchanged at $5,309 (max 6)');
  });

  it('shows nothing about a ceiling for resources that do not scale', () => {
    const vol = resource('aws_ebs_volume.v', [component('Storage', 10)]);
    const md = renderer.renderComment(diffOf(breakdown([project('infra', [])]), breakdown([project('infra', [vol])])), {});
    expect(md).not.toContain('ceiling');
  });
});
