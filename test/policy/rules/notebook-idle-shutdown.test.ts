import { describe, expect, it } from '@jest/globals';
import { check, tf } from './helpers.js';

const notebook = (lifecycle: string, above = '') =>
  `${above}resource "aws_sagemaker_notebook_instance" "nb" {\n  name          = "nb"\n  role_arn      = "arn"\n  instance_type = "ml.t3.medium"\n${lifecycle}}`;
const lifecycleConfig = (script: string) =>
  `resource "aws_sagemaker_notebook_instance_lifecycle_configuration" "lc" {\n  name     = "lc"\n  on_start = base64encode(${JSON.stringify(script)})\n}`;
const uses = '  lifecycle_config_name = aws_sagemaker_notebook_instance_lifecycle_configuration.lc.name\n';

describe('notebook-idle-shutdown', () => {
  it('fires on a notebook instance without a lifecycle configuration', () => {
    const { findings } = check('notebook-idle-shutdown', { head: tf(notebook('')) });
    expect(findings.map((f) => [f.address, f.severity, f.line])).toEqual([['aws_sagemaker_notebook_instance.nb', 'warning', 8]]);
    expect(findings[0]?.message).toContain('runs until someone stops it');
  });

  it('fires when the lifecycle scripts check no idleness; not when they do', () => {
    const idle = check('notebook-idle-shutdown', { head: tf(notebook(uses), lifecycleConfig('#!/bin/bash\npip install pandas\n')) });
    expect(idle.findings[0]?.message).toContain('whose scripts do not stop the instance when idle');
    const stops = check('notebook-idle-shutdown', { head: tf(notebook(uses), lifecycleConfig('#!/bin/bash\npython autostop.py --time 3600\n')) });
    expect(stops.findings).toEqual([]);
  });

  it('does not judge a script it cannot read', () => {
    const unread = 'resource "aws_sagemaker_notebook_instance_lifecycle_configuration" "lc" {\n  name     = "lc"\n  on_start = filebase64("${path.module}/on-start.sh")\n}';
    expect(check('notebook-idle-shutdown', { head: tf(notebook(uses), unread) }).findings).toEqual([]);
  });

  it('is ignored with a reason', () => {
    const { findings, ignored } = check('notebook-idle-shutdown', { head: tf(notebook('', '# mlcost:ignore notebook-idle-shutdown stopped nightly by the platform scheduler\n')) });
    expect(findings).toEqual([]);
    expect(ignored).toHaveLength(1);
  });
});
