/**
 * The vocabulary shared by pricers (which ask) and the price catalog (which answers). A price is
 * addressed by service, region and a key; the key grammar is fixed here and nowhere else, so the
 * snapshot builder, the live refresh and the pricers cannot drift apart.
 *
 * Units (the catalog stores prices in exactly these units):
 *   instance-hours: USD per hour; storage: USD per GB-month; requests: USD per request;
 *   transfer: USD per GB; Lambda duration: USD per GB-second.
 */
import type { PriceQuery } from '../core/types.js';

function q(service: string, region: string, key: string): PriceQuery {
  return { service, region, key };
}

/** EBS volume types known to AWS. */
export const EBS_VOLUME_TYPES = ['gp2', 'gp3', 'io1', 'io2', 'st1', 'sc1', 'standard'] as const;
export type EbsVolumeType = (typeof EBS_VOLUME_TYPES)[number];

/** S3 storage classes as Terraform spells them (lifecycle transitions, object storage_class). */
export const S3_STORAGE_CLASSES = [
  'STANDARD',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER_IR',
  'GLACIER',
  'DEEP_ARCHIVE',
  'EXPRESS_ONEZONE',
] as const;
export type S3StorageClass = (typeof S3_STORAGE_CLASSES)[number];

export type SageMakerUsage = 'hosting' | 'training' | 'processing' | 'batch' | 'notebook';

export const keys = {
  // EC2 ------------------------------------------------------------------------------------
  /** On-demand Linux, shared tenancy; USD per hour. */
  ec2Instance: (region: string, instanceType: string) => q('AmazonEC2', region, `instance:${instanceType}`),
  /** Spot estimate; USD per hour (on-demand x (1 - advisor saving), see the entry's note). */
  ec2Spot: (region: string, instanceType: string) => q('AmazonEC2', region, `spot:${instanceType}`),
  /** EC2 Capacity Blocks for ML; USD per instance-hour. */
  ec2CapacityBlock: (region: string, instanceType: string) => q('AmazonEC2', region, `capacity-block:${instanceType}`),

  // EBS ------------------------------------------------------------------------------------
  /** USD per GB-month of provisioned storage. */
  ebsStorage: (region: string, volumeType: string) => q('AmazonEC2', region, `ebs:${volumeType}:storage`),
  /** gp3 IOPS above 3,000 / io1 IOPS, USD per IOPS-month. io2 is tiered (0-32k, 32k-64k, 64k+). */
  ebsIops: (region: string, volumeType: string) => q('AmazonEC2', region, `ebs:${volumeType}:iops`),
  /** gp3 throughput above 125 MiB/s, USD per MiB/s-month. */
  ebsThroughput: (region: string, volumeType: string) => q('AmazonEC2', region, `ebs:${volumeType}:throughput`),
  /** Magnetic (standard) volumes, USD per I/O request. */
  ebsIoRequests: (region: string) => q('AmazonEC2', region, 'ebs:standard:io'),
  /** EBS snapshot storage, USD per GB-month; tier `standard` or `archive`. */
  ebsSnapshot: (region: string, tier: 'standard' | 'archive' = 'standard') =>
    q('AmazonEC2', region, `ebs:snapshot:${tier}`),

  // Networking -----------------------------------------------------------------------------
  natGatewayHour: (region: string) => q('AmazonEC2', region, 'nat-gateway:hour'),
  /** NAT gateway data processed, USD per GB. */
  natGatewayData: (region: string) => q('AmazonEC2', region, 'nat-gateway:gb'),
  /** Public IPv4 address (EIP), USD per hour; state `in-use` or `idle`. */
  publicIpv4: (region: string, state: 'in-use' | 'idle' = 'in-use') => q('AmazonVPC', region, `public-ipv4:${state}`),
  /** Interface VPC endpoint per AZ-hour and per GB processed. */
  vpcEndpointHour: (region: string) => q('AmazonVPC', region, 'vpc-endpoint:hour'),
  vpcEndpointData: (region: string) => q('AmazonVPC', region, 'vpc-endpoint:gb'),
  /** Load balancers: kind alb | nlb | gwlb | classic; dimension hour | lcu (classic: hour | gb). */
  loadBalancer: (region: string, kind: 'alb' | 'nlb' | 'gwlb' | 'classic', dimension: 'hour' | 'lcu' | 'gb') =>
    q('AWSELB', region, `${kind}:${dimension}`),
  /** Data transfer out to the internet, tiered, USD per GB. */
  dataTransferInternetOut: (region: string) => q('AWSDataTransfer', region, 'internet-out'),
  /** Data transfer from `region` to another region, USD per GB. */
  dataTransferInterRegion: (region: string, toRegion: string) => q('AWSDataTransfer', region, `inter-region:${toRegion}`),

  // Containers -----------------------------------------------------------------------------
  /** EKS control plane, USD per cluster-hour; `extended` for extended-support versions. */
  eksCluster: (region: string, support: 'standard' | 'extended' = 'standard') => q('AmazonEKS', region, `cluster:${support}`),
  /** Fargate, USD per vCPU-hour / GB-hour / ephemeral GB-hour; arch x86 | arm. */
  fargateVcpu: (region: string, arch: 'x86' | 'arm' = 'x86') => q('AmazonECS', region, `fargate:vcpu:${arch}`),
  fargateMemory: (region: string, arch: 'x86' | 'arm' = 'x86') => q('AmazonECS', region, `fargate:memory:${arch}`),
  fargateStorage: (region: string) => q('AmazonECS', region, 'fargate:storage'),

  // Storage --------------------------------------------------------------------------------
  /** S3 storage, USD per GB-month (STANDARD and INTELLIGENT_TIERING are tiered). */
  s3Storage: (region: string, storageClass: string) => q('AmazonS3', region, `storage:${storageClass}`),
  /** S3 requests, USD per request: tier1 = PUT/COPY/POST/LIST, tier2 = GET/SELECT and others. */
  s3Requests: (region: string, storageClass: string, tier: 'tier1' | 'tier2') =>
    q('AmazonS3', region, `requests:${storageClass}:${tier}`),
  /** EFS storage, USD per GB-month; class standard | ia | archive | one-zone | one-zone-ia. */
  efsStorage: (region: string, storageClass: string) => q('AmazonEFS', region, `storage:${storageClass}`),
  /** EFS provisioned throughput, USD per MiB/s-month. */
  efsProvisionedThroughput: (region: string) => q('AmazonEFS', region, 'provisioned-throughput'),

  // Databases ------------------------------------------------------------------------------
  /** RDS instance-hours; engine mysql | postgres; deployment single-az | multi-az | multi-az-cluster. */
  rdsInstance: (region: string, engine: string, instanceClass: string, deployment: string) =>
    q('AmazonRDS', region, `instance:${engine}:${instanceClass}:${deployment}`),
  /** RDS storage, USD per GB-month; storageType gp2 | gp3 | io1 | io2 | standard; deployment single-az | multi-az. */
  rdsStorage: (region: string, storageType: string, deployment: string) =>
    q('AmazonRDS', region, `storage:${storageType}:${deployment}`),
  /** RDS provisioned IOPS, USD per IOPS-month. */
  rdsIops: (region: string, storageType: string, deployment: string) =>
    q('AmazonRDS', region, `iops:${storageType}:${deployment}`),
  /** ElastiCache node-hours; engine redis | valkey | memcached; nodeType `cache.r7g.large`. */
  elasticacheNode: (region: string, engine: string, nodeType: string) =>
    q('AmazonElastiCache', region, `node:${engine}:${nodeType}`),

  // Serverless and logs --------------------------------------------------------------------
  lambdaRequests: (region: string) => q('AWSLambda', region, 'requests'),
  /** Lambda duration, USD per GB-second, tiered; arch x86 | arm. */
  lambdaDuration: (region: string, arch: 'x86' | 'arm' = 'x86') => q('AWSLambda', region, `duration:${arch}`),
  lambdaProvisionedConcurrency: (region: string, arch: 'x86' | 'arm' = 'x86') =>
    q('AWSLambda', region, `provisioned-concurrency:${arch}`),
  /** Duration of invocations served by provisioned concurrency, USD per GB-second (not tiered). */
  lambdaProvisionedDuration: (region: string, arch: 'x86' | 'arm' = 'x86') =>
    q('AWSLambda', region, `provisioned-duration:${arch}`),
  /** CloudWatch Logs ingestion (USD per GB) and storage (USD per GB-month). */
  cloudwatchLogsIngest: (region: string) => q('AmazonCloudWatch', region, 'logs:ingest'),
  cloudwatchLogsStorage: (region: string) => q('AmazonCloudWatch', region, 'logs:storage'),

  // SageMaker ------------------------------------------------------------------------------
  /** SageMaker instance-hours per usage; instanceType keeps the `ml.` prefix. */
  sagemakerInstance: (region: string, usage: SageMakerUsage, instanceType: string) =>
    q('AmazonSageMaker', region, `${usage}:${instanceType}`),

  // GitHub Actions (not AWS; region is always `global`) ----------------------------------
  /** GitHub-hosted runner, USD per minute; runner id as in the price table (e.g. `linux-2-core`). */
  githubRunner: (runner: string) => q('GitHubActions', 'global', `runner:${runner}`),
} as const;
