import { describe, expect, it } from '@jest/globals';
import { check, tf } from './helpers.js';

const config = 'resource "aws_sagemaker_endpoint_configuration" "ranker" {\n  name = "ranker"\n  production_variants {\n    variant_name           = "primary"\n    model_name             = "m"\n    instance_type          = "ml.g5.xlarge"\n    initial_instance_count = 2\n  }\n}';
const endpoint = (above = '') => `${above}resource "aws_sagemaker_endpoint" "ranker" {\n  name                 = "ranker"\n  endpoint_config_name = aws_sagemaker_endpoint_configuration.ranker.name\n}`;
const target = 'resource "aws_appautoscaling_target" "ranker" {\n  service_namespace  = "sagemaker"\n  resource_id        = "endpoint/${aws_sagemaker_endpoint.ranker.name}/variant/primary"\n  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"\n  min_capacity       = 1\n  max_capacity       = 4\n}';
const policy = 'resource "aws_appautoscaling_policy" "ranker" {\n  name               = "ranker"\n  policy_type        = "TargetTrackingScaling"\n  resource_id        = aws_appautoscaling_target.ranker.resource_id\n  scalable_dimension = aws_appautoscaling_target.ranker.scalable_dimension\n  service_namespace  = aws_appautoscaling_target.ranker.service_namespace\n}';

describe('endpoint-idle-risk', () => {
  it('fires on an endpoint whose instances run 24/7 with no autoscaling, naming what they cost', () => {
    const { findings } = check('endpoint-idle-risk', { head: tf(config, endpoint()) });
    expect(findings.map((f) => [f.address, f.severity, f.monthlySavings])).toEqual([['aws_sagemaker_endpoint.ranker', 'warning', null]]);
    // 2 x 730 h x $1.408 (ml.g5.xlarge hosting).
    expect(findings[0]?.message).toContain('keeps 2 instances running 24/7 with no autoscaling ($2,056 / month whatever the traffic)');
  });

  it('fires on a target no policy uses; not with a target and a policy', () => {
    const noPolicy = check('endpoint-idle-risk', { head: tf(config, endpoint(), target) });
    expect(noPolicy.findings[0]?.message).toContain('but no aws_appautoscaling_policy uses it');
    expect(check('endpoint-idle-risk', { head: tf(config, endpoint(), target, policy) }).findings).toEqual([]);
  });

  it('fires when the change raises the endpoint through its configuration alone', () => {
    const base = tf(config.replace('initial_instance_count = 2', 'initial_instance_count = 1'), endpoint());
    expect(check('endpoint-idle-risk', { base, head: tf(config, endpoint()) }).findings).toHaveLength(1);
    // Unchanged, it is not this change's doing.
    expect(check('endpoint-idle-risk', { base: tf(config, endpoint()), head: tf(config, endpoint()) }).findings).toEqual([]);
  });

  it('is ignored with a reason', () => {
    const { findings, ignored } = check('endpoint-idle-risk', { head: tf(config, endpoint('// mlcost:ignore endpoint-idle-risk steady traffic, autoscaling tested in Q2\n')) });
    expect(findings).toEqual([]);
    expect(ignored.map((f) => f.reason)).toEqual(['steady traffic, autoscaling tested in Q2']);
  });
});
