/** Registry of pricers (sorted by resource type) and of resource types that cost nothing. */
import type { Pricer } from './types.js';
import { awsEbsVolume } from './resources/aws_ebs_volume.js';
import { awsEksCluster } from './resources/aws_eks_cluster.js';
import { awsEksNodeGroup } from './resources/aws_eks_node_group.js';
import { awsInstance } from './resources/aws_instance.js';
import { awsNatGateway } from './resources/aws_nat_gateway.js';
import { awsS3Bucket } from './resources/aws_s3_bucket.js';
import { awsSagemakerEndpointConfiguration } from './resources/aws_sagemaker_endpoint_configuration.js';

export const pricers: readonly Pricer[] = [
  awsEbsVolume,
  awsEksCluster,
  awsEksNodeGroup,
  awsInstance,
  awsNatGateway,
  awsS3Bucket,
  awsSagemakerEndpointConfiguration,
];

const byType = new Map(pricers.map((p) => [p.type, p]));

export function pricerFor(type: string): Pricer | undefined {
  return byType.get(type);
}

/**
 * Resource types AWS does not bill for by themselves (their cost, if any, shows on another
 * resource). They are neither priced nor reported as unsupported.
 */
const FREE_TYPES = new Set([
  'aws_acm_certificate_validation', 'aws_ami_launch_permission', 'aws_appautoscaling_policy', 'aws_appautoscaling_target',
  'aws_autoscaling_attachment', 'aws_autoscaling_lifecycle_hook', 'aws_autoscaling_notification', 'aws_autoscaling_policy',
  'aws_autoscaling_schedule', 'aws_cloudwatch_event_target', 'aws_cloudwatch_log_resource_policy', 'aws_cloudwatch_log_subscription_filter',
  'aws_db_option_group', 'aws_db_parameter_group', 'aws_db_subnet_group', 'aws_default_network_acl', 'aws_default_route_table',
  'aws_default_security_group', 'aws_default_subnet', 'aws_default_vpc', 'aws_ec2_tag', 'aws_ecr_lifecycle_policy',
  'aws_ecr_repository_policy', 'aws_ecs_cluster', 'aws_ecs_cluster_capacity_providers', 'aws_ecs_task_definition',
  'aws_egress_only_internet_gateway', 'aws_eip_association', 'aws_eks_access_entry', 'aws_eks_access_policy_association',
  'aws_eks_addon', 'aws_eks_identity_provider_config', 'aws_eks_pod_identity_association', 'aws_elasticache_parameter_group',
  'aws_elasticache_subnet_group', 'aws_iam_access_key', 'aws_iam_group', 'aws_iam_group_membership', 'aws_iam_group_policy',
  'aws_iam_group_policy_attachment', 'aws_iam_instance_profile', 'aws_iam_openid_connect_provider', 'aws_iam_policy',
  'aws_iam_policy_attachment', 'aws_iam_role', 'aws_iam_role_policy', 'aws_iam_role_policy_attachment',
  'aws_iam_service_linked_role', 'aws_iam_user', 'aws_iam_user_policy', 'aws_iam_user_policy_attachment', 'aws_internet_gateway',
  'aws_internet_gateway_attachment', 'aws_key_pair', 'aws_kms_alias', 'aws_lambda_permission', 'aws_launch_template',
  'aws_lb_listener', 'aws_lb_listener_certificate', 'aws_lb_listener_rule', 'aws_lb_target_group', 'aws_lb_target_group_attachment',
  'aws_main_route_table_association', 'aws_network_acl', 'aws_network_acl_association', 'aws_network_acl_rule',
  'aws_placement_group', 'aws_route', 'aws_route_table', 'aws_route_table_association', 'aws_s3_bucket_accelerate_configuration',
  'aws_s3_bucket_acl', 'aws_s3_bucket_cors_configuration', 'aws_s3_bucket_lifecycle_configuration', 'aws_s3_bucket_logging',
  'aws_s3_bucket_notification', 'aws_s3_bucket_ownership_controls', 'aws_s3_bucket_policy', 'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_versioning', 'aws_s3_bucket_website_configuration',
  'aws_sagemaker_code_repository', 'aws_sagemaker_model', 'aws_sagemaker_notebook_instance_lifecycle_configuration',
  'aws_security_group', 'aws_security_group_rule', 'aws_sns_topic_policy', 'aws_sns_topic_subscription', 'aws_sqs_queue_policy',
  'aws_ssm_parameter', 'aws_subnet', 'aws_vpc', 'aws_vpc_dhcp_options', 'aws_vpc_dhcp_options_association',
  'aws_vpc_endpoint_route_table_association', 'aws_vpc_ipv4_cidr_block_association', 'aws_vpc_security_group_egress_rule',
  'aws_vpc_security_group_ingress_rule',
]);

/** Why a type is free, or undefined when it is not known to be free. */
export function freeReason(type: string): string | undefined {
  if (FREE_TYPES.has(type)) return 'no charge of its own';
  if (type === 'aws_sagemaker_endpoint') return 'billed through its endpoint configuration';
  if (/^(random|null|terraform|tls|local|time|archive|external|cloudinit)_/.test(type) || type === 'terraform_data')
    return 'not a cloud resource';
  return undefined;
}
