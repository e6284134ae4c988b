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

/**
 * Every service code a price key uses (AWS Price List service codes, plus GitHubActions). The
 * `pricing:` section of `.mlcost.yml` checks service names against this list.
 */
export const PRICE_SERVICES = [
  'AWSDataTransfer',
  'AWSELB',
  'AWSLambda',
  'AmazonCloudWatch',
  'AmazonEC2',
  'AmazonECS',
  'AmazonEFS',
  'AmazonEKS',
  'AmazonElastiCache',
  'AmazonFSx',
  'AmazonKinesis',
  'AmazonMSK',
  'AmazonRDS',
  'AmazonS3',
  'AmazonSageMaker',
  'AmazonVPC',
  'ElasticMapReduce',
  'GitHubActions',
] as const;
export type PriceService = (typeof PRICE_SERVICES)[number];

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
  /** Gateway Load Balancer endpoint, USD per endpoint-hour (`hour`) or per GB processed (`gb`). */
  vpcEndpointGwlb: (region: string, dimension: 'hour' | 'gb') => q('AmazonVPC', region, `vpc-endpoint:gwlb:${dimension}`),
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
  /** Fargate Spot, USD per vCPU-hour / GB-hour; arch x86 | arm. */
  fargateSpotVcpu: (region: string, arch: 'x86' | 'arm' = 'x86') => q('AmazonECS', region, `fargate-spot:vcpu:${arch}`),
  fargateSpotMemory: (region: string, arch: 'x86' | 'arm' = 'x86') => q('AmazonECS', region, `fargate-spot:memory:${arch}`),
  /** Fargate Windows tasks: vcpu (USD per vCPU-hour), memory (per GB-hour), os-license (per vCPU-hour). */
  fargateWindows: (region: string, dimension: 'vcpu' | 'memory' | 'os-license') => q('AmazonECS', region, `fargate:windows:${dimension}`),

  // EMR ------------------------------------------------------------------------------------
  /** EMR fee on top of the EC2 price, USD per instance-hour of each cluster instance. */
  emrFee: (region: string, instanceType: string) => q('ElasticMapReduce', region, `fee:${instanceType}`),

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
  /** EFS data access of a colder class (ia | one-zone-ia | archive), USD per GB read or written. */
  efsAccess: (region: string, storageClass: string, direction: 'read' | 'write') =>
    q('AmazonEFS', region, `access:${storageClass}:${direction}`),
  /** EFS Elastic Throughput, USD per GB read or written. */
  efsElasticThroughput: (region: string, direction: 'read' | 'write') => q('AmazonEFS', region, `elastic-throughput:${direction}`),
  /**
   * FSx for Lustre storage, USD per GB-month of provisioned capacity, by deployment type
   * (SCRATCH_1 | SCRATCH_2 | PERSISTENT_1 | PERSISTENT_2) and, for persistent file systems, the
   * per-unit storage throughput in MB/s per TiB (50, 100, 200; 125, 250, 500, 1000; HDD 12, 40).
   */
  fsxLustreStorage: (region: string, deploymentType: string, throughput?: number) =>
    q('AmazonFSx', region, `lustre:storage:${deploymentType}${throughput === undefined ? '' : `:${throughput}`}`),
  /** FSx for Lustre SSD read cache of HDD file systems, USD per GB-month of cache. */
  fsxLustreSsdCache: (region: string) => q('AmazonFSx', region, 'lustre:hdd-ssd-cache'),
  /** FSx for Lustre backups, USD per GB-month. */
  fsxLustreBackup: (region: string) => q('AmazonFSx', region, 'lustre:backup'),
  /** S3 lifecycle transition requests into a storage class, USD per request. */
  s3LifecycleTransition: (region: string, storageClass: string) => q('AmazonS3', region, `lifecycle-transition:${storageClass}`),

  // Databases ------------------------------------------------------------------------------
  /**
   * RDS instance-hours; engine mysql | postgres (others as Terraform spells them: mariadb, oracle-se2,
   * sqlserver-se..., license included); deployment single-az | multi-az | multi-az-cluster (the
   * multi-az-cluster price is per cluster-hour: one writer and two readable standbys).
   */
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
  /** ElastiCache backup storage beyond the free one per cluster, USD per GB-month. */
  elasticacheBackupStorage: (region: string) => q('AmazonElastiCache', region, 'backup-storage'),
  /** RDS gp3 storage throughput above the included baseline, USD per MiB/s-month. */
  rdsThroughput: (region: string, storageType: string, deployment: string) =>
    q('AmazonRDS', region, `throughput:${storageType}:${deployment}`),
  /** RDS magnetic (standard) storage I/O, USD per request. */
  rdsIoRequests: (region: string) => q('AmazonRDS', region, 'io:standard'),
  /** RDS backup storage beyond the free 100% of provisioned storage, USD per GB-month. */
  rdsBackupStorage: (region: string) => q('AmazonRDS', region, 'backup-storage'),
  /**
   * Aurora instance-hours; engine aurora-mysql | aurora-postgresql; storage configuration
   * `standard` (Aurora Standard) | `io-optimized` (Aurora I/O-Optimized).
   */
  auroraInstance: (region: string, engine: string, instanceClass: string, storage: 'standard' | 'io-optimized') =>
    q('AmazonRDS', region, `aurora:instance:${engine}:${instanceClass}:${storage}`),
  /** Aurora Serverless capacity, USD per ACU-hour; version v1 (engine_mode serverless) | v2 (db.serverless). */
  auroraServerless: (region: string, engine: string, version: 'v1' | 'v2', storage: 'standard' | 'io-optimized') =>
    q('AmazonRDS', region, `aurora:serverless-${version}:${engine}:${storage}`),
  /** Aurora cluster storage, USD per GB-month. */
  auroraStorage: (region: string, storage: 'standard' | 'io-optimized') => q('AmazonRDS', region, `aurora:storage:${storage}`),
  /** Aurora Standard I/O, USD per request (I/O-Optimized includes I/O). */
  auroraIo: (region: string) => q('AmazonRDS', region, 'aurora:io'),

  // Streaming ------------------------------------------------------------------------------
  /** MSK broker instance-hours; instanceType as Terraform spells it (`kafka.m5.large`, `express.m7g.large`). */
  mskBroker: (region: string, instanceType: string) => q('AmazonMSK', region, `broker:${instanceType}`),
  /** MSK storage, USD per GB-month: provisioned EBS of standard brokers, or storage used by express brokers. */
  mskStorage: (region: string, broker: 'standard' | 'express') => q('AmazonMSK', region, `storage:${broker}`),
  /** MSK provisioned storage throughput above the 250 MiB/s baseline, USD per MiB/s-month. */
  mskProvisionedThroughput: (region: string) => q('AmazonMSK', region, 'provisioned-throughput'),
  /** MSK Express brokers, data written, USD per GB. */
  mskExpressDataIn: (region: string) => q('AmazonMSK', region, 'express:data-in'),
  /**
   * Kinesis Data Streams. provisioned: shard-hour | put-unit (per 25 KB PUT payload unit) |
   * extended-retention (per shard-hour) | long-term-retention (per GB-month) | long-term-retrieval (per GB) |
   * efo-consumer-hour | efo-data-out (per GB). on-demand: stream-hour | data-in | data-out (per GB) |
   * extended-retention | long-term-retention (per GB-month) | efo-data-out (per GB).
   */
  kinesisStream: (region: string, mode: 'provisioned' | 'on-demand', dimension: string) =>
    q('AmazonKinesis', region, `${mode}:${dimension}`),

  // Serverless and logs --------------------------------------------------------------------
  lambdaRequests: (region: string) => q('AWSLambda', region, 'requests'),
  /** Lambda duration, USD per GB-second, tiered; arch x86 | arm. */
  lambdaDuration: (region: string, arch: 'x86' | 'arm' = 'x86') => q('AWSLambda', region, `duration:${arch}`),
  lambdaProvisionedConcurrency: (region: string, arch: 'x86' | 'arm' = 'x86') =>
    q('AWSLambda', region, `provisioned-concurrency:${arch}`),
  /** Duration of invocations served by provisioned concurrency, USD per GB-second (not tiered). */
  lambdaProvisionedDuration: (region: string, arch: 'x86' | 'arm' = 'x86') =>
    q('AWSLambda', region, `provisioned-duration:${arch}`),
  /** Lambda ephemeral storage above the free 512 MB, USD per GB-second. */
  lambdaEphemeralStorage: (region: string, arch: 'x86' | 'arm' = 'x86') => q('AWSLambda', region, `ephemeral-storage:${arch}`),
  /** CloudWatch Logs ingestion (USD per GB) and storage (USD per GB-month). */
  cloudwatchLogsIngest: (region: string) => q('AmazonCloudWatch', region, 'logs:ingest'),
  cloudwatchLogsStorage: (region: string) => q('AmazonCloudWatch', region, 'logs:storage'),
  /** CloudWatch Logs ingestion into the Infrequent Access log class, USD per GB. */
  cloudwatchLogsIngestInfrequentAccess: (region: string) => q('AmazonCloudWatch', region, 'logs:ingest:infrequent-access'),
  /** CloudWatch Logs Insights queries, USD per GB scanned. */
  cloudwatchLogsInsights: (region: string) => q('AmazonCloudWatch', region, 'logs:insights'),

  // SageMaker ------------------------------------------------------------------------------
  /** SageMaker instance-hours per usage; instanceType keeps the `ml.` prefix. */
  sagemakerInstance: (region: string, usage: SageMakerUsage, instanceType: string) =>
    q('AmazonSageMaker', region, `${usage}:${instanceType}`),
  /**
   * SageMaker ML storage (General Purpose SSD volumes of notebook instances, endpoint instances,
   * training jobs, Studio spaces), USD per GB-month; `usage` is the component that bills it.
   */
  sagemakerStorage: (region: string, usage: SageMakerUsage | 'studio') => q('AmazonSageMaker', region, `ml-storage:${usage}`),
  /**
   * SageMaker Serverless Inference: `compute` and `provisioned-concurrency` in USD per GB-second
   * (memory x seconds), `data` (data processed in and out) in USD per GB.
   */
  sagemakerServerless: (region: string, dimension: 'compute' | 'provisioned-concurrency' | 'data') =>
    q('AmazonSageMaker', region, `serverless:${dimension}`),
  /** SageMaker Canvas workspace, USD per session-hour. */
  sagemakerCanvasSession: (region: string) => q('AmazonSageMaker', region, 'canvas:session-hour'),

  // GitHub Actions (not AWS; region is always `global`) ----------------------------------
  /** GitHub-hosted runner, USD per minute; runner id as in the price table (e.g. `linux-2-core`). */
  githubRunner: (runner: string) => q('GitHubActions', 'global', `runner:${runner}`),
} as const;
