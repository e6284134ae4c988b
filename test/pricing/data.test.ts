/**
 * Data, database and networking pricers against a small fake price book: what is billed, in what
 * quantity, what depends on usage and what stays unpriced (with its reason).
 */
import { describe, expect, it } from '@jest/globals';
import { priceResource } from '../../src/pricing/cost.js';
import { pricerFor } from '../../src/pricing/index.js';
import { lifecycleSplit } from '../../src/pricing/resources/aws_s3_bucket.js';
import type { Resource, Value } from '../../src/core/types.js';
import { unknown } from '../../src/core/types.js';
import { fakeBook } from '../helpers/fake-book.js';

const book = fakeBook({
  'AmazonEC2/us-east-1/ebs:snapshot:standard': 0.05,
  'AmazonEC2/us-east-1/ebs:snapshot:archive': 0.0125,
  'AmazonEFS/us-east-1/storage:standard': 0.3,
  'AmazonEFS/us-east-1/storage:ia': 0.016,
  'AmazonEFS/us-east-1/storage:one-zone': 0.16,
  'AmazonEFS/us-east-1/storage:one-zone-ia': 0.0133,
  'AmazonEFS/us-east-1/provisioned-throughput': 6,
  'AmazonRDS/us-east-1/instance:postgres:db.r6g.large:single-az': 0.225,
  'AmazonRDS/us-east-1/instance:postgres:db.r6g.large:multi-az': 0.45,
  'AmazonRDS/us-east-1/instance:mysql:db.m6gd.large:multi-az-cluster': 0.522,
  'AmazonRDS/us-east-1/storage:gp3:single-az': 0.115,
  'AmazonRDS/us-east-1/storage:gp2:single-az': 0.115,
  'AmazonRDS/us-east-1/storage:standard:single-az': 0.1,
  'AmazonRDS/us-east-1/storage:gp3:multi-az-cluster': 0.345,
  'AmazonRDS/us-east-1/iops:gp3:single-az': 0.02,
  'AmazonRDS/us-east-1/iops:gp3:multi-az-cluster': 0.06,
  'AmazonElastiCache/us-east-1/node:redis:cache.r7g.large': 0.219,
  'AmazonElastiCache/us-east-1/node:memcached:cache.t4g.medium': 0.065,
  'AWSELB/us-east-1/alb:hour': 0.0225,
  'AWSELB/us-east-1/alb:lcu': 0.008,
  'AWSELB/us-east-1/nlb:hour': 0.0225,
  'AWSELB/us-east-1/classic:hour': 0.025,
  'AWSELB/us-east-1/classic:gb': 0.008,
  'AmazonVPC/us-east-1/public-ipv4:in-use': 0.005,
  'AmazonVPC/us-east-1/public-ipv4:idle': 0.005,
  'AmazonVPC/us-east-1/vpc-endpoint:hour': 0.01,
  'AmazonVPC/us-east-1/vpc-endpoint:gb': { usd: 0.01, tiers: [{ upTo: 1048576, usd: 0.01 }, { upTo: 5242880, usd: 0.006 }, { upTo: null, usd: 0.004 }] },
  'AmazonCloudWatch/us-east-1/logs:ingest': 0.5,
  'AmazonCloudWatch/us-east-1/logs:storage': 0.03,
  'AmazonS3/us-east-1/storage:STANDARD': { usd: 0.023, tiers: [{ upTo: 51200, usd: 0.023 }, { upTo: 512000, usd: 0.022 }, { upTo: null, usd: 0.021 }] },
  'AmazonS3/us-east-1/storage:STANDARD_IA': 0.0125,
  'AmazonS3/us-east-1/storage:GLACIER': 0.0036,
  'AmazonS3/us-east-1/storage:DEEP_ARCHIVE': 0.00099,
  'AmazonS3/us-east-1/requests:STANDARD:tier1': 0.000005,
  'AmazonS3/us-east-1/requests:STANDARD:tier2': 0.0000004,
});

function resource(type: string, attributes: Record<string, Value>, extra: Partial<Resource> = {}): Resource {
  return { address: `${type}.test`, type, file: 'main.tf', line: 1, region: 'us-east-1', attributes, ...extra };
}

function price(r: Resource, usage: Record<string, unknown> = {}, others: Resource[] = []) {
  const pricer = pricerFor(r.type);
  if (!pricer) throw new Error(`no pricer for ${r.type}`);
  return priceResource(r, pricer, { book, usageFor: () => usage, resources: [r, ...others] });
}

const lines = (p: ReturnType<typeof price>) => p.costComponents.map((c) => [c.name, c.monthlyQuantity, c.monthlyCost]);

describe('aws_ebs_snapshot', () => {
  it('prices usage storage_gb at the archive rate when storage_tier is archive', () => {
    const p = price(resource('aws_ebs_snapshot', { volume_id: 'vol-1', storage_tier: 'archive' }), { storage_gb: 400 });
    expect(lines(p)).toEqual([['Snapshot storage (archive)', 400, 5]]);
  });

  it('depends on usage without storage_gb, and reports the source volume size', () => {
    const volume = resource('aws_ebs_volume', { size: 200, type: 'gp3' }, { address: 'aws_ebs_volume.data' });
    const p = price(resource('aws_ebs_snapshot', { volume_id: unknown('known after apply') }, { references: { volume_id: ['aws_ebs_volume.data'] } }), {}, [volume]);
    expect(p.monthlyCost).toBeNull();
    expect(p.unpriced).toEqual([]);
    expect(p.costComponents[0]).toMatchObject({ usageBased: true, usageKey: 'storage_gb', unitPrice: 0.05 });
    expect(p.details).toMatchObject({ volume: 'aws_ebs_volume.data', volumeSizeGb: 200 });
  });

  it('leaves an unknown storage tier unpriced with the reason', () => {
    const p = price(resource('aws_ebs_snapshot', { storage_tier: unknown('variable "tier" has no value') }), { storage_gb: 10 });
    expect(p.unpriced[0]!.reason).toBe('storage_tier is unknown: variable "tier" has no value');
  });
});

describe('aws_efs_file_system', () => {
  it('deducts the 50 KB/s per GB baseline from provisioned throughput, never below 0', () => {
    const fs = resource('aws_efs_file_system', { throughput_mode: 'provisioned', provisioned_throughput_in_mibps: 10 });
    // 1,000 GB include 50 MB/s, more than the 10 provisioned
    expect(lines(price(fs, { storage_gb: 1000 }))).toEqual([
      ['Storage (Standard)', 1000, 300],
      ['Provisioned throughput (above the storage baseline)', 0, 0],
    ]);
    const p = price(fs, { storage_gb: 100 });
    // 100 GB include 5 MB/s: (10 - 5) x $6
    expect(p.costComponents[1]).toMatchObject({ monthlyQuantity: 5, monthlyCost: 30 });
    expect(p.costComponents[1]!.assumption).toBeUndefined();
  });

  it('labels provisioned throughput billed in full when storage is not given', () => {
    const p = price(resource('aws_efs_file_system', { throughput_mode: 'provisioned', provisioned_throughput_in_mibps: 10 }));
    expect(p.costComponents[1]).toMatchObject({ monthlyQuantity: 10, monthlyCost: 60, assumption: expect.stringContaining('deducted only when usage storage_gb is given') });
  });

  it('uses One Zone classes and shows IA lines for a transition_to_ia policy', () => {
    const p = price(resource('aws_efs_file_system', { availability_zone_name: 'us-east-1a', lifecycle_policy: [{ transition_to_ia: 'AFTER_7_DAYS' }] }), {
      storage_gb: 100,
      infrequent_access_storage_gb: 1000,
    });
    expect(lines(p).slice(0, 2)).toEqual([
      ['Storage (One Zone)', 100, 16],
      ['Storage (One Zone-IA)', 1000, 13.3],
    ]);
    expect(p.unpriced.map((u) => u.component)).toEqual(['Reads (One Zone-IA)', 'Writes (One Zone-IA)']);
  });

  it('bills Elastic Throughput per GB read and written from usage', () => {
    const p = price(resource('aws_efs_file_system', { throughput_mode: 'elastic' }), { monthly_elastic_read_gb: 100 });
    expect(p.costComponents.map((c) => [c.name, c.usageKey, c.monthlyQuantity])).toEqual([
      ['Storage (Standard)', 'storage_gb', null],
      ['Elastic Throughput reads', 'monthly_elastic_read_gb', 100],
      ['Elastic Throughput writes', 'monthly_elastic_write_gb', null],
    ]);
  });
});

describe('aws_fsx_lustre_file_system', () => {
  it('asks for the price of the deployment type and throughput, unpriced while the snapshot lacks FSx', () => {
    const p = price(resource('aws_fsx_lustre_file_system', { storage_capacity: 1200, deployment_type: 'PERSISTENT_2', per_unit_storage_throughput: 125 }));
    expect(p.costComponents[0]).toMatchObject({ name: 'Storage capacity (PERSISTENT_2, 125 MB/s/TiB)', monthlyQuantity: 1200, monthlyCost: null });
    expect(p.unpriced[0]!.reason).toBe('no test price for lustre:storage:PERSISTENT_2:125 in us-east-1');
  });

  it('labels the SCRATCH_1 default and explains sizes that come from a backup', () => {
    expect(price(resource('aws_fsx_lustre_file_system', { storage_capacity: 1200 })).costComponents[0]!.assumption).toBe('deployment type SCRATCH_1 assumed (provider default)');
    const fromBackup = price(resource('aws_fsx_lustre_file_system', { backup_id: 'backup-1', deployment_type: 'SCRATCH_2' }));
    expect(fromBackup.unpriced[0]!.reason).toBe('storage capacity comes from the backup (not known statically)');
    const noThroughput = price(resource('aws_fsx_lustre_file_system', { storage_capacity: 1200, deployment_type: 'PERSISTENT_1' }));
    expect(noThroughput.unpriced[0]!.reason).toBe('per_unit_storage_throughput is not set');
  });
});

describe('aws_db_instance', () => {
  it('charges gp3 IOPS above 3,000 below 400 GB', () => {
    const p = price(resource('aws_db_instance', { engine: 'postgres', instance_class: 'db.r6g.large', allocated_storage: 100, storage_type: 'gp3', iops: 3500 }));
    expect(lines(p)).toEqual([
      ['Database instance (postgres, Single-AZ, db.r6g.large)', 730, 164.25],
      ['Storage (gp3, Single-AZ)', 100, 11.5],
      ['Provisioned IOPS (gp3 above the included baseline, Single-AZ)', 500, 10],
    ]);
  });

  it('labels the gp2 default and bills magnetic I/O from usage', () => {
    const gp2 = price(resource('aws_db_instance', { engine: 'postgres', instance_class: 'db.r6g.large', allocated_storage: 20 }));
    expect(gp2.costComponents[1]!.assumption).toBe('storage type gp2 assumed (provider default)');
    const magnetic = price(resource('aws_db_instance', { engine: 'postgres', instance_class: 'db.r6g.large', allocated_storage: 20, storage_type: 'standard' }), { monthly_standard_io_requests: 1000000 });
    expect(magnetic.costComponents[2]).toMatchObject({ name: 'I/O requests (magnetic)', monthlyQuantity: 1000000, usageKey: 'monthly_standard_io_requests' });
    expect(magnetic.unpriced).toEqual([{ component: 'I/O requests (magnetic)', reason: 'no test price for io:standard in us-east-1' }]);
  });

  it('shows additional backup storage only when usage gives it', () => {
    const db = resource('aws_db_instance', { engine: 'postgres', instance_class: 'db.r6g.large', allocated_storage: 20, storage_type: 'gp3' });
    expect(price(db).costComponents.map((c) => c.name)).not.toContain('Additional backup storage');
    expect(price(db, { additional_backup_storage_gb: 50 }).costComponents[2]).toMatchObject({ name: 'Additional backup storage', monthlyQuantity: 50 });
  });

  it('explains a replica whose source is not in the project, and Aurora engines', () => {
    const replica = price(resource('aws_db_instance', { replicate_source_db: 'arn:aws:rds:us-east-1:123:db:main', instance_class: 'db.r6g.large' }));
    expect(replica.unpriced.map((u) => u.reason)).toEqual([
      'engine comes from the source database (replicate_source_db), which is not in this project',
      'allocated storage comes from the source database, which is not in this project',
    ]);
    const aurora = price(resource('aws_db_instance', { engine: 'aurora-mysql', instance_class: 'db.r6g.large', allocated_storage: 20, storage_type: 'gp3' }));
    expect(aurora.unpriced[0]!.reason).toContain('aws_rds_cluster_instance');
  });

  it('leaves an instance class from a variable without a value unpriced, never $0', () => {
    const p = price(resource('aws_db_instance', { engine: 'postgres', instance_class: unknown('variable "class" has no value'), allocated_storage: 20, storage_type: 'gp3' }));
    expect(p.unpriced[0]).toEqual({ component: 'Database instance (postgres, Single-AZ, unknown class)', reason: 'instance_class is unknown: variable "class" has no value' });
    expect(p.monthlyCost).toBe(2.3);
  });
});

describe('aws_rds_cluster and aws_rds_cluster_instance', () => {
  it('prices a Multi-AZ DB cluster per cluster-hour with gp3 IOPS above the baseline', () => {
    const p = price(resource('aws_rds_cluster', { engine: 'mysql', db_cluster_instance_class: 'db.m6gd.large', storage_type: 'gp3', allocated_storage: 400, iops: 13000 }));
    expect(lines(p)).toEqual([
      ['Multi-AZ DB cluster (mysql, db.m6gd.large)', 730, 381.06],
      ['Storage (gp3, Multi-AZ DB cluster)', 400, 138],
      ['Provisioned IOPS (gp3 above the included baseline, Multi-AZ DB cluster)', 1000, 60],
    ]);
  });

  it('turns Aurora read/write requests per second into monthly I/O, saying what it assumed', () => {
    const p = price(resource('aws_rds_cluster', {}), { read_requests_per_sec: 10 });
    const io = p.costComponents.find((c) => c.name === 'I/O requests')!;
    expect(io).toMatchObject({ monthlyQuantity: 10 * 3600 * 730, assumption: 'write_requests_per_sec not given: 0 assumed' });
    expect(p.costComponents[0]!.name).toBe('Storage (Aurora Standard)');
    expect(p.details).toMatchObject({ engine: 'aurora-mysql' });
  });

  it('bills Serverless v1 ACU-hours and no I/O line for I/O-Optimized clusters', () => {
    const p = price(resource('aws_rds_cluster', { engine: 'aurora-postgresql', engine_mode: 'serverless', storage_type: 'aurora-iopt1' }), { capacity_units_per_hr: 8 });
    expect(p.costComponents.map((c) => [c.name, c.monthlyQuantity])).toEqual([
      ['Aurora Serverless v1 capacity (aurora-postgresql)', 5840],
      ['Storage (Aurora I/O-Optimized)', null],
    ]);
    expect(p.unpriced[0]!.reason).toBe('no test price for aurora:serverless-v1:aurora-postgresql:io-optimized in us-east-1');
  });

  it('prices a cluster instance with the storage configuration of its cluster', () => {
    const cluster = resource('aws_rds_cluster', { engine: 'aurora-postgresql', storage_type: 'aurora-iopt1' }, { address: 'aws_rds_cluster.main' });
    const inst = resource('aws_rds_cluster_instance', { engine: 'aurora-postgresql', instance_class: 'db.r6g.large', cluster_identifier: unknown('after apply') }, { references: { cluster_identifier: ['aws_rds_cluster.main'] } });
    const p = price(inst, {}, [cluster]);
    expect(p.unpriced).toEqual([{ component: 'Database instance (aurora-postgresql, Aurora I/O-Optimized, db.r6g.large)', reason: 'no test price for aurora:instance:aurora-postgresql:db.r6g.large:io-optimized in us-east-1' }]);
    const alone = price(resource('aws_rds_cluster_instance', { engine: 'aurora-mysql', instance_class: 'db.r6g.large' }));
    expect(alone.costComponents[0]!.assumption).toBe('Aurora Standard storage configuration assumed (the cluster is not in this project)');
  });
});

describe('ElastiCache', () => {
  it('labels a Memcached cluster without num_cache_nodes and counts backups beyond the free one', () => {
    const mc = price(resource('aws_elasticache_cluster', { engine: 'memcached', node_type: 'cache.t4g.medium' }));
    expect(mc.costComponents[0]).toMatchObject({ monthlyQuantity: 730, monthlyCost: 47.45, assumption: '1 node assumed (num_cache_nodes is not set)' });
    const redis = price(resource('aws_elasticache_cluster', { engine: 'redis', node_type: 'cache.r7g.large', snapshot_retention_limit: 3 }), { snapshot_storage_size_gb: 5 });
    expect(redis.costComponents[1]).toMatchObject({ name: 'Backup storage', monthlyQuantity: 10 });
  });

  it('explains a replica of a replication group that is not in the project', () => {
    const p = price(resource('aws_elasticache_cluster', { replication_group_id: 'existing-group' }));
    expect(p.unpriced[0]!.reason).toBe('engine comes from the replication group, which is not in this project');
  });

  it('reads the older cluster_mode block and labels missing replicas', () => {
    const p = price(resource('aws_elasticache_replication_group', { node_type: 'cache.r7g.large', engine: 'redis', cluster_mode: [{ num_node_groups: 2 }] }));
    expect(p.costComponents[0]).toMatchObject({ monthlyQuantity: 1460, assumption: '0 replicas per shard assumed (replicas_per_node_group is not set)' });
  });

  it('leaves an unknown shard count unpriced', () => {
    const p = price(resource('aws_elasticache_replication_group', { node_type: 'cache.r7g.large', num_node_groups: unknown('variable "shards" has no value'), replicas_per_node_group: 1 }));
    expect(p.unpriced[0]!.reason).toBe('num_node_groups is unknown: variable "shards" has no value');
    expect(p.costComponents[0]!.monthlyQuantity).toBeNull();
  });
});

describe('load balancers', () => {
  it('prices aws_lb and aws_alb alike, LCUs from usage', () => {
    const usage = { monthly_lcu_hours: 730 };
    const lb = price(resource('aws_lb', {}), usage);
    const alb = price(resource('aws_alb', {}), usage);
    expect(lines(lb)).toEqual([
      ['Application load balancer', 730, 16.425],
      ['Capacity units (LCU)', 730, 5.84],
    ]);
    expect(lines(alb)).toEqual(lines(lb));
  });

  it('leaves a load balancer type it does not know unpriced', () => {
    expect(price(resource('aws_lb', { load_balancer_type: 'quantum' })).unpriced[0]!.reason).toBe('unknown load_balancer_type "quantum"');
  });

  it('prices a classic load balancer and its data from usage', () => {
    expect(price(resource('aws_elb', {}), { monthly_data_processed_gb: 1000 }).monthlyCost).toBe(26.25);
  });
});

describe('aws_eip', () => {
  it('is in use when a load balancer subnet mapping allocates it', () => {
    const lb = resource('aws_lb', { load_balancer_type: 'network', subnet_mapping: [{ allocation_id: unknown('after apply') }] }, { address: 'aws_lb.nlb', references: { 'subnet_mapping.0.allocation_id': ['aws_eip.test'] } });
    const p = price(resource('aws_eip', { domain: 'vpc' }), {}, [lb]);
    expect(p.costComponents[0]).toMatchObject({ name: 'Public IPv4 address (in use)', monthlyCost: 3.65 });
    expect(p.costComponents[0]!.assumption).toBeUndefined();
    expect(p.details).toEqual({ state: 'in-use', stateFrom: 'aws_lb.nlb' });
  });

  it('assumes in use, labelled, when nothing attaches it; usage can say idle', () => {
    expect(price(resource('aws_eip', {})).costComponents[0]!.assumption).toContain('in use assumed');
    expect(price(resource('aws_eip', {}), { state: 'idle' }).costComponents[0]).toMatchObject({ name: 'Public IPv4 address (idle)', monthlyCost: 3.65 });
  });

  it('charges nothing for a BYOIP address', () => {
    expect(price(resource('aws_eip', { public_ipv4_pool: 'ipv4pool-ec2-1' })).monthlyCost).toBe(0);
  });
});

describe('aws_vpc_endpoint', () => {
  it('prices interface endpoints per AZ and data by tier', () => {
    const p = price(resource('aws_vpc_endpoint', { vpc_endpoint_type: 'Interface', subnet_ids: ['a', 'b'] }), { monthly_data_processed_gb: 2000000 });
    // 1,048,576 GB x $0.01 + 951,424 GB x $0.006
    expect(lines(p)).toEqual([
      ['Interface endpoint (per AZ)', 1460, 14.6],
      ['Data processed', 2000000, 10485.76 + 5708.544],
    ]);
  });

  it('costs $0 for a gateway endpoint (the default type)', () => {
    const p = price(resource('aws_vpc_endpoint', { service_name: 'com.amazonaws.us-east-1.s3' }));
    expect(p.monthlyCost).toBe(0);
    expect(p.unpriced).toEqual([]);
  });

  it('counts subnet_configuration blocks, labels an empty subnet list and declares GWLB endpoints', () => {
    expect(price(resource('aws_vpc_endpoint', { vpc_endpoint_type: 'Interface', subnet_configuration: [{ subnet_id: 'a' }, { subnet_id: 'b' }, { subnet_id: 'c' }] })).costComponents[0]!.monthlyQuantity).toBe(2190);
    expect(price(resource('aws_vpc_endpoint', { vpc_endpoint_type: 'Interface', subnet_ids: [] })).costComponents[0]!.assumption).toBe('1 AZ assumed (subnet_ids is empty)');
    const gwlb = price(resource('aws_vpc_endpoint', { vpc_endpoint_type: 'GatewayLoadBalancer' }));
    expect(gwlb.unpriced[0]!.reason).toBe('no test price for vpc-endpoint:gwlb:hour in us-east-1');
  });
});

describe('aws_cloudwatch_log_group', () => {
  it('prices ingestion and storage from usage and shows Insights only when given', () => {
    const p = price(resource('aws_cloudwatch_log_group', { retention_in_days: 14 }), { monthly_data_ingested_gb: 10, storage_gb: 100 });
    expect(lines(p)).toEqual([
      ['Data ingested (Standard)', 10, 5],
      ['Archival storage', 100, 3],
    ]);
    expect(p.details).toEqual({ logGroupClass: 'STANDARD', retentionInDays: 14 });
    const scanned = price(resource('aws_cloudwatch_log_group', {}), { monthly_data_scanned_gb: 50 });
    expect(scanned.costComponents[2]).toMatchObject({ name: 'Logs Insights data scanned', monthlyQuantity: 50 });
    expect(scanned.details).toMatchObject({ retentionInDays: 'never expire' });
  });

  it('asks for the Infrequent Access ingestion price', () => {
    const p = price(resource('aws_cloudwatch_log_group', { log_group_class: 'INFREQUENT_ACCESS' }), { monthly_data_ingested_gb: 10 });
    expect(p.unpriced).toEqual([{ component: 'Data ingested (Infrequent Access)', reason: 'no test price for logs:ingest:infrequent-access in us-east-1' }]);
  });
});

describe('streaming', () => {
  it('declares MSK brokers, storage (default size labelled) and no throughput line at the baseline', () => {
    const p = price(resource('aws_msk_cluster', {
      number_of_broker_nodes: 3,
      broker_node_group_info: [{ instance_type: 'kafka.m7g.large', storage_info: [{ ebs_storage_info: [{ provisioned_throughput: [{ enabled: true, volume_throughput: 250 }] }] }] }],
    }));
    expect(p.costComponents.map((c) => [c.name, c.monthlyQuantity])).toEqual([
      ['Broker instances (kafka.m7g.large)', 2190],
      ['Broker storage', 3000],
    ]);
    expect(p.costComponents[1]!.assumption).toBe('1000 GB per broker assumed (MSK default volume size)');
    expect(p.unpriced[0]!.reason).toBe('no test price for broker:kafka.m7g.large in us-east-1');
  });

  it('bills Kinesis on-demand retention beyond 7 days from usage', () => {
    const p = price(resource('aws_kinesis_stream', { retention_period: 720, stream_mode_details: [{ stream_mode: 'ON_DEMAND' }] }), { monthly_on_demand_long_term_retention_gb: 300 });
    expect(p.costComponents.map((c) => [c.name, c.monthlyQuantity])).toEqual([
      ['Stream hours (on-demand)', 730],
      ['Data ingested', null],
      ['Data retrieved', null],
      ['Extended retention (up to 7 days)', null],
      ['Long-term retention (beyond 7 days)', 300],
    ]);
  });

  it('explains a provisioned stream whose shard count is unknown', () => {
    const p = price(resource('aws_kinesis_stream', { shard_count: unknown('variable "shards" has no value') }));
    expect(p.unpriced[0]).toEqual({ component: 'Shard hours', reason: 'shard_count is unknown: variable "shards" has no value' });
  });
});

describe('aws_s3_bucket with lifecycle rules', () => {
  const bucket = resource('aws_s3_bucket', { bucket: 'b' });
  function lifecycle(rule: Record<string, Value>[]): Resource {
    return resource('aws_s3_bucket_lifecycle_configuration', { bucket: unknown('after apply'), rule }, { address: 'aws_s3_bucket_lifecycle_configuration.test', references: { bucket: ['aws_s3_bucket.test'] } });
  }

  it('splits a total storage_gb by the rule, data written at a steady rate until expiration', () => {
    const config = lifecycle([{ id: 'r', status: 'Enabled', transition: [{ days: 30, storage_class: 'STANDARD_IA' }], expiration: [{ days: 120 }] }]);
    const p = price(bucket, { storage_gb: 1200 }, [config]);
    const storage = p.costComponents.filter((c) => c.name.startsWith('Storage'));
    // Standard 1,200 x 30/120 = 300 GB x $0.023; Standard-IA 900 GB x $0.0125
    expect(storage.map((c) => [c.name, c.monthlyQuantity, c.monthlyCost])).toEqual([
      ['Storage (Standard)', 300, 6.9],
      ['Storage (Standard-IA)', 900, 11.25],
    ]);
    expect(storage[0]!.assumption).toContain('days 0-30');
    expect(p.costComponents.map((c) => c.name)).toContain('Lifecycle transition requests (Standard-IA)');
  });

  it('shows the target classes as depending on usage when no usage is given', () => {
    const config = lifecycle([{ status: 'Enabled', transition: [{ days: 90, storage_class: 'GLACIER' }] }]);
    const p = price(bucket, {}, [config]);
    expect(p.costComponents.filter((c) => c.name.startsWith('Storage')).map((c) => [c.name, c.monthlyQuantity, c.usageKey])).toEqual([
      ['Storage (Standard)', null, 'standard.storage_gb'],
      ['Storage (Glacier Flexible Retrieval)', null, 'glacier_flexible_retrieval.storage_gb'],
    ]);
    expect(p.monthlyCost).toBeNull();
  });

  it('ignores disabled rules and puts a total in Standard, labelled, when nothing transitions', () => {
    const config = lifecycle([{ status: 'Disabled', transition: [{ days: 90, storage_class: 'GLACIER' }] }]);
    const p = price(bucket, { storage_gb: 100 }, [config]);
    expect(lines(p)[0]).toEqual(['Storage (Standard)', 100, 2.3]);
    expect(p.costComponents[0]!.assumption).toContain('all of storage_gb assumed in S3 Standard');
  });

  it('cannot split a total across several rules or date-based transitions, and says why', () => {
    const two = lifecycle([
      { id: 'a', status: 'Enabled', transition: [{ days: 30, storage_class: 'STANDARD_IA' }], expiration: [{ days: 60 }] },
      { id: 'b', status: 'Enabled', transition: [{ days: 90, storage_class: 'GLACIER' }], expiration: [{ days: 365 }] },
    ]);
    expect(price(bucket, { storage_gb: 100 }, [two]).unpriced[0]!.reason).toBe(
      'storage_gb cannot be split: 2 lifecycle rules transition objects ("a", "b"); give per-class storage (standard.storage_gb, ...)',
    );
    const dated = lifecycle([{ id: 'd', status: 'Enabled', transition: [{ date: '2026-01-01T00:00:00Z', storage_class: 'GLACIER' }] }]);
    expect(price(bucket, { storage_gb: 100 }, [dated]).unpriced[0]!.reason).toBe('storage_gb cannot be split: rule "d" transitions on a date, not after a number of days');
  });

  it('reads inline lifecycle_rule blocks (AWS provider v3) and lets per-class usage win', () => {
    const v3 = resource('aws_s3_bucket', { lifecycle_rule: [{ enabled: true, transition: [{ days: 180, storage_class: 'DEEP_ARCHIVE' }] }] });
    const p = price(v3, { storage_gb: 999, standard: { storage_gb: 100 }, glacier_deep_archive: { storage_gb: 1000 } });
    expect(p.costComponents.filter((c) => c.name.startsWith('Storage')).map((c) => [c.name, c.monthlyCost, c.assumption])).toEqual([
      ['Storage (Standard)', 2.3, undefined],
      ['Storage (Glacier Deep Archive)', 0.99, undefined],
    ]);
    expect(p.details).toMatchObject({ lifecycle: ['aws_s3_bucket.test'] });
  });

  it('splits by the younger of expiration and data_age_days', () => {
    const rule = { id: 'r', classes: ['GLACIER'], transitions: [{ days: 10, storageClass: 'GLACIER' }], expirationDays: 365, filtered: true };
    const split = lifecycleSplit(100, rule, 40);
    if (typeof split === 'string') throw new Error(split);
    expect([...split.gb]).toEqual([['STANDARD', 25], ['GLACIER', 75]]);
    expect(split.assumption.get('GLACIER')).toContain('the rule\'s filter assumed to cover the whole bucket');
    expect(lifecycleSplit(100, { ...rule, expirationDays: undefined }, undefined)).toContain('has no expiration');
  });
});

describe('settings that are set but unknown never fall back to the provider default', () => {
  const why = unknown('variable "x" has no value');
  it.each([
    ['aws_lb', { load_balancer_type: why }, 'load_balancer_type is unknown: variable "x" has no value'],
    ['aws_efs_file_system', { throughput_mode: why }, 'throughput_mode is unknown: variable "x" has no value'],
    ['aws_fsx_lustre_file_system', { storage_capacity: 1200, storage_type: why }, 'storage_type is unknown: variable "x" has no value'],
    ['aws_kinesis_stream', { stream_mode_details: [{ stream_mode: why }] }, 'stream_mode_details.0.stream_mode is unknown: variable "x" has no value'],
    ['aws_db_instance', { engine: 'postgres', instance_class: 'db.r6g.large', allocated_storage: 20, storage_type: why }, 'storage_type is unknown: variable "x" has no value'],
    ['aws_vpc_endpoint', { vpc_endpoint_type: why }, 'vpc_endpoint_type is unknown: variable "x" has no value'],
  ] as [string, Record<string, Value>, string][])('%s', (type, attributes, reason) => {
    expect(price(resource(type, attributes)).unpriced.map((u) => u.reason)).toContain(reason);
  });
});
