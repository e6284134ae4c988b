/** Registry of pricers (sorted by resource type) and of resource types that cost nothing. */
import type { Pricer } from './types.js';
import { argoWorkflowTemplate } from './resources/argo_workflow_template.js';
import { awsAlb } from './resources/aws_alb.js';
import { awsAutoscalingGroup } from './resources/aws_autoscaling_group.js';
import { awsBatchComputeEnvironment } from './resources/aws_batch_compute_environment.js';
import { awsCloudwatchLogGroup } from './resources/aws_cloudwatch_log_group.js';
import { awsDbInstance } from './resources/aws_db_instance.js';
import { awsEbsSnapshot } from './resources/aws_ebs_snapshot.js';
import { awsEbsVolume } from './resources/aws_ebs_volume.js';
import { awsEcsService } from './resources/aws_ecs_service.js';
import { awsEfsFileSystem } from './resources/aws_efs_file_system.js';
import { awsEip } from './resources/aws_eip.js';
import { awsEksCluster } from './resources/aws_eks_cluster.js';
import { awsEksFargateProfile } from './resources/aws_eks_fargate_profile.js';
import { awsEksNodeGroup } from './resources/aws_eks_node_group.js';
import { awsElasticacheCluster } from './resources/aws_elasticache_cluster.js';
import { awsElasticacheReplicationGroup } from './resources/aws_elasticache_replication_group.js';
import { awsElb } from './resources/aws_elb.js';
import { awsEmrCluster } from './resources/aws_emr_cluster.js';
import { awsFsxLustreFileSystem } from './resources/aws_fsx_lustre_file_system.js';
import { awsInstance } from './resources/aws_instance.js';
import { awsKinesisStream } from './resources/aws_kinesis_stream.js';
import { awsLambdaFunction } from './resources/aws_lambda_function.js';
import { awsLb } from './resources/aws_lb.js';
import { awsMskCluster } from './resources/aws_msk_cluster.js';
import { awsNatGateway } from './resources/aws_nat_gateway.js';
import { awsRdsCluster } from './resources/aws_rds_cluster.js';
import { awsRdsClusterInstance } from './resources/aws_rds_cluster_instance.js';
import { awsS3Bucket } from './resources/aws_s3_bucket.js';
import { awsSagemakerApp } from './resources/aws_sagemaker_app.js';
import { awsSagemakerDomain } from './resources/aws_sagemaker_domain.js';
import { awsSagemakerEndpoint } from './resources/aws_sagemaker_endpoint.js';
import { awsSagemakerEndpointConfiguration } from './resources/aws_sagemaker_endpoint_configuration.js';
import { awsSagemakerNotebookInstance } from './resources/aws_sagemaker_notebook_instance.js';
import { awsSagemakerSpace } from './resources/aws_sagemaker_space.js';
import { awsSpotFleetRequest } from './resources/aws_spot_fleet_request.js';
import { awsSpotInstanceRequest } from './resources/aws_spot_instance_request.js';
import { awsVpcEndpoint } from './resources/aws_vpc_endpoint.js';
import { githubActionsJob } from './resources/github_actions_job.js';
import { kubeflowTask } from './resources/kubeflow_task.js';
import { kubernetesCronJob } from './resources/kubernetes_cron_job.js';
import { kubernetesDaemonSet } from './resources/kubernetes_daemon_set.js';
import { kubernetesDeployment } from './resources/kubernetes_deployment.js';
import { kubernetesInferenceService } from './resources/kubernetes_inference_service.js';
import { kubernetesIngress } from './resources/kubernetes_ingress.js';
import { kubernetesJob } from './resources/kubernetes_job.js';
import { kubernetesLeaderWorkerSet } from './resources/kubernetes_leader_worker_set.js';
import { kubernetesLlmInferenceService } from './resources/kubernetes_llm_inference_service.js';
import { kubernetesPersistentVolumeClaim } from './resources/kubernetes_persistent_volume_claim.js';
import { kubernetesPod } from './resources/kubernetes_pod.js';
import { kubernetesPytorchJob } from './resources/kubernetes_pytorch_job.js';
import { kubernetesRayCluster } from './resources/kubernetes_ray_cluster.js';
import { kubernetesRayJob } from './resources/kubernetes_ray_job.js';
import { kubernetesReplicaSet } from './resources/kubernetes_replica_set.js';
import { kubernetesService } from './resources/kubernetes_service.js';
import { kubernetesStatefulSet } from './resources/kubernetes_stateful_set.js';
import { kubernetesTfJob } from './resources/kubernetes_tf_job.js';
import { sagemakerPipelineStep } from './resources/sagemaker_pipeline_step.js';

export const pricers: readonly Pricer[] = [
  argoWorkflowTemplate,
  awsAlb,
  awsAutoscalingGroup,
  awsBatchComputeEnvironment,
  awsCloudwatchLogGroup,
  awsDbInstance,
  awsEbsSnapshot,
  awsEbsVolume,
  awsEcsService,
  awsEfsFileSystem,
  awsEip,
  awsEksCluster,
  awsEksFargateProfile,
  awsEksNodeGroup,
  awsElasticacheCluster,
  awsElasticacheReplicationGroup,
  awsElb,
  awsEmrCluster,
  awsFsxLustreFileSystem,
  awsInstance,
  awsKinesisStream,
  awsLambdaFunction,
  awsLb,
  awsMskCluster,
  awsNatGateway,
  awsRdsCluster,
  awsRdsClusterInstance,
  awsS3Bucket,
  awsSagemakerApp,
  awsSagemakerDomain,
  awsSagemakerEndpoint,
  awsSagemakerEndpointConfiguration,
  awsSagemakerNotebookInstance,
  awsSagemakerSpace,
  awsSpotFleetRequest,
  awsSpotInstanceRequest,
  awsVpcEndpoint,
  githubActionsJob,
  kubeflowTask,
  kubernetesCronJob,
  kubernetesDaemonSet,
  kubernetesDeployment,
  kubernetesInferenceService,
  kubernetesIngress,
  kubernetesJob,
  kubernetesLeaderWorkerSet,
  kubernetesLlmInferenceService,
  kubernetesPersistentVolumeClaim,
  kubernetesPod,
  kubernetesPytorchJob,
  kubernetesRayCluster,
  kubernetesRayJob,
  kubernetesReplicaSet,
  kubernetesService,
  kubernetesStatefulSet,
  kubernetesTfJob,
  sagemakerPipelineStep,
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
  'aws_autoscaling_attachment', 'aws_autoscaling_group_tag', 'aws_autoscaling_lifecycle_hook', 'aws_autoscaling_notification', 'aws_autoscaling_policy',
  'aws_autoscaling_schedule', 'aws_batch_job_definition', 'aws_batch_job_queue', 'aws_batch_scheduling_policy', 'aws_cloudwatch_event_target', 'aws_cloudwatch_log_resource_policy', 'aws_cloudwatch_log_subscription_filter',
  'aws_db_option_group', 'aws_db_parameter_group', 'aws_db_subnet_group', 'aws_default_network_acl', 'aws_default_route_table',
  'aws_default_security_group', 'aws_default_subnet', 'aws_default_vpc', 'aws_ec2_tag', 'aws_ecr_lifecycle_policy',
  'aws_ecr_repository_policy', 'aws_ecs_capacity_provider', 'aws_ecs_cluster', 'aws_ecs_cluster_capacity_providers', 'aws_ecs_task_definition',
  'aws_egress_only_internet_gateway', 'aws_eip_association', 'aws_eks_access_entry', 'aws_eks_access_policy_association',
  'aws_eks_addon', 'aws_eks_identity_provider_config', 'aws_eks_pod_identity_association', 'aws_elasticache_parameter_group',
  'aws_elasticache_subnet_group', 'aws_emr_security_configuration', 'aws_iam_access_key', 'aws_iam_group', 'aws_iam_group_membership', 'aws_iam_group_policy',
  'aws_iam_group_policy_attachment', 'aws_iam_instance_profile', 'aws_iam_openid_connect_provider', 'aws_iam_policy',
  'aws_iam_policy_attachment', 'aws_iam_role', 'aws_iam_role_policy', 'aws_iam_role_policy_attachment',
  'aws_iam_service_linked_role', 'aws_iam_user', 'aws_iam_user_policy', 'aws_iam_user_policy_attachment', 'aws_internet_gateway',
  'aws_internet_gateway_attachment', 'aws_key_pair', 'aws_kms_alias', 'aws_lambda_alias', 'aws_lambda_event_source_mapping', 'aws_lambda_function_event_invoke_config', 'aws_lambda_function_url', 'aws_lambda_layer_version', 'aws_lambda_permission', 'aws_launch_template',
  'aws_lb_listener', 'aws_lb_listener_certificate', 'aws_lb_listener_rule', 'aws_lb_target_group', 'aws_lb_target_group_attachment',
  'aws_main_route_table_association', 'aws_network_acl', 'aws_network_acl_association', 'aws_network_acl_rule',
  'aws_placement_group', 'aws_route', 'aws_route_table', 'aws_route_table_association', 'aws_s3_bucket_accelerate_configuration',
  'aws_s3_bucket_acl', 'aws_s3_bucket_cors_configuration', 'aws_s3_bucket_lifecycle_configuration', 'aws_s3_bucket_logging',
  'aws_s3_bucket_notification', 'aws_s3_bucket_ownership_controls', 'aws_s3_bucket_policy', 'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_versioning', 'aws_s3_bucket_website_configuration',
  'aws_sagemaker_code_repository', 'aws_sagemaker_model', 'aws_sagemaker_notebook_instance_lifecycle_configuration',
  'aws_sagemaker_studio_lifecycle_config', 'aws_sagemaker_user_profile',
  'aws_security_group', 'aws_security_group_rule', 'aws_sns_topic_policy', 'aws_sns_topic_subscription', 'aws_sqs_queue_policy',
  'aws_ssm_parameter', 'aws_subnet', 'aws_vpc', 'aws_vpc_dhcp_options', 'aws_vpc_dhcp_options_association',
  'aws_vpc_endpoint_route_table_association', 'aws_vpc_ipv4_cidr_block_association', 'aws_vpc_security_group_egress_rule',
  'aws_vpc_security_group_ingress_rule',
]);

/** Why a type is free, or undefined when it is not known to be free. */
export function freeReason(type: string): string | undefined {
  if (FREE_TYPES.has(type)) return 'no charge of its own';
  if (type === 'aws_lambda_provisioned_concurrency_config') return 'billed through its Lambda function';
  if (type === 'aws_emr_instance_group' || type === 'aws_emr_instance_fleet') return 'billed through its EMR cluster';
  if (/^(random|null|terraform|tls|local|time|archive|external|cloudinit)_/.test(type) || type === 'terraform_data')
    return 'not a cloud resource';
  return undefined;
}
