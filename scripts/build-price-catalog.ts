/**
 * Builds src/pricing/catalog/snapshot.json from the staged price data (../shared/pricing-data,
 * described in its README.md). Run with `npm run prices:build [-- --data <dir>] [--out <file>]
 * [--check] [--allow-missing]`.
 *
 * Every price is addressed with the helpers of src/pricing/keys.ts and keeps the date of the
 * data it came from: a source's own date, or a more precise per-entry date. Output is
 * deterministic (sorted keys, fixed number formatting), so rebuilding unchanged data gives a
 * byte-identical file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { InstanceSpec } from '../src/core/ports.js';
import type { PriceQuery } from '../src/core/types.js';
import { keys } from '../src/pricing/keys.js';
import {
  SNAPSHOT_SCHEMA,
  type Snapshot,
  type SnapshotGroup,
  type SnapshotSource,
  type SnapshotSpecGroup,
  type SnapshotSpotAdvisor,
  type SnapshotTier,
  type SnapshotValue,
} from '../src/pricing/catalog/price-book.js';
import { serializeSnapshot } from '../src/pricing/catalog/snapshot-format.js';

// ---------------------------------------------------------------------------------------------
// Units

const U = {
  hour: 'USD/hour',
  gbMonth: 'USD/GB-month',
  iopsMonth: 'USD/IOPS-month',
  mibpsMonth: 'USD/MiBps-month',
  request: 'USD/request',
  gb: 'USD/GB',
  lcuHour: 'USD/LCU-hour',
  vcpuHour: 'USD/vCPU-hour',
  gbHour: 'USD/GB-hour',
  gbSecond: 'USD/GB-second',
  minute: 'USD/minute',
} as const;

// ---------------------------------------------------------------------------------------------
// Sources. Provenance (repository, commit, path, date) as documented in the pricing-data
// README; dates marked `fromFile` are read from the data itself.

interface SourceDef {
  id: string;
  name: string;
  files: string[];
  origin: string;
  license?: string;
  note?: string;
  /** Fixed date (YYYY-MM-DD) when the file carries none of its own. */
  date?: string;
}

const F = {
  locations: 'aws-pricing-page-json/lamngockhuong/locations-name-to-region-code.json',
  karpenterPrices: 'ec2/karpenter-ondemand-linux-us-east-1.json',
  karpenterSpecs: 'ec2/instance-specs-karpenter.json',
  quinnypigEc2: 'ec2/quinnypig-ec2-ondemand-linux-by-region.json',
  opszero: 'ec2/opszero-ec2-ondemand-and-spot-avg-2024-04.json',
  spotAdvisor: 'spot/spotinfo-spot-advisor-data-2025-06.json',
  capacityBlocks: 'ec2/koyakimu-ec2-capacity-blocks-pricing-2026-07.json',
  ebs: 'ebs/rosa-calculator-ebs-calculator-2025-10.json',
  s3: 'aws-pricing-page-json/lamngockhuong/s3.json',
  deepArchive: 'aws-pricing-page-json/quinnypig/s3glacierdeeparchive.json',
  eks: 'aws-pricing-page-json/lamngockhuong/eks.json',
  ecs: 'aws-pricing-page-json/lamngockhuong/ecs.json',
  nat: 'aws-pricing-page-json/lamngockhuong/natgateway.json',
  vpc: 'aws-pricing-page-json/lamngockhuong/vpc.json',
  efs: 'aws-pricing-page-json/lamngockhuong/efs.json',
  lambda: 'aws-pricing-page-json/lamngockhuong/lambda.json',
  cloudwatch: 'aws-pricing-page-json/lamngockhuong/cloudwatch.json',
  elb: 'aws-pricing-page-json/quinnypig/elb.json',
  rdsStorage: 'aws-pricing-page-json/quinnypig/rds-storage.json',
  dataTransfer: 'aws-pricing-page-json/quinnypig/processed-datatransfer.json',
  elasticacheQp: 'aws-pricing-page-json/quinnypig/processed-elasticache.json',
  elasticacheLc: 'elasticache/leanercloud-elasticache-instances.json',
  studio: 'aws-pricing-page-json/quinnypig/processed-sagemaker-instances-studionotebook.json',
  rdsMysql: 'rds/quinnypig-rds-mysql-ondemand.json',
  rdsPostgres: 'rds/quinnypig-rds-postgresql-ondemand.json',
  sagemaker: 'sagemaker/sagemaker-prices-consensus.json',
  github: 'github-actions/github-actions-runner-prices.json',
} as const;

const LAMNGOCKHUONG = 'lamngockhuong/aws-price@508fb45296c8';
const QUINNYPIG_RAW = 'QuinnyPig/aws-price-watcher@a6645eb2e53e';
const AWS_PAGE = "mirror of AWS's aws.amazon.com pricing-page JSON";

const SOURCE_DEFS: SourceDef[] = [
  {
    id: 'karpenter-ec2-ondemand',
    name: 'Karpenter generated EC2 on-demand price table (Linux, shared tenancy), built from the AWS Price List API',
    files: [F.karpenterPrices],
    origin: 'aws/karpenter-provider-aws@6fc13b5236fd pkg/providers/pricing/zz_generated.pricing_aws.go',
    license: 'Apache-2.0',
  },
  {
    id: 'karpenter-instance-types',
    name: 'Karpenter instance-type reference (EC2 DescribeInstanceTypes specs)',
    files: [F.karpenterSpecs],
    origin: 'aws/karpenter-provider-aws@692ccdd0629e website/content/en/docs/reference/instance-types.md',
    license: 'Apache-2.0',
  },
  {
    id: 'quinnypig-ec2-ondemand',
    name: 'EC2 on-demand Linux prices by location (processed AWS pricing-page data)',
    files: [F.quinnypigEc2],
    origin: `QuinnyPig/aws-price-watcher@07c8174c4b4c processed/ec2.json (${AWS_PAGE})`,
    license: 'MIT',
    date: '2025-06-13',
  },
  {
    id: 'opszero-ec2',
    name: 'ec2instances.info opszero export (specs only; its on-demand prices predate the 2025 GPU price cut)',
    files: [F.opszero],
    origin: 'vantage-sh/ec2instances.info@a19cd859f059 (develop) opszero-app/instances.json',
    license: 'MIT',
    date: '2024-04-04',
  },
  {
    id: 'aws-spot-advisor',
    name: 'AWS Spot Instance Advisor data (savings over on-demand, interruption frequency)',
    files: [F.spotAdvisor],
    origin:
      'alexei-led/spotinfo@5eedf20a9961 internal/spot/data/spot-advisor-data.json (verbatim copy of https://spot-bid-advisor.s3.amazonaws.com/spot-advisor-data.json)',
    license: 'Apache-2.0',
    note: 'The file has no date of its own; the date is the commit that embedded it.',
    date: '2025-06-28',
  },
  {
    id: 'koyakimu-capacity-blocks',
    name: 'EC2 Capacity Blocks for ML prices (scraped monthly from aws.amazon.com/ec2/capacityblocks/pricing; unofficial)',
    files: [F.capacityBlocks],
    origin: 'koyakimu/ec2-capacity-blocks-for-ml-pricing-json@15ff21ed9ce2 data/pricing.json',
    note: 'Capacity Block rates change month to month.',
  },
  {
    id: 'aws-ebs-calculator',
    name: 'AWS EBS pricing-page data (ebs-calculator.json)',
    files: [F.ebs],
    origin: `jimgarrett123/rosa-calculator@78e72bb06fa2 price/data/ebs.json (${AWS_PAGE})`,
  },
  { id: 'aws-s3', name: 'AWS S3 pricing-page data', files: [F.s3], origin: `${LAMNGOCKHUONG} lib/data/pricing/s3.json (${AWS_PAGE})`, license: 'MIT' },
  {
    id: 'aws-s3-deep-archive',
    name: 'AWS S3 Glacier Deep Archive pricing-page data',
    files: [F.deepArchive],
    origin: `${QUINNYPIG_RAW} raw/s3glacierdeeparchive.json (${AWS_PAGE})`,
    license: 'MIT',
  },
  { id: 'aws-eks', name: 'AWS EKS pricing-page data', files: [F.eks], origin: `${LAMNGOCKHUONG} lib/data/pricing/eks.json (${AWS_PAGE})`, license: 'MIT' },
  { id: 'aws-ecs', name: 'AWS ECS/Fargate pricing-page data', files: [F.ecs], origin: `${LAMNGOCKHUONG} lib/data/pricing/ecs.json (${AWS_PAGE})`, license: 'MIT' },
  {
    id: 'aws-natgateway',
    name: 'AWS NAT gateway pricing-page data',
    files: [F.nat],
    origin: `${LAMNGOCKHUONG} lib/data/pricing/natgateway.json (${AWS_PAGE})`,
    license: 'MIT',
  },
  { id: 'aws-vpc', name: 'AWS VPC pricing-page data', files: [F.vpc], origin: `${LAMNGOCKHUONG} lib/data/pricing/vpc.json (${AWS_PAGE})`, license: 'MIT' },
  { id: 'aws-efs', name: 'AWS EFS pricing-page data', files: [F.efs], origin: `${LAMNGOCKHUONG} lib/data/pricing/efs.json (${AWS_PAGE})`, license: 'MIT' },
  { id: 'aws-lambda', name: 'AWS Lambda pricing-page data', files: [F.lambda], origin: `${LAMNGOCKHUONG} lib/data/pricing/lambda.json (${AWS_PAGE})`, license: 'MIT' },
  {
    id: 'aws-cloudwatch',
    name: 'AWS CloudWatch pricing-page data',
    files: [F.cloudwatch],
    origin: `${LAMNGOCKHUONG} lib/data/pricing/cloudwatch.json (${AWS_PAGE})`,
    license: 'MIT',
  },
  { id: 'aws-elb', name: 'AWS Elastic Load Balancing pricing-page data', files: [F.elb], origin: `${QUINNYPIG_RAW} raw/elb.json (${AWS_PAGE})`, license: 'MIT' },
  {
    id: 'aws-rds-storage',
    name: 'AWS RDS storage and I/O pricing-page data',
    files: [F.rdsStorage],
    origin: `${QUINNYPIG_RAW} raw/rds-storage.json (${AWS_PAGE})`,
    license: 'MIT',
  },
  {
    id: 'aws-datatransfer',
    name: 'AWS data transfer prices (processed pricing-page data)',
    files: [F.dataTransfer],
    origin: `QuinnyPig/aws-price-watcher@daa3fca processed/datatransfer.json (${AWS_PAGE})`,
    license: 'MIT',
    note: 'The account-wide free 100 GB/month of internet egress is not included; inter-AZ transfer is not in the data.',
    date: '2025-06-05',
  },
  {
    id: 'aws-elasticache',
    name: 'AWS ElastiCache node prices (processed pricing-page data)',
    files: [F.elasticacheQp],
    origin: `${QUINNYPIG_RAW} processed/elasticache.json (${AWS_PAGE})`,
    license: 'MIT',
    date: '2025-06-05',
  },
  {
    id: 'leanercloud-elasticache',
    name: 'ec2instances.info ElastiCache data (used only where the newer aws-elasticache lacks an entry)',
    files: [F.elasticacheLc],
    origin: 'LeanerCloud/ec2-instances-info@f9eafba8b0c9 data/elasticache-instances.json',
    license: 'MIT (data) / Unlicense (repo)',
    date: '2025-04-24',
  },
  {
    id: 'aws-rds-mysql',
    name: 'AWS RDS for MySQL on-demand instance prices (processed pricing-page data)',
    files: [F.rdsMysql],
    origin: `${QUINNYPIG_RAW} processed/rds-mysql-ondemand.json, last changed 9ce8f7ff2526 (${AWS_PAGE})`,
    license: 'MIT',
    date: '2025-06-05',
  },
  {
    id: 'aws-rds-postgresql',
    name: 'AWS RDS for PostgreSQL on-demand instance prices (processed pricing-page data)',
    files: [F.rdsPostgres],
    origin: `${QUINNYPIG_RAW} processed/rds-postgresql-ondemand.json, last changed 9ce8f7ff2526 (${AWS_PAGE})`,
    license: 'MIT',
    date: '2025-06-05',
  },
  {
    id: 'sagemaker-consensus',
    name: 'SageMaker AI on-demand prices, consensus of independent public sources (pricing-data section 10)',
    files: [F.sagemaker],
    origin: 'pricing-data sagemaker/sagemaker-prices-consensus.json (20 sources listed in the file)',
    note: 'Each price carries the date of the newest source backing it; the source date here is the newest of them.',
  },
  {
    id: 'aws-sagemaker-studio',
    name: 'AWS SageMaker Studio-Notebook prices (processed pricing-page data, after the 2025-06 GPU price cut)',
    files: [F.studio],
    origin: `QuinnyPig/aws-price-watcher@e1aca75 processed/sagemaker-instances-studionotebook.json (${AWS_PAGE})`,
    license: 'MIT',
    date: '2025-06-06',
  },
  {
    id: 'github-docs-runners',
    name: 'GitHub Actions runner per-minute rates (from January 1, 2026)',
    files: [F.github],
    origin:
      'github/docs@0460e4095b13 content/billing/reference/actions-runner-pricing.md + github/docs@77c10b881f12 data/reusables/billing/actions-standard-runner-prices.md',
    license: 'CC-BY-4.0',
    note: 'The tables carry no date; the date is when the rates took effect.',
    date: '2026-01-01',
  },
];

// ---------------------------------------------------------------------------------------------
// Notes attached to entries

const NOTE = {
  spotKarpenter:
    'estimate: on-demand (karpenter-ec2-ondemand, 2026-07-20) x (1 - savings%/100) from the AWS Spot Instance Advisor (30-day average over AZs); not a market price',
  spotQuinnypig:
    'estimate: on-demand (quinnypig-ec2-ondemand, 2025-06-13) x (1 - savings%/100) from the AWS Spot Instance Advisor (30-day average over AZs); not a market price',
  gp3Throughput: 'converted from the source price per GiBps-month: divided by 1024 (MiB/s per GiB/s)',
  capacityBlock: 'EC2 Capacity Block for ML, per instance-hour; rates change monthly',
  efsIa: "the data's 'Infrequent Access ET Storage' meter (the current IA rate); its legacy 'Infrequent Access Storage' meter is higher",
  lambdaX86Tiers: 'tiers per month of x86 GB-seconds: first 6 billion, next 9 billion, over 15 billion (AWS Lambda pricing page)',
  lambdaArmTiers: 'tiers per month of Arm GB-seconds: first 7.5 billion, next 11.25 billion, over 18.75 billion (AWS Lambda pricing page)',
  studioNotebook:
    'SageMaker Studio-Notebook price (AWS pricing-page data), used as the notebook price; not a hosting or training price',
  elasticacheOlder: 'taken from the older leanercloud-elasticache data: the newer aws-elasticache data has no entry',
  dtInternet: 'internet egress tiers in GB per month; the free 100 GB/month is not deducted',
  eksFargate: 'from the EKS Fargate meters (same Fargate rates); the ECS data has no entry for this region',
  rdsStorageEngineFile: 'from the storage meters in the RDS engine price file (not in rds-storage.json)',
} as const;

const LAMBDA_TIERS = {
  x86: [6e9, 15e9],
  arm: [7.5e9, 18.75e9],
} as const;

// ---------------------------------------------------------------------------------------------
// Builder state

interface Entry {
  q: PriceQuery;
  value: SnapshotValue;
  source: string;
  unit: string;
  note?: string;
  date?: string;
}

export interface BuildOptions {
  /** Skip sources whose files are missing instead of failing (used with cut-down test data). */
  allowMissing?: boolean;
}

export interface BuildResult {
  snapshot: Snapshot;
  warnings: string[];
  /** Data files that were not found (only with allowMissing). */
  missing: string[];
}

type Json = unknown;
type Dict = Record<string, unknown>;

function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sortedEntries<T>(obj: Record<string, T>): [string, T][] {
  return Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Removes binary floating-point noise from computed prices (0.096 * 0.34 -> 0.03264). */
function clean(x: number): number {
  return Number(x.toPrecision(12));
}

function parsePrice(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? clean(n) : undefined;
}

function isoDate(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(v);
  return m?.[1];
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function buildPriceCatalog(dataDir: string, options: BuildOptions = {}): BuildResult {
  const warnings: string[] = [];
  const missing: string[] = [];
  const entries = new Map<string, Entry>();
  const sourceDates = new Map<string, string>();
  const usedFiles = new Set<string>();

  function readJson(file: string): Json | undefined {
    const full = path.join(dataDir, file);
    if (!existsSync(full)) {
      if (!options.allowMissing) throw new Error(`price data file missing: ${full} (use --allow-missing to skip it)`);
      missing.push(file);
      return undefined;
    }
    usedFiles.add(file);
    return JSON.parse(readFileSync(full, 'utf8')) as Json;
  }

  function setSourceDate(id: string, date: string | undefined): void {
    const def = SOURCE_DEFS.find((s) => s.id === id);
    const d = date ?? def?.date;
    if (d === undefined) throw new Error(`no date for source ${id}`);
    sourceDates.set(id, d);
  }

  function add(q: PriceQuery, value: SnapshotValue | undefined, meta: Omit<Entry, 'q' | 'value'>): boolean {
    if (value === undefined) return false;
    const id = `${q.service}\u0000${q.region}\u0000${q.key}`;
    const prior = entries.get(id);
    if (prior) {
      if (JSON.stringify(prior.value) !== JSON.stringify(value) && prior.source === meta.source) {
        warnings.push(`${meta.source}: conflicting values for ${q.service} ${q.region} ${q.key}: kept ${JSON.stringify(prior.value)}, ignored ${JSON.stringify(value)}`);
      }
      return false;
    }
    entries.set(id, { q, value, ...meta });
    return true;
  }

  // ----- locations
  const locationsJson = readJson(F.locations);
  const locations = new Map<string, string>();
  if (isDict(locationsJson)) {
    for (const [name, info] of sortedEntries(locationsJson)) {
      if (isDict(info) && typeof info.code === 'string') locations.set(name, info.code);
    }
  } else if (!options.allowMissing) {
    throw new Error('locations mapping unreadable');
  }
  const unknownLocations = new Set<string>();
  function regionOf(location: string): string | undefined {
    const code = locations.get(location);
    if (code === undefined) unknownLocations.add(location);
    return code;
  }

  /** Pricing-page JSON (`{manifest, regions: {location: {label: {price}}}}`): region code -> label -> price. */
  function readPage(file: string, sourceId: string): Map<string, Map<string, number>> | undefined {
    const json = readJson(file);
    if (json === undefined) return undefined;
    if (!isDict(json) || !isDict(json.regions) || !isDict(json.manifest)) throw new Error(`${file}: not pricing-page JSON`);
    setSourceDate(sourceId, isoDate(json.manifest.hawkFilePublicationDate));
    const out = new Map<string, Map<string, number>>();
    for (const [location, metrics] of sortedEntries(json.regions)) {
      const region = regionOf(location);
      if (region === undefined || !isDict(metrics)) continue;
      const m = new Map<string, number>();
      for (const [label, metric] of sortedEntries(metrics)) {
        const price = isDict(metric) ? parsePrice(metric.price) : undefined;
        if (price !== undefined) m.set(label, price);
      }
      out.set(region, m);
    }
    return out;
  }

  /** A tiered value from labelled tier prices; a plain number when only the first tier exists. */
  function tiers(metrics: Map<string, number>, spec: [string, number | null][], what: string): SnapshotValue | undefined {
    const values: SnapshotTier[] = [];
    for (const [label, upTo] of spec) {
      const v = metrics.get(label);
      if (v === undefined) break;
      values.push([upTo, v]);
    }
    if (values.length === 0) return undefined;
    if (values.length < spec.length) {
      warnings.push(`${what}: only ${values.length} of ${spec.length} tiers present; stored the first tier as a flat price`);
      return values[0]?.[1];
    }
    return values;
  }

  // ----- EC2 on-demand
  const karpenter = readJson(F.karpenterPrices);
  if (isDict(karpenter) && isDict(karpenter.prices) && typeof karpenter.region === 'string') {
    setSourceDate('karpenter-ec2-ondemand', isDict(karpenter._source) ? isoDate(karpenter._source.generatedAt) : undefined);
    for (const [type, usd] of sortedEntries(karpenter.prices)) {
      const price = parsePrice(usd);
      if (price !== undefined && price > 0) add(keys.ec2Instance(karpenter.region, type), price, { source: 'karpenter-ec2-ondemand', unit: U.hour });
    }
  }
  const quinnypigEc2 = readJson(F.quinnypigEc2);
  if (isDict(quinnypigEc2)) {
    setSourceDate('quinnypig-ec2-ondemand', undefined);
    for (const [label, byLocation] of sortedEntries(quinnypigEc2)) {
      const m = /^OnDemand Linux-instancetype-(.+)$/.exec(label);
      if (!m?.[1] || !isDict(byLocation)) continue;
      for (const [location, usd] of sortedEntries(byLocation)) {
        const region = regionOf(location);
        const price = parsePrice(usd);
        if (region === undefined || price === undefined || price <= 0) continue;
        add(keys.ec2Instance(region, m[1]), price, { source: 'quinnypig-ec2-ondemand', unit: U.hour });
      }
    }
  }

  // ----- instance specs
  const specGroups: { source: string; types: Record<string, InstanceSpec> }[] = [];
  const karpenterSpecs = readJson(F.karpenterSpecs);
  const specTypes = new Set<string>();
  if (isDict(karpenterSpecs) && isDict(karpenterSpecs.instanceTypes)) {
    setSourceDate('karpenter-instance-types', isDict(karpenterSpecs._source) ? isoDate(karpenterSpecs._source.fileCommitDate) : undefined);
    const types: Record<string, InstanceSpec> = {};
    for (const [type, raw] of sortedEntries(karpenterSpecs.instanceTypes)) {
      if (!isDict(raw) || typeof raw.vcpu !== 'number' || typeof raw.memoryMiB !== 'number') continue;
      const spec: InstanceSpec = {
        vcpu: raw.vcpu,
        memoryGiB: clean(raw.memoryMiB / 1024),
        gpuCount: typeof raw.gpuCount === 'number' ? raw.gpuCount : 0,
      };
      if (spec.gpuCount > 0) {
        if (typeof raw.gpuName === 'string') spec.gpuName = raw.gpuName;
        if (typeof raw.gpuMemoryMiBPerGpu === 'number') spec.gpuMemoryGiB = clean((raw.gpuMemoryMiBPerGpu * spec.gpuCount) / 1024);
      }
      if (typeof raw.acceleratorCount === 'number' && raw.acceleratorCount > 0) {
        spec.acceleratorCount = raw.acceleratorCount;
        if (typeof raw.acceleratorName === 'string') spec.acceleratorName = raw.acceleratorName;
      }
      if (typeof raw.arch === 'string') spec.arch = raw.arch;
      types[type] = spec;
      specTypes.add(type);
    }
    specGroups.push({ source: 'karpenter-instance-types', types });
  }
  const opszero = readJson(F.opszero);
  if (isDict(opszero) && Array.isArray(opszero.data)) {
    // Only for priced types Karpenter has no specs for (p3.*, dl1.24xlarge, older families).
    const priced = new Set<string>();
    for (const e of entries.values()) if (e.q.service === 'AmazonEC2' && e.q.key.startsWith('instance:')) priced.add(e.q.key.slice(9));
    const rows = new Map<string, Dict>();
    for (const row of opszero.data as unknown[]) {
      if (!isDict(row) || typeof row['instance-type'] !== 'string' || typeof row.region !== 'string') continue;
      const type = row['instance-type'];
      if (specTypes.has(type) || !priced.has(type)) continue;
      const prior = rows.get(type);
      // Prefer the us-east-1 row, else the first region in sort order.
      if (!prior || row.region === 'us-east-1' || (prior.region !== 'us-east-1' && String(row.region) < String(prior.region))) rows.set(type, row);
    }
    const types: Record<string, InstanceSpec> = {};
    for (const [type, row] of [...rows].sort(([a], [b]) => compareStrings(a, b))) {
      const vcpu = Number(row.vCPU);
      const memory = Number(row.memory);
      if (!(vcpu > 0) || !(memory > 0)) continue;
      const gpus = Number(row.GPU) || 0;
      const spec: InstanceSpec = { vcpu, memoryGiB: memory, gpuCount: gpus };
      if (gpus > 0) {
        const gpuMemory = Number(row.GPU_memory);
        if (gpuMemory > 0) spec.gpuMemoryGiB = gpuMemory;
        // The pricing-data README: every p3 type carries NVIDIA V100 16 GB GPUs.
        if (type.startsWith('p3.')) spec.gpuName = 'v100';
      }
      if (row.arch === 'x86_64') spec.arch = 'amd64';
      else if (row.arch === 'arm64') spec.arch = 'arm64';
      types[type] = spec;
    }
    if (Object.keys(types).length > 0) {
      setSourceDate('opszero-ec2', undefined);
      specGroups.push({ source: 'opszero-ec2', types });
    }
  }

  // ----- spot advisor and spot estimates
  let spotAdvisor: { source: string; ranges: string[]; regions: Record<string, Record<string, [number, number]>> } | undefined;
  const advisor = readJson(F.spotAdvisor);
  if (isDict(advisor) && isDict(advisor.spot_advisor) && Array.isArray(advisor.ranges)) {
    setSourceDate('aws-spot-advisor', undefined);
    const advisorDate = sourceDates.get('aws-spot-advisor') ?? '';
    const ranges: string[] = [];
    for (const r of advisor.ranges as unknown[]) {
      if (isDict(r) && typeof r.index === 'number' && typeof r.label === 'string') ranges[r.index] = r.label;
    }
    const regions: Record<string, Record<string, [number, number]>> = {};
    for (const [region, byOs] of sortedEntries(advisor.spot_advisor)) {
      if (!isDict(byOs) || !isDict(byOs.Linux)) continue;
      const types: Record<string, [number, number]> = {};
      for (const [type, adv] of sortedEntries(byOs.Linux)) {
        if (!isDict(adv) || typeof adv.s !== 'number' || typeof adv.r !== 'number') continue;
        types[type] = [adv.s, adv.r];
        const od = entries.get(`AmazonEC2\u0000${region}\u0000instance:${type}`);
        if (od && typeof od.value === 'number') {
          const odDate = sourceDates.get(od.source) ?? '';
          const date = odDate < advisorDate ? odDate : advisorDate;
          add(keys.ec2Spot(region, type), clean(od.value * (1 - adv.s / 100)), {
            source: 'aws-spot-advisor',
            unit: U.hour,
            note: od.source === 'karpenter-ec2-ondemand' ? NOTE.spotKarpenter : NOTE.spotQuinnypig,
            date,
          });
        }
      }
      regions[region] = types;
    }
    spotAdvisor = { source: 'aws-spot-advisor', ranges, regions };
  }

  // ----- capacity blocks
  const capacity = readJson(F.capacityBlocks);
  if (isDict(capacity) && isDict(capacity.instance_types)) {
    setSourceDate('koyakimu-capacity-blocks', isDict(capacity.metadata) ? isoDate(capacity.metadata.last_updated) : undefined);
    for (const [type, info] of sortedEntries(capacity.instance_types)) {
      if (!isDict(info) || !Array.isArray(info.pricing)) continue;
      for (const row of info.pricing as unknown[]) {
        if (!isDict(row) || typeof row.region_code !== 'string') continue;
        const price = parsePrice(row.hourly_rate_usd);
        if (price === undefined || price <= 0) continue;
        add(keys.ec2CapacityBlock(row.region_code, type), price, { source: 'koyakimu-capacity-blocks', unit: U.hour, note: NOTE.capacityBlock });
      }
    }
  }

  // ----- EBS
  const ebs = readPage(F.ebs, 'aws-ebs-calculator');
  if (ebs) {
    const src = { source: 'aws-ebs-calculator' };
    const storage: [string, string][] = [
      ['gp2', 'Storage General Purpose gp2 GB Mo'],
      ['gp3', 'Storage General Purpose gp3 GB Mo'],
      ['io1', 'Storage Provisioned IOPS io1 GB Mo'],
      ['io2', 'Storage Provisioned IOPS io2 GB month'],
      ['st1', 'Storage Throughput Optimized HDD st1 GB Mo'],
      ['sc1', 'Storage Cold HDD sc1 GB Mo'],
      ['standard', 'Storage Magnetic standard GB Mo'],
    ];
    for (const [region, m] of ebs) {
      for (const [type, label] of storage) add(keys.ebsStorage(region, type), m.get(label), { ...src, unit: U.gbMonth });
      add(keys.ebsIops(region, 'gp3'), m.get('Provisioned EBS IOPS gp3 Volumes per IOPS Mo'), { ...src, unit: U.iopsMonth });
      add(keys.ebsIops(region, 'io1'), m.get('Provisioned EBS IOPS io1 Volumes per IOPS Mo'), { ...src, unit: U.iopsMonth });
      add(
        keys.ebsIops(region, 'io2'),
        tiers(
          m,
          [
            ['Provisioned EBS IOPS io2 Volumes per IOPS Mo', 32000],
            ['Provisioned EBS IOPS Tier 2 io2 Volumes per IOPS Mo', 64000],
            ['Provisioned EBS IOPS Tier 3 io2 Volumes per IOPS Mo', null],
          ],
          `EBS io2 IOPS ${region}`,
        ),
        { ...src, unit: U.iopsMonth },
      );
      const gibps = m.get('Provisioned Throughput gp3 per GiBps mo');
      if (gibps !== undefined) add(keys.ebsThroughput(region, 'gp3'), clean(gibps / 1024), { ...src, unit: U.mibpsMonth, note: NOTE.gp3Throughput });
      add(keys.ebsIoRequests(region), m.get('Provisioned EBS I O Requests standard Volumes per IOs'), { ...src, unit: U.request });
      add(keys.ebsSnapshot(region, 'standard'), m.get('Storage Snapshot Amazon S3 GB Mo'), { ...src, unit: U.gbMonth });
      add(keys.ebsSnapshot(region, 'archive'), m.get('Storage Snapshot Amazon S3 SnapshotArchiveStorage GB Mo'), { ...src, unit: U.gbMonth });
    }
  }

  // ----- S3
  const TB50 = 51200;
  const TB500 = 512000;
  const s3 = readPage(F.s3, 'aws-s3');
  if (s3) {
    const src = { source: 'aws-s3' };
    const flat: [string, string][] = [
      ['STANDARD_IA', 'Standard Infrequent Access Storage per GB-Mo'],
      ['ONEZONE_IA', 'One Zone Infrequent Access Storage Inf per GB-Mo'],
      ['GLACIER_IR', 'Glacier Instant Retrieval Storage'],
      ['GLACIER', 'Glacier Storage per GB Mo'],
      ['EXPRESS_ONEZONE', 'Express One Zone Storage Inf per GB Mo'],
    ];
    const requests: [string, string, string][] = [
      ['STANDARD', 'PUT COPY/POST or LIST requests per Requests', 'GET and all other requests per Requests'],
      [
        'STANDARD_IA',
        'PUT COPY/POST or LIST requests to Standard Infrequent Access per Requests',
        'GET and all other requests to Standard Infrequent Access per Requests',
      ],
      [
        'ONEZONE_IA',
        'PUT COPY/POST or LIST requests to One Zone Infrequent Access per Requests',
        'GET and all other requests to One Zone Infrequent Access per Requests',
      ],
      [
        'INTELLIGENT_TIERING',
        'PUT COPY/POST or LIST requests to Intelligent Tiering per Requests',
        'GET and all other requests to Intelligent Tiering per Requests',
      ],
      [
        'GLACIER_IR',
        'PUT COPY/POST or LIST requests to Glacier Instant Retrieval per Requests',
        'GET and all other requests to Glacier Instant Retrieval per Requests',
      ],
      ['GLACIER', 'PUT requests to Glacier per Requests', 'GET and all other requests to GLACIER per Requests'],
      [
        'EXPRESS_ONEZONE',
        'PUT COPY/POST or LIST requests to Express One Zone per Requests',
        'GET and all other requests to Express One Zone per Requests',
      ],
    ];
    for (const [region, m] of s3) {
      add(
        keys.s3Storage(region, 'STANDARD'),
        tiers(
          m,
          [
            ['Standard Storage First 50 TB per GB Mo', TB50],
            ['Standard Storage Next 450 TB per GB Mo', TB500],
            ['Standard Storage Over 500 TB per GB Mo', null],
          ],
          `S3 STANDARD ${region}`,
        ),
        { ...src, unit: U.gbMonth },
      );
      add(
        keys.s3Storage(region, 'INTELLIGENT_TIERING'),
        tiers(
          m,
          [
            ['Intelligent Tiering Frequent Access First 50 TB per GB Mo', TB50],
            ['Intelligent Tiering Frequent Access Next 450 TB per GB Mo', TB500],
            ['Intelligent Tiering Frequent Access Over 500 TB per GB Mo', null],
          ],
          `S3 INTELLIGENT_TIERING ${region}`,
        ),
        { ...src, unit: U.gbMonth, note: 'Frequent Access tier storage; monitoring and the colder tiers are not included' },
      );
      for (const [cls, label] of flat) add(keys.s3Storage(region, cls), m.get(label), { ...src, unit: U.gbMonth });
      for (const [cls, t1, t2] of requests) {
        add(keys.s3Requests(region, cls, 'tier1'), m.get(t1), { ...src, unit: U.request });
        add(keys.s3Requests(region, cls, 'tier2'), m.get(t2), { ...src, unit: U.request });
      }
      add(keys.s3Requests(region, 'DEEP_ARCHIVE', 'tier2'), m.get('GET and all other requests to GDA per Requests'), { ...src, unit: U.request });
    }
  }
  const deepArchive = readPage(F.deepArchive, 'aws-s3-deep-archive');
  if (deepArchive) {
    for (const [region, m] of deepArchive) {
      add(keys.s3Storage(region, 'DEEP_ARCHIVE'), m.get('Glacier Deep Archive GB Mo'), { source: 'aws-s3-deep-archive', unit: U.gbMonth });
      add(keys.s3Requests(region, 'DEEP_ARCHIVE', 'tier1'), m.get('PUT to Glacier Deep Archive Requests'), { source: 'aws-s3-deep-archive', unit: U.request });
    }
  }

  // ----- EKS, Fargate
  const ecs = readPage(F.ecs, 'aws-ecs');
  if (ecs) {
    for (const [region, m] of ecs) {
      const src = { source: 'aws-ecs' };
      add(keys.fargateVcpu(region, 'x86'), m.get('perCPU per hour'), { ...src, unit: U.vcpuHour });
      add(keys.fargateMemory(region, 'x86'), m.get('perGB per hour'), { ...src, unit: U.gbHour });
      add(keys.fargateVcpu(region, 'arm'), m.get('ARM perCPU per hour'), { ...src, unit: U.vcpuHour });
      add(keys.fargateMemory(region, 'arm'), m.get('ARM perGB per hour'), { ...src, unit: U.gbHour });
      add(keys.fargateStorage(region), m.get('Storage per GB-Hours'), { ...src, unit: U.gbHour });
    }
  }
  const eks = readPage(F.eks, 'aws-eks');
  if (eks) {
    for (const [region, m] of eks) {
      const src = { source: 'aws-eks' };
      add(keys.eksCluster(region, 'standard'), m.get('Compute per Hours') ?? m.get('Compute per hours'), { ...src, unit: U.hour });
      add(keys.eksCluster(region, 'extended'), m.get('Compute ExtendedSupport per Hours'), { ...src, unit: U.hour });
      add(keys.fargateVcpu(region, 'x86'), m.get('Fargate perCPU per hours'), { ...src, unit: U.vcpuHour, note: NOTE.eksFargate });
      add(keys.fargateMemory(region, 'x86'), m.get('Fargate perGB per hours'), { ...src, unit: U.gbHour, note: NOTE.eksFargate });
    }
  }

  // ----- networking
  const nat = readPage(F.nat, 'aws-natgateway');
  if (nat) {
    for (const [region, m] of nat) {
      add(keys.natGatewayHour(region), m.get('Hourly charge for NAT Gateways'), { source: 'aws-natgateway', unit: U.hour });
      add(keys.natGatewayData(region), m.get('Charge for per GB data processed by NatGateways'), { source: 'aws-natgateway', unit: U.gb });
    }
  }
  const vpc = readPage(F.vpc, 'aws-vpc');
  if (vpc) {
    for (const [region, m] of vpc) {
      const src = { source: 'aws-vpc' };
      add(keys.publicIpv4(region, 'in-use'), m.get('Hourly charge for In use Public IPv4 Addresses per Hrs'), { ...src, unit: U.hour });
      add(keys.publicIpv4(region, 'idle'), m.get('Hourly charge for Idle Public IPv4 Addresses per Hrs'), { ...src, unit: U.hour });
      add(keys.vpcEndpointHour(region), m.get('Hourly charge for VPC Endpoints per Hrs'), { ...src, unit: U.hour, note: 'interface endpoint, per AZ-hour' });
      const endpointTiers: [number, number | null, number][] = [];
      for (const [label, price] of m) {
        const t = /^Charge for per GB data processed by VPC Endpoints per GB from (\d+) to (\d+|Inf)$/.exec(label);
        if (t?.[1] !== undefined && t[2] !== undefined) endpointTiers.push([Number(t[1]), t[2] === 'Inf' ? null : Number(t[2]), price]);
      }
      endpointTiers.sort((a, b) => a[0] - b[0]);
      if (endpointTiers.length > 0) {
        add(
          keys.vpcEndpointData(region),
          endpointTiers.length === 1 ? endpointTiers[0]?.[2] : endpointTiers.map(([, upTo, usd]) => [upTo, usd] as SnapshotTier),
          { ...src, unit: U.gb, note: endpointTiers.length > 1 ? 'tiers in GB processed per month in the region' : undefined },
        );
      }
    }
  }
  const elb = readPage(F.elb, 'aws-elb');
  if (elb) {
    for (const [region, m] of elb) {
      const src = { source: 'aws-elb' };
      add(keys.loadBalancer(region, 'alb', 'hour'), m.get('Application Load Balancer Hours'), { ...src, unit: U.hour });
      add(keys.loadBalancer(region, 'alb', 'lcu'), m.get('Application Load Balancer LCU Hours'), { ...src, unit: U.lcuHour });
      add(keys.loadBalancer(region, 'nlb', 'hour'), m.get('Network Load Balancer Hours'), { ...src, unit: U.hour });
      add(keys.loadBalancer(region, 'nlb', 'lcu'), m.get('Network Load Balancer LCU Hours'), { ...src, unit: U.lcuHour });
      add(keys.loadBalancer(region, 'gwlb', 'hour'), m.get('Gateway Load Balancer Hours'), { ...src, unit: U.hour });
      add(keys.loadBalancer(region, 'gwlb', 'lcu'), m.get('Gateway Load Balancer LCU Hours'), { ...src, unit: U.lcuHour });
      add(keys.loadBalancer(region, 'classic', 'hour'), m.get('Classic Load Balancer Hours'), { ...src, unit: U.hour });
      add(keys.loadBalancer(region, 'classic', 'gb'), m.get('Classic Load Balancer Data'), { ...src, unit: U.gb });
    }
  }
  const dataTransfer = readJson(F.dataTransfer);
  if (isDict(dataTransfer)) {
    setSourceDate('aws-datatransfer', undefined);
    const internet = new Map<string, [number, number | null, number][]>();
    for (const [label, byLocation] of sortedEntries(dataTransfer)) {
      if (!isDict(byLocation)) continue;
      if (/^DataTransfer External Outbound (Next \d+ TB|Greater than \d+ TB)$/.test(label)) {
        for (const [where, usd] of sortedEntries(byLocation)) {
          const m = /^(.*) \(StartingRange: (\d+), EndingRange: (\d+|Inf)\)$/.exec(where);
          const price = parsePrice(usd);
          if (!m?.[1] || m[2] === undefined || m[3] === undefined || price === undefined) continue;
          const region = regionOf(m[1]);
          if (region === undefined) continue;
          const list = internet.get(region) ?? [];
          list.push([Number(m[2]), m[3] === 'Inf' ? null : Number(m[3]), price]);
          internet.set(region, list);
        }
      } else if (
        label.startsWith('DataTransfer InterRegion Outbound to ') ||
        label.startsWith('[DataTransfer InterRegion Outbound] DataTransfer InterRegion Outbound to ') ||
        label === '[DataTransfer InterRegion Outbound]'
      ) {
        for (const [where, usd] of sortedEntries(byLocation)) {
          const m = /^(.*) \(To Location: (.*)\)$/.exec(where);
          const price = parsePrice(usd);
          if (!m?.[1] || !m[2] || price === undefined) continue;
          if (!locations.has(m[1]) || !locations.has(m[2])) continue;
          const from = regionOf(m[1]);
          const to = regionOf(m[2]);
          if (from === undefined || to === undefined || from === to) continue;
          add(keys.dataTransferInterRegion(from, to), price, { source: 'aws-datatransfer', unit: U.gb });
        }
      }
    }
    for (const [region, list] of [...internet].sort(([a], [b]) => compareStrings(a, b))) {
      list.sort((a, b) => a[0] - b[0]);
      let contiguous = list[0]?.[0] === 0;
      for (let i = 1; i < list.length; i++) if (list[i - 1]?.[1] !== list[i]?.[0]) contiguous = false;
      if (!contiguous || list[list.length - 1]?.[1] !== null) {
        warnings.push(`internet egress tiers for ${region} are not contiguous; skipped`);
        continue;
      }
      add(keys.dataTransferInternetOut(region), list.map(([, upTo, usd]) => [upTo, usd] as SnapshotTier), {
        source: 'aws-datatransfer',
        unit: U.gb,
        note: NOTE.dtInternet,
      });
    }
  }

  // ----- RDS instances
  const RDS_DEPLOYMENTS: [string, string][] = [
    ['Multi-AZ readable standbys', 'multi-az-cluster'],
    ['Multi-AZ', 'multi-az'],
    ['Single-AZ', 'single-az'],
  ];
  const rdsEngineFiles: [string, string, string][] = [
    [F.rdsMysql, 'aws-rds-mysql', 'mysql'],
    [F.rdsPostgres, 'aws-rds-postgresql', 'postgres'],
  ];
  const rdsEngineStorage: [string, Dict][] = [];
  for (const [file, sourceId, engine] of rdsEngineFiles) {
    const json = readJson(file);
    if (!isDict(json)) continue;
    setSourceDate(sourceId, undefined);
    rdsEngineStorage.push([sourceId, json]);
    for (const [label, byLocation] of sortedEntries(json)) {
      if (!label.startsWith('Database Instance ') || !isDict(byLocation)) continue;
      const deployment = RDS_DEPLOYMENTS.find(([text]) => label.includes(` ${text} `))?.[1];
      if (deployment === undefined) {
        warnings.push(`RDS ${engine}: no deployment in ${label}`);
        continue;
      }
      for (const [where, usd] of sortedEntries(byLocation)) {
        const m = /^(.*) \(Instance Type: (db\.[^,]+),/.exec(where);
        const price = parsePrice(usd);
        if (!m?.[1] || !m[2] || price === undefined || price <= 0) continue;
        const region = regionOf(m[1]);
        if (region === undefined) continue;
        add(keys.rdsInstance(region, engine, m[2], deployment), price, { source: sourceId, unit: U.hour });
      }
    }
  }

  // ----- RDS storage and IOPS (shared by MySQL/PostgreSQL/MariaDB)
  const RDS_STORAGE: [string, 'storage' | 'iops', string, string][] = [
    ['Database Storage Single AZ General Purpose', 'storage', 'gp2', 'single-az'],
    ['Database Storage Multi AZ General Purpose', 'storage', 'gp2', 'multi-az'],
    ['Database Storage Single AZ General Purpose-GP3', 'storage', 'gp3', 'single-az'],
    ['Database Storage Multi AZ General Purpose-GP3', 'storage', 'gp3', 'multi-az'],
    ['Database Storage Multi AZ readable standbys General Purpose-GP3', 'storage', 'gp3', 'multi-az-cluster'],
    ['Database Storage Single AZ Provisioned IOPS', 'storage', 'io1', 'single-az'],
    ['Database Storage Multi AZ Provisioned IOPS', 'storage', 'io1', 'multi-az'],
    ['Database Storage Multi AZ readable standbys Provisioned IOPS', 'storage', 'io1', 'multi-az-cluster'],
    ['Database Storage Single AZ Provisioned IOPS-IO2', 'storage', 'io2', 'single-az'],
    ['Database Storage Multi AZ Provisioned IOPS-IO2', 'storage', 'io2', 'multi-az'],
    ['Database Storage Multi AZ readable standbys Provisioned IOPS-IO2', 'storage', 'io2', 'multi-az-cluster'],
    ['Database Storage Single AZ Magnetic', 'storage', 'standard', 'single-az'],
    ['Database Storage Multi AZ Magnetic', 'storage', 'standard', 'multi-az'],
    ['Provisioned IOPS Single AZ', 'iops', 'io1', 'single-az'],
    ['Provisioned IOPS Multi AZ', 'iops', 'io1', 'multi-az'],
    ['Provisioned IOPS Multi AZ readable standbys', 'iops', 'io1', 'multi-az-cluster'],
    ['Provisioned IO2 IOPS Single AZ', 'iops', 'io2', 'single-az'],
    ['Provisioned IO2 IOPS Multi AZ', 'iops', 'io2', 'multi-az'],
    ['Provisioned IO2 IOPS Multi AZ readable standbys', 'iops', 'io2', 'multi-az-cluster'],
    ['Provisioned GP3 IOPS Single AZ', 'iops', 'gp3', 'single-az'],
    ['Provisioned GP3 IOPS Multi AZ', 'iops', 'gp3', 'multi-az'],
    ['Provisioned GP3 IOPS Multi AZ readable standbys', 'iops', 'gp3', 'multi-az-cluster'],
  ];
  function rdsStorageQuery(region: string, kind: 'storage' | 'iops', type: string, deployment: string): PriceQuery {
    return kind === 'storage' ? keys.rdsStorage(region, type, deployment) : keys.rdsIops(region, type, deployment);
  }
  const rdsStorage = readPage(F.rdsStorage, 'aws-rds-storage');
  if (rdsStorage) {
    for (const [region, m] of rdsStorage) {
      for (const [label, kind, type, deployment] of RDS_STORAGE) {
        add(rdsStorageQuery(region, kind, type, deployment), m.get(label), {
          source: 'aws-rds-storage',
          unit: kind === 'storage' ? U.gbMonth : U.iopsMonth,
        });
      }
    }
  }
  for (const [sourceId, json] of rdsEngineStorage) {
    for (const [label, kind, type, deployment] of RDS_STORAGE) {
      const byLocation = json[label];
      if (!isDict(byLocation)) continue;
      for (const [location, usd] of sortedEntries(byLocation)) {
        const region = regionOf(location);
        const price = parsePrice(usd);
        if (region === undefined || price === undefined) continue;
        add(rdsStorageQuery(region, kind, type, deployment), price, {
          source: sourceId,
          unit: kind === 'storage' ? U.gbMonth : U.iopsMonth,
          note: NOTE.rdsStorageEngineFile,
        });
      }
    }
  }

  // ----- ElastiCache: the newer processed AWS data first, the older ec2instances.info data fills gaps
  const elasticache = readJson(F.elasticacheQp);
  if (isDict(elasticache)) {
    setSourceDate('aws-elasticache', undefined);
    for (const [label, byLocation] of sortedEntries(elasticache)) {
      const engine = /^\[OnDemand Cache Instance .* (Memcached|Redis|Valkey) /.exec(label)?.[1];
      if (engine === undefined || !isDict(byLocation)) continue;
      for (const [where, usd] of sortedEntries(byLocation)) {
        const m = /^(.*) \(Instance Type: (cache\.[^,]+),/.exec(where);
        const price = parsePrice(usd);
        if (!m?.[1] || !m[2] || price === undefined || price <= 0) continue;
        const region = regionOf(m[1]);
        if (region === undefined) continue;
        add(keys.elasticacheNode(region, engine.toLowerCase(), m[2]), price, { source: 'aws-elasticache', unit: U.hour });
      }
    }
  }
  const leaner = readJson(F.elasticacheLc);
  if (Array.isArray(leaner)) {
    let used = 0;
    const nodes = (leaner as unknown[]).filter(isDict).sort((a, b) => compareStrings(String(a.instance_type), String(b.instance_type)));
    for (const node of nodes) {
      if (typeof node.instance_type !== 'string' || !isDict(node.pricing)) continue;
      for (const [region, byEngine] of sortedEntries(node.pricing)) {
        if (!isDict(byEngine)) continue;
        for (const [engine, p] of sortedEntries(byEngine)) {
          const price = isDict(p) ? parsePrice(p.ondemand) : undefined;
          if (price === undefined || price <= 0) continue;
          if (add(keys.elasticacheNode(region, engine.toLowerCase(), node.instance_type), price, { source: 'leanercloud-elasticache', unit: U.hour, note: NOTE.elasticacheOlder })) used++;
        }
      }
    }
    if (used > 0) setSourceDate('leanercloud-elasticache', undefined);
  }

  // ----- EFS
  const efs = readPage(F.efs, 'aws-efs');
  if (efs) {
    for (const [region, m] of efs) {
      const src = { source: 'aws-efs' };
      add(keys.efsStorage(region, 'standard'), m.get('General Purpose Storage GB Mo'), { ...src, unit: U.gbMonth });
      add(keys.efsStorage(region, 'ia'), m.get('Infrequent Access ET Storage GB Mo'), { ...src, unit: U.gbMonth, note: NOTE.efsIa });
      add(keys.efsStorage(region, 'archive'), m.get('Archive Storage GB Mo'), { ...src, unit: U.gbMonth });
      add(keys.efsStorage(region, 'one-zone'), m.get('One Zone General Purpose Storage GB Mo'), { ...src, unit: U.gbMonth });
      add(keys.efsStorage(region, 'one-zone-ia'), m.get('One Zone Infrequent Access Storage GB Mo'), { ...src, unit: U.gbMonth });
      add(keys.efsProvisionedThroughput(region), m.get('Throughput Provisioned'), { ...src, unit: U.mibpsMonth });
    }
  }

  // ----- Lambda
  const lambda = readPage(F.lambda, 'aws-lambda');
  if (lambda) {
    for (const [region, m] of lambda) {
      const src = { source: 'aws-lambda' };
      add(keys.lambdaRequests(region), m.get('Lambda Requests'), { ...src, unit: U.request });
      for (const [arch, suffix, note] of [
        ['x86', '', NOTE.lambdaX86Tiers],
        ['arm', '-ARM', NOTE.lambdaArmTiers],
      ] as const) {
        const bounds = LAMBDA_TIERS[arch];
        add(
          keys.lambdaDuration(region, arch),
          tiers(
            m,
            [
              [`Lambda Duration${suffix}`, bounds[0]],
              [`Lambda Duration${suffix} Tier2`, bounds[1]],
              [`Lambda Duration${suffix} Tier3`, null],
            ],
            `Lambda duration ${arch} ${region}`,
          ),
          { ...src, unit: U.gbSecond, note },
        );
        add(keys.lambdaProvisionedConcurrency(region, arch), m.get(`Lambda Provisioned-Concurrency${suffix}`), { ...src, unit: U.gbSecond });
        add(keys.lambdaProvisionedDuration(region, arch), m.get(`Lambda Duration-Provisioned${suffix}`), { ...src, unit: U.gbSecond });
      }
    }
  }

  // ----- CloudWatch Logs
  const cloudwatch = readPage(F.cloudwatch, 'aws-cloudwatch');
  if (cloudwatch) {
    for (const [region, m] of cloudwatch) {
      add(keys.cloudwatchLogsIngest(region), m.get('Logs Collected Data Ingestion'), { source: 'aws-cloudwatch', unit: U.gb, note: 'standard log class, custom logs' });
      add(keys.cloudwatchLogsStorage(region), m.get('Stored Data'), { source: 'aws-cloudwatch', unit: U.gbMonth });
    }
  }

  // ----- SageMaker
  const sagemaker = readJson(F.sagemaker);
  if (isDict(sagemaker) && Array.isArray(sagemaker.prices)) {
    const sourceInfo = new Map<string, string>();
    if (Array.isArray(sagemaker.sources)) {
      for (const s of sagemaker.sources as unknown[]) if (isDict(s) && typeof s.id === 'string') sourceInfo.set(s.id, String(s.date));
    }
    const usages = new Set(['hosting', 'training', 'processing', 'batch', 'notebook']);
    let newest = '';
    const rows = (sagemaker.prices as unknown[]).filter(isDict);
    for (const row of rows) {
      const { instanceType, usage, region, status } = row;
      if (typeof instanceType !== 'string' || typeof usage !== 'string' || typeof region !== 'string') continue;
      if (status !== 'consensus' && status !== 'single-source') continue; // never `stale` (or `conflict`)
      if (!usages.has(usage)) continue;
      const price = parsePrice(row.usdPerHour);
      if (price === undefined || price <= 0) continue;
      const ids = Array.isArray(row.sourceIds) ? (row.sourceIds as unknown[]).map(String) : [];
      const dateInfo = sagemakerRowDate(row.newestSourceDate, ids.map((id) => sourceInfo.get(id) ?? ''));
      if (dateInfo === undefined) {
        warnings.push(`SageMaker ${instanceType} ${usage} ${region}: no source date (sources ${ids.join(', ')}); skipped`);
        continue;
      }
      const parts = [String(status)];
      if (typeof row.consensusBasis === 'string') parts.push(`basis: ${row.consensusBasis}`);
      parts.push(`sources: ${ids.join(', ')}`);
      if (Array.isArray(row.components) && row.components.length > 0) parts.push(`components: ${(row.components as unknown[]).map(String).join(', ')}`);
      if (typeof row.note === 'string') parts.push(row.note);
      if (dateInfo.note) parts.push(dateInfo.note);
      if (
        add(keys.sagemakerInstance(region, usage as 'hosting', instanceType), price, {
          source: 'sagemaker-consensus',
          unit: U.hour,
          note: parts.join('; '),
          date: dateInfo.date,
        }) &&
        dateInfo.date > newest
      ) {
        newest = dateInfo.date;
      }
    }
    if (newest) setSourceDate('sagemaker-consensus', newest);
  }
  const studio = readJson(F.studio);
  if (isDict(studio)) {
    let used = 0;
    for (const [, byWhere] of sortedEntries(studio)) {
      if (!isDict(byWhere)) continue;
      for (const [where, usd] of sortedEntries(byWhere)) {
        const m = /^(.*) \(Instance: (ml\.[^,]+),.* Component: Studio-Notebook,/.exec(where);
        const price = parsePrice(usd);
        if (!m?.[1] || !m[2] || price === undefined || price <= 0) continue;
        const region = regionOf(m[1]);
        if (region === undefined) continue;
        if (add(keys.sagemakerInstance(region, 'notebook', m[2]), price, { source: 'aws-sagemaker-studio', unit: U.hour, note: NOTE.studioNotebook })) used++;
      }
    }
    if (used > 0) setSourceDate('aws-sagemaker-studio', undefined);
  }

  // ----- GitHub Actions runners
  const github = readJson(F.github);
  if (isDict(github)) {
    setSourceDate('github-docs-runners', undefined);
    const standardAliases: Record<string, string> = { linux_slim: 'linux-1-core', linux: 'linux-2-core', windows: 'windows-2-core' };
    for (const row of [...(Array.isArray(github.standard) ? github.standard : []), ...(Array.isArray(github.hosted) ? github.hosted : [])] as unknown[]) {
      if (!isDict(row) || typeof row.sku !== 'string') continue;
      const price = parsePrice(row.usdPerMinute);
      if (price === undefined) continue;
      const before = parsePrice(row.usdPerMinuteBefore2026_01_01);
      const parts = [`${String(row.runner)} (${String(row.class)}${typeof row.arch === 'string' ? `, ${row.arch}` : ''}), billing SKU ${row.sku}; rate from 2026-01-01`];
      if (before !== undefined && before !== price) parts.push(`USD ${before}/minute until 2025-12-31`);
      const note = parts.join('; ');
      const id = standardAliases[row.sku] ?? row.sku.replace(/_/g, '-');
      add(keys.githubRunner(id), price, { source: 'github-docs-runners', unit: U.minute, note });
    }
  }

  // ----- assemble
  if (unknownLocations.size > 0) warnings.push(`locations without a region code (skipped): ${[...unknownLocations].sort().join('; ')}`);

  const counts = new Map<string, number>();
  for (const e of entries.values()) counts.set(e.source, (counts.get(e.source) ?? 0) + 1);
  for (const g of specGroups) counts.set(g.source, (counts.get(g.source) ?? 0) + Object.keys(g.types).length);
  if (spotAdvisor) {
    const n = Object.values(spotAdvisor.regions).reduce((a, r) => a + Object.keys(r).length, 0);
    counts.set(spotAdvisor.source, (counts.get(spotAdvisor.source) ?? 0) + n);
  }

  const sources: SnapshotSource[] = [];
  const sourceIndex = new Map<string, number>();
  for (const def of SOURCE_DEFS) {
    const n = counts.get(def.id) ?? 0;
    const date = sourceDates.get(def.id);
    if (n === 0 || date === undefined) continue;
    const s: SnapshotSource = { id: def.id, name: def.name, origin: def.origin, date, dataFiles: [...def.files], entries: n };
    if (def.license) s.license = def.license;
    if (def.note) s.note = def.note;
    sourceIndex.set(def.id, sources.length);
    sources.push(s);
  }

  const units = [...new Set([...entries.values()].map((e) => e.unit))].sort(compareStrings);
  const notes = [...new Set([...entries.values()].flatMap((e) => (e.note ? [e.note] : [])))].sort(compareStrings);
  const unitIndex = new Map(units.map((u, i) => [u, i]));
  const noteIndex = new Map(notes.map((n, i) => [n, i]));

  const prices: Record<string, Record<string, SnapshotGroup[]>> = {};
  const grouped = new Map<string, Map<string, Map<string, SnapshotGroup>>>();
  let capturedAt = '';
  for (const e of entries.values()) {
    const s = sourceIndex.get(e.source);
    const u = unitIndex.get(e.unit);
    if (s === undefined || u === undefined) throw new Error(`internal: source ${e.source} or unit ${e.unit} not indexed`);
    const sourceDate = sources[s]?.date ?? '';
    const date = e.date ?? sourceDate;
    if (date > capturedAt) capturedAt = date;
    const n = e.note === undefined ? undefined : noteIndex.get(e.note);
    const groupId = `${s}|${u}|${n ?? ''}|${date === sourceDate ? '' : date}`;
    let byRegion = grouped.get(e.q.service);
    if (!byRegion) grouped.set(e.q.service, (byRegion = new Map()));
    let groups = byRegion.get(e.q.region);
    if (!groups) byRegion.set(e.q.region, (groups = new Map()));
    let group = groups.get(groupId);
    if (!group) {
      group = { s, u, p: {} };
      if (n !== undefined) group.n = n;
      if (date !== sourceDate) group.d = date;
      groups.set(groupId, group);
    }
    group.p[e.q.key] = e.value;
  }
  for (const [service, byRegion] of [...grouped].sort(([a], [b]) => compareStrings(a, b))) {
    const regions: Record<string, SnapshotGroup[]> = {};
    for (const [region, groups] of [...byRegion].sort(([a], [b]) => compareStrings(a, b))) {
      regions[region] = [...groups.values()]
        .map((g) => ({ ...g, p: Object.fromEntries(sortedEntries(g.p)) }))
        .sort((a, b) => a.s - b.s || a.u - b.u || (a.n ?? -1) - (b.n ?? -1) || compareStrings(a.d ?? '', b.d ?? ''));
    }
    prices[service] = regions;
  }

  const instanceSpecs: SnapshotSpecGroup[] = [];
  for (const g of specGroups) {
    const s = sourceIndex.get(g.source);
    if (s !== undefined) instanceSpecs.push({ s, types: g.types });
  }
  for (const src of sources) if (src.date > capturedAt) capturedAt = src.date;

  const snapshot: Snapshot = {
    schema: SNAPSHOT_SCHEMA,
    currency: 'USD',
    capturedAt,
    generatedBy: 'scripts/build-price-catalog.ts',
    sources,
    units,
    notes,
    prices,
    instanceSpecs,
    locations: Object.fromEntries([...locations].sort(([a], [b]) => compareStrings(a, b))),
  };
  if (spotAdvisor) {
    const s = sourceIndex.get(spotAdvisor.source);
    if (s !== undefined) {
      const sa: SnapshotSpotAdvisor = { s, ranges: spotAdvisor.ranges, regions: spotAdvisor.regions };
      snapshot.spotAdvisor = sa;
    }
  }
  return { snapshot, warnings, missing };
}

/**
 * Date of a SageMaker consensus row. Rows dated to the month get the 1st of that month; undated
 * rows take the lower bound their source states ("... so 2025-06-06 or later"), else none.
 */
function sagemakerRowDate(newest: unknown, sourceDates: string[]): { date: string; note?: string } | undefined {
  if (typeof newest === 'string') {
    const full = /^(\d{4}-\d{2}-\d{2})/.exec(newest);
    if (full?.[1]) return { date: full[1] };
    const month = /^(\d{4}-\d{2})/.exec(newest);
    if (month?.[1]) return { date: `${month[1]}-01`, note: `source dated ${month[1]} (month only); day set to the 1st` };
  }
  let bound: string | undefined;
  for (const d of sourceDates) {
    const m = /(\d{4}-\d{2}-\d{2}) or later/.exec(d);
    if (m?.[1] && (bound === undefined || m[1] > bound)) bound = m[1];
  }
  if (bound) return { date: bound, note: `undated source; the value postdates the price cut, so dated ${bound} (lower bound)` };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Serialisation lives in src/pricing/catalog/snapshot-format.ts (shared with `mlcost prices update`).

export { serializeSnapshot };

// ---------------------------------------------------------------------------------------------
// CLI

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_DATA_DIR = path.resolve(REPO_ROOT, '../shared/pricing-data');
export const SNAPSHOT_PATH = path.join(REPO_ROOT, 'src/pricing/catalog/snapshot.json');

function main(argv: string[]): number {
  let dataDir = DEFAULT_DATA_DIR;
  let out = SNAPSHOT_PATH;
  let check = false;
  let allowMissing = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--data' && argv[i + 1]) dataDir = path.resolve(argv[++i] ?? '');
    else if (arg === '--out' && argv[i + 1]) out = path.resolve(argv[++i] ?? '');
    else if (arg === '--check') check = true;
    else if (arg === '--allow-missing') allowMissing = true;
    else {
      process.stderr.write(`usage: build-price-catalog [--data <dir>] [--out <file>] [--check] [--allow-missing]\nunknown argument: ${arg}\n`);
      return 2;
    }
  }
  const started = Date.now();
  const { snapshot, warnings, missing } = buildPriceCatalog(dataDir, { allowMissing });
  const text = serializeSnapshot(snapshot);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  for (const m of missing) process.stderr.write(`missing: ${m}\n`);
  const total = Object.values(snapshot.prices).reduce(
    (a, regions) => a + Object.values(regions).reduce((b, groups) => b + groups.reduce((c, g) => c + Object.keys(g.p).length, 0), 0),
    0,
  );
  if (check) {
    const current = existsSync(out) ? readFileSync(out, 'utf8') : '';
    if (current !== text) {
      process.stderr.write(`${out} is out of date; run npm run prices:build\n`);
      return 1;
    }
    process.stdout.write(`${out} is up to date (${total} prices)\n`);
    return 0;
  }
  writeFileSync(out, text);
  process.stdout.write(
    `wrote ${out}: ${total} prices, ${snapshot.sources.length} sources, ${Buffer.byteLength(text)} bytes, capturedAt ${snapshot.capturedAt} (${Date.now() - started} ms)\n`,
  );
  return 0;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) process.exitCode = main(process.argv.slice(2));
