/**
 * Turns AWS Price List data (a bulk offer file, or GetProducts `PriceList` items) into prices
 * addressed with the keys of src/pricing/keys.ts. Pure: no IO, no clock. `mlcost prices update`
 * uses it; it reads bulk offer files as well, the format a snapshot build from AWS's offer files
 * would read (today's build reads pricing-page JSON, see scripts/build-price-catalog.ts).
 *
 * Handled, by service code (the product's `servicecode`, else the offer's):
 *   AmazonEC2 Linux on-demand instances, EBS storage / IOPS (io2 as three tiers) / throughput /
 *   magnetic I/O / snapshots, NAT gateway hours and data; AWSELB (and the load-balancer rows of
 *   old EC2 offers) hours / LCU / data; AmazonVPC public IPv4, interface and GWLB endpoints;
 *   AmazonSageMaker `ML Instance` usage and ML storage; AmazonEKS control plane (and its Fargate
 *   copies); AmazonECS Fargate (x86, Arm, Spot, Windows, ephemeral storage); AmazonS3 storage and
 *   requests by class; AmazonRDS MySQL / PostgreSQL / MariaDB / Aurora instances, storage, IOPS,
 *   gp3 throughput, backup, I/O, Aurora Serverless; AmazonElastiCache nodes and backup;
 *   AmazonEFS storage and provisioned throughput; AmazonFSx for Lustre storage and backup;
 *   AWSLambda requests and (tiered) durations; AmazonCloudWatch Logs; AWSDataTransfer internet
 *   egress (tiered) and inter-region; ElasticMapReduce fees; AmazonMSK brokers and storage;
 *   AmazonKinesis shard hours. Everything else is skipped with a reason (see `onSkip`).
 *
 * Traps handled on purpose:
 *   - Capacity Block SKUs (marketoption CapacityBlock, operation RunInstances:CB) carry a $0
 *     on-demand price and are not instance prices;
 *   - reserved-instance dimensions ("Upfront Fee", unit Quantity, lease attributes) can appear
 *     under `terms.OnDemand` and are not hourly prices;
 *   - Windows, RHEL, BYOL, dedicated tenancy and pre-installed software rows are not Linux prices;
 *   - terms that take effect after `asOf` (announced changes) are not today's prices;
 *   - a free first tier (internet egress) is a real tier, but an all-$0 instance price is none.
 */
import type { PriceQuery, PriceTier } from '../../core/types.js';
import { keys, type SageMakerUsage } from '../keys.js';

export interface NormalizedPrice {
  service: string;
  region: string;
  key: string;
  /** USD per `unit`; for tiered prices the first tier's price. */
  usd: number;
  unit: string;
  tiers?: PriceTier[];
  sku: string;
  rateCode: string;
  /** effectiveDate of the on-demand term (YYYY-MM-DD). */
  sourceDate: string;
  description: string;
  /** Offer code or service code of the product (AmazonEC2, AmazonSageMaker, ...). */
  offerCode: string;
}

export interface OfferSkip {
  sku: string;
  reason: string;
}

export interface NormalizeOptions {
  /** Extra AWS location names -> region codes (products without a `regionCode` attribute). */
  locations?: Record<string, string>;
  /** Called for every product or term that produced no price, with the reason. */
  onSkip?: (skip: OfferSkip) => void;
  /**
   * Today's date (YYYY-MM-DD): on-demand terms that take effect after it (announced price
   * changes) are not read yet. Without it, the newest term wins whatever its date.
   */
  asOf?: string;
}

/** AWS Region location names (offer attribute `location`) -> region codes. */
const REGION_LOCATIONS: ReadonlyMap<string, string> = new Map([
  ['Africa (Cape Town)', 'af-south-1'],
  ['Asia Pacific (Hong Kong)', 'ap-east-1'],
  ['Asia Pacific (Taipei)', 'ap-east-2'],
  ['Asia Pacific (Tokyo)', 'ap-northeast-1'],
  ['Asia Pacific (Seoul)', 'ap-northeast-2'],
  ['Asia Pacific (Osaka)', 'ap-northeast-3'],
  ['Asia Pacific (Mumbai)', 'ap-south-1'],
  ['Asia Pacific (Hyderabad)', 'ap-south-2'],
  ['Asia Pacific (Singapore)', 'ap-southeast-1'],
  ['Asia Pacific (Sydney)', 'ap-southeast-2'],
  ['Asia Pacific (Jakarta)', 'ap-southeast-3'],
  ['Asia Pacific (Melbourne)', 'ap-southeast-4'],
  ['Asia Pacific (Malaysia)', 'ap-southeast-5'],
  ['Asia Pacific (New Zealand)', 'ap-southeast-6'],
  ['Asia Pacific (Thailand)', 'ap-southeast-7'],
  ['Canada (Central)', 'ca-central-1'],
  ['Canada West (Calgary)', 'ca-west-1'],
  ['EU (Frankfurt)', 'eu-central-1'],
  ['Europe (Frankfurt)', 'eu-central-1'],
  ['EU (Zurich)', 'eu-central-2'],
  ['Europe (Zurich)', 'eu-central-2'],
  ['EU (Stockholm)', 'eu-north-1'],
  ['Europe (Stockholm)', 'eu-north-1'],
  ['EU (Milan)', 'eu-south-1'],
  ['Europe (Milan)', 'eu-south-1'],
  ['EU (Spain)', 'eu-south-2'],
  ['Europe (Spain)', 'eu-south-2'],
  ['EU (Ireland)', 'eu-west-1'],
  ['Europe (Ireland)', 'eu-west-1'],
  ['EU (London)', 'eu-west-2'],
  ['Europe (London)', 'eu-west-2'],
  ['EU (Paris)', 'eu-west-3'],
  ['Europe (Paris)', 'eu-west-3'],
  ['Israel (Tel Aviv)', 'il-central-1'],
  ['Middle East (UAE)', 'me-central-1'],
  ['Middle East (Bahrain)', 'me-south-1'],
  ['Mexico (Central)', 'mx-central-1'],
  ['South America (Sao Paulo)', 'sa-east-1'],
  ['US East (N. Virginia)', 'us-east-1'],
  ['US East (Ohio)', 'us-east-2'],
  ['US East (Kansas City)', 'us-east-2-mci-1'],
  ['AWS GovCloud (US-East)', 'us-gov-east-1'],
  ['AWS GovCloud (US)', 'us-gov-west-1'],
  ['AWS GovCloud (US-West)', 'us-gov-west-1'],
  ['US West (N. California)', 'us-west-1'],
  ['US West (Oregon)', 'us-west-2'],
]);

type Dict = Record<string, unknown>;

function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

interface Product {
  sku: string;
  productFamily: string;
  attributes: Record<string, string>;
  offerCode: string;
  /** terms.OnDemand[sku]: termKey -> term. */
  onDemand: Dict;
}

interface Target {
  q: PriceQuery;
  /** Accepted units of the price dimension, compared case-insensitively. */
  units: string[];
  unit: string;
  /** A $0 price is no price (instance-hours); false where a free first tier is real (egress). */
  zeroIsMissing: boolean;
  /** One tier of a price AWS sells as one product per tier (io2 IOPS): its place and upper bound. */
  part?: { index: number; of: number; upTo: number | null };
}

function attributesOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isDict(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${what} is not JSON: ${(err as Error).message}`);
  }
}

function collectProducts(input: unknown): Product[] {
  const value = typeof input === 'string' ? parseJson(input, 'price list input') : input;
  if (Array.isArray(value)) return value.flatMap((item, i) => productsOfItem(item, i));
  if (isDict(value)) {
    if (Array.isArray(value.PriceList)) return value.PriceList.flatMap((item, i) => productsOfItem(item, i));
    if (isDict(value.products) && isDict(value.terms)) return productsOfOffer(value);
    if (isDict(value.product) && isDict(value.terms)) return productsOfItem(value, 0);
  }
  throw new Error(
    'not AWS Price List data: expected a bulk offer file ({formatVersion, offerCode, products, terms}) or GetProducts PriceList items',
  );
}

function productsOfOffer(offer: Dict): Product[] {
  const products = offer.products as Dict;
  const onDemand = isDict((offer.terms as Dict).OnDemand) ? ((offer.terms as Dict).OnDemand as Dict) : {};
  const offerCode = str(offer.offerCode) ?? '';
  const out: Product[] = [];
  for (const [sku, raw] of Object.entries(products)) {
    if (!isDict(raw)) continue;
    const attributes = attributesOf(raw.attributes);
    out.push({
      sku: str(raw.sku) ?? sku,
      productFamily: str(raw.productFamily) ?? '',
      attributes,
      offerCode: offerCode || attributes.servicecode || '',
      onDemand: isDict(onDemand[sku]) ? (onDemand[sku] as Dict) : {},
    });
  }
  return out;
}

function productsOfItem(item: unknown, index: number): Product[] {
  const value = typeof item === 'string' ? parseJson(item, `PriceList item ${index}`) : item;
  if (!isDict(value) || !isDict(value.product)) throw new Error(`PriceList item ${index} has no product`);
  const product = value.product;
  const terms = isDict(value.terms) ? value.terms : {};
  const attributes = attributesOf(product.attributes);
  return [
    {
      sku: str(product.sku) ?? '',
      productFamily: str(product.productFamily) ?? '',
      attributes,
      offerCode: str(value.serviceCode) ?? attributes.servicecode ?? '',
      onDemand: isDict(terms.OnDemand) ? terms.OnDemand : {},
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Units: what the Price List calls them (compared case-insensitively) -> the snapshot's unit.

const HOURS = ['Hrs', 'Hours', 'Hour'];
const GB_MONTH = ['GB-Mo', 'GB-Month'];
const GB = ['GB'];
const REQUESTS = ['Requests', 'Request'];
const GB_SECONDS = ['Lambda-GB-Second', 'GB-Seconds', 'GB-Second'];
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
  acuHour: 'USD/ACU-hour',
  shardHour: 'USD/shard-hour',
} as const;

function target(q: PriceQuery, units: string[], unit: string, extra: Partial<Target> = {}): Target {
  return { q, units, unit, zeroIsMissing: true, ...extra };
}

/** `USE2-EBS:VolumeUsage.gp3` -> `EBS:VolumeUsage.gp3`: the usage type without its region prefix. */
function usageOf(a: Record<string, string>): string {
  return (a.usagetype ?? '').replace(/^[A-Z]{2,5}\d*-(?=[A-Za-z])/, '');
}

const SAGEMAKER_COMPONENTS: Record<string, SageMakerUsage> = {
  Hosting: 'hosting',
  Training: 'training',
  Processing: 'processing',
  Notebook: 'notebook',
  BatchTransform: 'batch',
};

/** SageMaker ML storage usage-type prefixes (`Host:VolumeUsage.gp2`) -> the component billed. */
const SAGEMAKER_STORAGE: Record<string, SageMakerUsage | 'studio'> = {
  Host: 'hosting',
  Train: 'training',
  Processing: 'processing',
  Notebk: 'notebook',
  Tsform: 'batch',
  Studio: 'studio',
};

const LOAD_BALANCER_FAMILIES: Record<string, 'alb' | 'nlb' | 'gwlb' | 'classic'> = {
  'Load Balancer-Application': 'alb',
  'Load Balancer-Network': 'nlb',
  'Load Balancer-Gateway': 'gwlb',
  'Load Balancer': 'classic',
};

function own<T>(table: Record<string, T>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Per service: what price a product is, or why it is none of the handled kinds.

function classifyEc2Instance(a: Record<string, string>, region: string): Target | string {
  const type = a.instanceType;
  if (!type) return 'compute instance without instanceType';
  if (a.operatingSystem !== 'Linux') return `operating system ${a.operatingSystem ?? 'unknown'}, not Linux`;
  if (a.tenancy !== undefined && a.tenancy !== 'Shared') return `tenancy ${a.tenancy}, not Shared`;
  if (a.preInstalledSw !== undefined && a.preInstalledSw !== 'NA') return `pre-installed software ${a.preInstalledSw}`;
  if (a.licenseModel !== undefined && a.licenseModel !== 'No License required') return `license model ${a.licenseModel}`;
  if (a.capacitystatus !== undefined && a.capacitystatus !== 'Used') return `capacity status ${a.capacitystatus}`;
  if (a.marketoption !== undefined && a.marketoption !== 'OnDemand') return `market option ${a.marketoption} (not on-demand)`;
  if (a.operation !== undefined && a.operation !== 'RunInstances') {
    return a.operation === 'RunInstances:CB' ? 'Capacity Block SKU' : `operation ${a.operation} (not plain Linux RunInstances)`;
  }
  if (a.usagetype !== undefined && !/(^|-)BoxUsage:/.test(a.usagetype)) return `usage type ${a.usagetype} (not BoxUsage)`;
  return target(keys.ec2Instance(region, type), HOURS, U.hour);
}

/** io2 IOPS are three products, one per tier: `EBS:VolumeP-IOPS.io2`, `...io2.tier2`, `...io2.tier3`. */
const IO2_TIERS: { re: RegExp; index: number; upTo: number | null }[] = [
  { re: /EBS:VolumeP-IOPS\.io2$/, index: 0, upTo: 32000 },
  { re: /EBS:VolumeP-IOPS\.io2\.tier2$/, index: 1, upTo: 64000 },
  { re: /EBS:VolumeP-IOPS\.io2\.tier3$/, index: 2, upTo: null },
];

function classifyEc2(p: Product, region: string): Target | string {
  const a = p.attributes;
  const family = p.productFamily;
  const usage = usageOf(a);
  const volume = a.volumeApiName;
  if (family === 'Storage' && volume) return target(keys.ebsStorage(region, volume), GB_MONTH, U.gbMonth);
  if (family === 'System Operation' && volume && /IOPS/i.test(a.group ?? '')) {
    if (volume === 'io2') {
      const tier = IO2_TIERS.find((t) => t.re.test(a.usagetype ?? ''));
      if (tier === undefined) return `io2 IOPS usage type ${a.usagetype ?? 'unknown'} not handled`;
      return target(keys.ebsIops(region, volume), ['IOPS-Mo'], U.iopsMonth, { part: { index: tier.index, of: IO2_TIERS.length, upTo: tier.upTo } });
    }
    return target(keys.ebsIops(region, volume), ['IOPS-Mo'], U.iopsMonth);
  }
  if (family === 'System Operation' && /EBS:VolumeIOUsage$/.test(usage)) {
    return target(keys.ebsIoRequests(region), ['IOs'], U.request);
  }
  if (family === 'Provisioned Throughput' && volume) {
    return target(keys.ebsThroughput(region, volume), ['GiBps-mo', 'MiBps-Mo'], U.mibpsMonth);
  }
  if (family === 'Storage Snapshot' && a.usagetype) {
    if (/EBS:SnapshotUsage$/.test(a.usagetype)) return target(keys.ebsSnapshot(region, 'standard'), GB_MONTH, U.gbMonth);
    if (/EBS:SnapshotArchiveStorage$/.test(a.usagetype)) return target(keys.ebsSnapshot(region, 'archive'), GB_MONTH, U.gbMonth);
    return `snapshot usage type ${a.usagetype} not handled`;
  }
  if (family === 'NAT Gateway') {
    if (/^NatGateway-Hours$/.test(usage)) return target(keys.natGatewayHour(region), HOURS, U.hour);
    if (/^NatGateway-Bytes$/.test(usage)) return target(keys.natGatewayData(region), GB, U.gb);
    return `NAT gateway usage type ${a.usagetype ?? 'unknown'} not handled`;
  }
  return `AmazonEC2 product family ${family || 'unknown'} not handled`;
}

function classifyVpc(p: Product, region: string): Target | string {
  const usage = usageOf(p.attributes);
  if (/^PublicIPv4:InUseAddress$/.test(usage)) return target(keys.publicIpv4(region, 'in-use'), HOURS, U.hour);
  if (/^PublicIPv4:IdleAddress$/.test(usage)) return target(keys.publicIpv4(region, 'idle'), HOURS, U.hour);
  if (/^VpcEndpoint-Hours$/.test(usage)) return target(keys.vpcEndpointHour(region), HOURS, U.hour);
  if (/^VpcEndpoint-Bytes$/.test(usage)) return target(keys.vpcEndpointData(region), GB, U.gb);
  if (/^VpcEndpoint-GWLBE-Hours$/.test(usage)) return target(keys.vpcEndpointGwlb(region, 'hour'), HOURS, U.hour);
  if (/^VpcEndpoint-GWLBE-Bytes$/.test(usage)) return target(keys.vpcEndpointGwlb(region, 'gb'), GB, U.gb);
  return `AmazonVPC usage type ${p.attributes.usagetype ?? 'unknown'} not handled`;
}

function classifyLoadBalancer(lb: 'alb' | 'nlb' | 'gwlb' | 'classic', a: Record<string, string>, region: string): Target | string {
  const usage = a.usagetype ?? '';
  if (/LoadBalancerUsage$/.test(usage)) return target(keys.loadBalancer(region, lb, 'hour'), HOURS, U.hour);
  if (/LCUUsage$/.test(usage) && lb !== 'classic') return target(keys.loadBalancer(region, lb, 'lcu'), ['LCU-Hrs'], U.lcuHour);
  if (/DataProcessing-Bytes$/.test(usage) && lb === 'classic') return target(keys.loadBalancer(region, lb, 'gb'), GB, U.gb);
  return `load balancer usage type ${usage || 'unknown'} not handled`;
}

function classifySageMaker(p: Product, region: string): Target | string {
  const a = p.attributes;
  if (p.productFamily === 'ML Instance') {
    const component = a.component ?? '';
    const usage = own(SAGEMAKER_COMPONENTS, component);
    if (usage === undefined) return `SageMaker component ${component || 'unknown'} not handled`;
    if (/spot/i.test(a.usagetype ?? '')) return `SageMaker usage type ${a.usagetype} (managed spot)`;
    const raw = a.instanceName ?? a.instanceType ?? '';
    const type = /^ml\.[a-z0-9-]+?\.[a-z0-9]+/.exec(raw)?.[0];
    if (type === undefined) return `SageMaker instance ${raw || 'unknown'} not recognised`;
    return target(keys.sagemakerInstance(region, usage, type), HOURS, U.hour);
  }
  const storage = /^([A-Za-z]+)[^:]*:VolumeUsage\.gp2$/.exec(usageOf(a));
  if (storage) {
    const usage = own(SAGEMAKER_STORAGE, storage[1]);
    if (usage === undefined) return `SageMaker storage usage type ${a.usagetype ?? ''} not handled`;
    return target(keys.sagemakerStorage(region, usage), GB_MONTH, U.gbMonth);
  }
  return `SageMaker product family ${p.productFamily || 'unknown'} not handled`;
}

const FARGATE: [RegExp, (region: string) => PriceQuery, string, string[]][] = [
  [/^Fargate-vCPU-Hours:perCPU$/, (r) => keys.fargateVcpu(r, 'x86'), U.vcpuHour, ['hours', 'vCPU-Hours', 'Hrs']],
  [/^Fargate-GB-Hours$/, (r) => keys.fargateMemory(r, 'x86'), U.gbHour, ['GB-Hours', 'hours', 'Hrs']],
  [/^Fargate-ARM-vCPU-Hours:perCPU$/, (r) => keys.fargateVcpu(r, 'arm'), U.vcpuHour, ['hours', 'vCPU-Hours', 'Hrs']],
  [/^Fargate-ARM-GB-Hours$/, (r) => keys.fargateMemory(r, 'arm'), U.gbHour, ['GB-Hours', 'hours', 'Hrs']],
  [/^Fargate-EphemeralStorage-GB-Hours$/, (r) => keys.fargateStorage(r), U.gbHour, ['GB-Hours', 'hours', 'Hrs']],
  [/^SpotUsage-Fargate-vCPU-Hours:perCPU$/, (r) => keys.fargateSpotVcpu(r, 'x86'), U.vcpuHour, ['hours', 'vCPU-Hours', 'Hrs']],
  [/^SpotUsage-Fargate-GB-Hours$/, (r) => keys.fargateSpotMemory(r, 'x86'), U.gbHour, ['GB-Hours', 'hours', 'Hrs']],
  [/^SpotUsage-Fargate-ARM-vCPU-Hours:perCPU$/, (r) => keys.fargateSpotVcpu(r, 'arm'), U.vcpuHour, ['hours', 'vCPU-Hours', 'Hrs']],
  [/^SpotUsage-Fargate-ARM-GB-Hours$/, (r) => keys.fargateSpotMemory(r, 'arm'), U.gbHour, ['GB-Hours', 'hours', 'Hrs']],
  [/^Fargate-Windows-vCPU-Hours:perCPU$/, (r) => keys.fargateWindows(r, 'vcpu'), U.vcpuHour, ['hours', 'vCPU-Hours', 'Hrs']],
  [/^Fargate-Windows-GB-Hours$/, (r) => keys.fargateWindows(r, 'memory'), U.gbHour, ['GB-Hours', 'hours', 'Hrs']],
  [/^Fargate-Windows-OS-Hours:perCPU$/, (r) => keys.fargateWindows(r, 'os-license'), U.vcpuHour, ['hours', 'vCPU-Hours', 'Hrs']],
];

function classifyFargate(p: Product, region: string): Target | string | undefined {
  const usage = usageOf(p.attributes);
  for (const [re, query, unit, units] of FARGATE) if (re.test(usage)) return target(query(region), units, unit);
  return undefined;
}

function classifyEks(p: Product, region: string): Target | string {
  const usage = usageOf(p.attributes);
  if (/^AmazonEKS-Hours:perCluster$/.test(usage)) return target(keys.eksCluster(region, 'standard'), HOURS, U.hour);
  if (/^AmazonEKS-Hours:extendedSupport$/.test(usage)) return target(keys.eksCluster(region, 'extended'), HOURS, U.hour);
  // EKS lists the Fargate meters too (same rates); AmazonECS's own products are preferred.
  return classifyFargate(p, region) ?? `AmazonEKS usage type ${p.attributes.usagetype ?? 'unknown'} not handled`;
}

/** S3 usage-type classes (`TimedStorage-SIA-ByteHrs`, `Requests-SIA-Tier1`) -> Terraform storage classes. */
const S3_CLASSES: Record<string, string> = {
  '': 'STANDARD',
  'SIA-': 'STANDARD_IA',
  'ZIA-': 'ONEZONE_IA',
  'GIR-': 'GLACIER_IR',
  'GDA-': 'DEEP_ARCHIVE',
  'INT-FA-': 'INTELLIGENT_TIERING',
};
const S3_REQUEST_CLASSES: Record<string, string> = {
  '': 'STANDARD',
  'SIA-': 'STANDARD_IA',
  'ZIA-': 'ONEZONE_IA',
  'GIR-': 'GLACIER_IR',
  'GLACIER-': 'GLACIER',
  'GDA-': 'DEEP_ARCHIVE',
  'INT-': 'INTELLIGENT_TIERING',
};

function classifyS3(p: Product, region: string): Target | string {
  const usage = usageOf(p.attributes);
  if (usage === 'TimedStorage-GlacierByteHrs') return target(keys.s3Storage(region, 'GLACIER'), GB_MONTH, U.gbMonth);
  const storage = /^TimedStorage-((?:[A-Z]+-)*)ByteHrs$/.exec(usage);
  if (storage) {
    const cls = own(S3_CLASSES, storage[1]);
    if (cls === undefined) return `S3 storage usage type ${usage} not handled`;
    return target(keys.s3Storage(region, cls), GB_MONTH, U.gbMonth);
  }
  const request = /^Requests-((?:[A-Z]+-)*)Tier([12])$/.exec(usage);
  if (request) {
    const cls = own(S3_REQUEST_CLASSES, request[1]);
    if (cls === undefined) return `S3 request usage type ${usage} not handled`;
    return target(keys.s3Requests(region, cls, request[2] === '1' ? 'tier1' : 'tier2'), REQUESTS, U.request);
  }
  return `AmazonS3 usage type ${p.attributes.usagetype ?? 'unknown'} not handled`;
}

const RDS_ENGINES: Record<string, string> = { MySQL: 'mysql', PostgreSQL: 'postgres', MariaDB: 'mariadb' };
const AURORA_ENGINES: Record<string, string> = { 'Aurora MySQL': 'aurora-mysql', 'Aurora PostgreSQL': 'aurora-postgresql' };
const RDS_DEPLOYMENTS: Record<string, string> = {
  'Single-AZ': 'single-az',
  'Multi-AZ': 'multi-az',
  'Multi-AZ (readable standbys)': 'multi-az-cluster',
};
const RDS_VOLUMES: Record<string, string> = {
  'General Purpose': 'gp2',
  'General Purpose-GP3': 'gp3',
  'Provisioned IOPS': 'io1',
  'Provisioned IOPS-IO2': 'io2',
  Magnetic: 'standard',
};
/** Storage and IOPS rows priced for every open-source engine alike. */
const RDS_STORAGE_ENGINES = new Set(['Any', 'MySQL', 'PostgreSQL', 'MariaDB']);

function classifyRds(p: Product, region: string): Target | string {
  const a = p.attributes;
  const family = p.productFamily;
  const usage = usageOf(a);
  if (a.locationType !== undefined && a.locationType !== 'AWS Region') return `location type ${a.locationType}`;
  if (family === 'Database Instance') {
    const type = a.instanceType;
    if (!type?.startsWith('db.')) return `RDS instance type ${type ?? 'unknown'} not recognised`;
    if (/ExtendedSupport/i.test(usage)) return `usage type ${a.usagetype ?? ''} (extended support)`;
    const aurora = own(AURORA_ENGINES, a.databaseEngine);
    if (aurora !== undefined) {
      return target(keys.auroraInstance(region, aurora, type, /IOOptimized/i.test(usage) ? 'io-optimized' : 'standard'), HOURS, U.hour);
    }
    const engine = own(RDS_ENGINES, a.databaseEngine);
    if (engine === undefined) return `RDS engine ${a.databaseEngine ?? 'unknown'} not handled`;
    const deployment = own(RDS_DEPLOYMENTS, a.deploymentOption);
    if (deployment === undefined) return `RDS deployment ${a.deploymentOption ?? 'unknown'} not handled`;
    return target(keys.rdsInstance(region, engine, type, deployment), HOURS, U.hour);
  }
  if (/^Aurora:StorageUsage$/.test(usage)) return target(keys.auroraStorage(region, 'standard'), GB_MONTH, U.gbMonth);
  if (/^Aurora:IO-OptimizedStorageUsage$/.test(usage)) return target(keys.auroraStorage(region, 'io-optimized'), GB_MONTH, U.gbMonth);
  if (/^Aurora:StorageIOUsage$/.test(usage)) return target(keys.auroraIo(region), ['IOs'], U.request);
  const serverless = /^Aurora:Serverless(V2)?(IOOptimized)?Usage$/.exec(usage);
  if (serverless) {
    const engine = own(AURORA_ENGINES, a.databaseEngine);
    if (engine === undefined) return `Aurora Serverless engine ${a.databaseEngine ?? 'unknown'} not handled`;
    const storage = serverless[2] ? 'io-optimized' : 'standard';
    return target(keys.auroraServerless(region, engine, serverless[1] ? 'v2' : 'v1', storage), ['ACU-Hr', 'ACU-Hrs', 'ACU-Hours'], U.acuHour);
  }
  if (/^RDS:ChargedBackupUsage$/.test(usage)) return target(keys.rdsBackupStorage(region), GB_MONTH, U.gbMonth);
  if (/^RDS:StorageIOUsage$/.test(usage)) return target(keys.rdsIoRequests(region), ['IOs'], U.request);
  const engineOk = a.databaseEngine === undefined || RDS_STORAGE_ENGINES.has(a.databaseEngine);
  if (family === 'Database Storage') {
    if (!engineOk) return `RDS storage for engine ${a.databaseEngine ?? ''} not handled`;
    const volume = own(RDS_VOLUMES, a.volumeType);
    const deployment = own(RDS_DEPLOYMENTS, a.deploymentOption);
    if (volume === undefined || deployment === undefined) return `RDS storage ${a.volumeType ?? 'unknown'} / ${a.deploymentOption ?? 'unknown'} not handled`;
    return target(keys.rdsStorage(region, volume, deployment), GB_MONTH, U.gbMonth);
  }
  if (family === 'Provisioned IOPS') {
    if (!engineOk) return `RDS IOPS for engine ${a.databaseEngine ?? ''} not handled`;
    const deployment = own(RDS_DEPLOYMENTS, a.deploymentOption);
    const volume = /IO2/i.test(usage) ? 'io2' : /GP3/i.test(usage) ? 'gp3' : /PIOPS/i.test(usage) ? 'io1' : undefined;
    if (volume === undefined || deployment === undefined) return `RDS IOPS usage type ${a.usagetype ?? 'unknown'} not handled`;
    return target(keys.rdsIops(region, volume, deployment), ['IOPS-Mo'], U.iopsMonth);
  }
  if (family === 'Provisioned Throughput') {
    if (!engineOk) return `RDS throughput for engine ${a.databaseEngine ?? ''} not handled`;
    const deployment = own(RDS_DEPLOYMENTS, a.deploymentOption);
    if (deployment === undefined || !/GP3/i.test(usage)) return `RDS throughput usage type ${a.usagetype ?? 'unknown'} not handled`;
    return target(keys.rdsThroughput(region, 'gp3', deployment), ['MiBps-Mo', 'GiBps-mo'], U.mibpsMonth);
  }
  return `AmazonRDS product family ${family || 'unknown'} not handled`;
}

function classifyElastiCache(p: Product, region: string): Target | string {
  const a = p.attributes;
  const usage = usageOf(a);
  if (p.productFamily === 'Cache Instance') {
    const type = a.instanceType;
    if (!type?.startsWith('cache.')) return `ElastiCache node type ${type ?? 'unknown'} not recognised`;
    if (!/^NodeUsage:cache\./.test(usage)) return `usage type ${a.usagetype ?? 'unknown'} (not on-demand node usage)`;
    const engine = a.cacheEngine?.toLowerCase();
    if (engine !== 'redis' && engine !== 'valkey' && engine !== 'memcached') return `cache engine ${a.cacheEngine ?? 'unknown'} not handled`;
    return target(keys.elasticacheNode(region, engine, type), HOURS, U.hour);
  }
  if (/^BackupUsage$/.test(usage)) return target(keys.elasticacheBackupStorage(region), GB_MONTH, U.gbMonth);
  return `AmazonElastiCache product family ${p.productFamily || 'unknown'} not handled`;
}

const EFS_STORAGE: Record<string, string> = {
  'TimedStorage-ByteHrs': 'standard',
  'TimedStorage-Z-ByteHrs': 'one-zone',
  'IATimedStorage-Z-ByteHrs': 'one-zone-ia',
  'ArchiveTimedStorage-ByteHrs': 'archive',
};

function classifyEfs(p: Product, region: string): Target | string {
  const usage = usageOf(p.attributes);
  const cls = own(EFS_STORAGE, usage);
  if (cls !== undefined) return target(keys.efsStorage(region, cls), GB_MONTH, U.gbMonth);
  // Regional Infrequent Access has a legacy and a current meter; which is current is not in the
  // data, so it is left to the snapshot (see README, Prices).
  if (/^IATimedStorage/.test(usage)) return `EFS usage type ${usage} (Infrequent Access meter; kept from the snapshot)`;
  if (/^ProvisionedTP-MiBpsHrs$/.test(usage)) return target(keys.efsProvisionedThroughput(region), ['MiBps-Mo'], U.mibpsMonth);
  return `AmazonEFS usage type ${p.attributes.usagetype ?? 'unknown'} not handled`;
}

const FSX_DEPLOYMENTS: Record<string, string> = {
  Scratch_1: 'SCRATCH_1',
  Scratch_2: 'SCRATCH_2',
  Persistent_1: 'PERSISTENT_1',
  Persistent_2: 'PERSISTENT_2',
};

function classifyFsx(p: Product, region: string): Target | string {
  const a = p.attributes;
  if (a.fileSystemType !== undefined && a.fileSystemType !== 'Lustre') return `FSx file system type ${a.fileSystemType} not handled`;
  const usage = usageOf(a);
  if (/BackupUsage$/.test(usage)) return target(keys.fsxLustreBackup(region), GB_MONTH, U.gbMonth);
  if (p.productFamily !== 'Storage') return `AmazonFSx product family ${p.productFamily || 'unknown'} not handled`;
  const deployment = own(FSX_DEPLOYMENTS, a.deploymentOption);
  if (deployment === undefined) return `FSx for Lustre deployment ${a.deploymentOption ?? 'unknown'} not handled`;
  if (deployment.startsWith('SCRATCH')) return target(keys.fsxLustreStorage(region, deployment), GB_MONTH, U.gbMonth);
  const throughput = Number(a.throughputCapacity);
  if (!Number.isInteger(throughput) || throughput <= 0) return `FSx for Lustre throughput ${a.throughputCapacity ?? 'unknown'} not recognised`;
  return target(keys.fsxLustreStorage(region, deployment, throughput), GB_MONTH, U.gbMonth);
}

const LAMBDA_GROUPS: Record<string, [(region: string) => PriceQuery, string[], string]> = {
  'AWS-Lambda-Requests': [(r) => keys.lambdaRequests(r), REQUESTS, U.request],
  'AWS-Lambda-Duration': [(r) => keys.lambdaDuration(r, 'x86'), GB_SECONDS, U.gbSecond],
  'AWS-Lambda-Duration-ARM': [(r) => keys.lambdaDuration(r, 'arm'), GB_SECONDS, U.gbSecond],
  'AWS-Lambda-Provisioned-Concurrency': [(r) => keys.lambdaProvisionedConcurrency(r, 'x86'), GB_SECONDS, U.gbSecond],
  'AWS-Lambda-Provisioned-Concurrency-ARM': [(r) => keys.lambdaProvisionedConcurrency(r, 'arm'), GB_SECONDS, U.gbSecond],
  'AWS-Lambda-Duration-Provisioned': [(r) => keys.lambdaProvisionedDuration(r, 'x86'), GB_SECONDS, U.gbSecond],
  'AWS-Lambda-Duration-Provisioned-ARM': [(r) => keys.lambdaProvisionedDuration(r, 'arm'), GB_SECONDS, U.gbSecond],
  'AWS-Lambda-Storage-Duration': [(r) => keys.lambdaEphemeralStorage(r, 'x86'), GB_SECONDS, U.gbSecond],
  'AWS-Lambda-Storage-Duration-ARM': [(r) => keys.lambdaEphemeralStorage(r, 'arm'), GB_SECONDS, U.gbSecond],
};

function classifyLambda(p: Product, region: string): Target | string {
  const a = p.attributes;
  const entry = own(LAMBDA_GROUPS, a.group);
  if (entry === undefined) return `Lambda group ${a.group ?? 'unknown'} not handled`;
  // Requests cost the same on both architectures; the x86 row is the one kept.
  if (a.group === 'AWS-Lambda-Requests' && /ARM/i.test(a.usagetype ?? '')) return 'Lambda Arm requests row (same rate as x86)';
  const [query, units, unit] = entry;
  return target(query(region), units, unit);
}

function classifyCloudWatch(p: Product, region: string): Target | string {
  const usage = usageOf(p.attributes);
  if (p.productFamily === 'Data Payload') {
    if (usage === 'DataProcessing-Bytes') return target(keys.cloudwatchLogsIngest(region), GB, U.gb);
    if (usage === 'DataProcessingIA-Bytes') return target(keys.cloudwatchLogsIngestInfrequentAccess(region), GB, U.gb);
    if (usage === 'DataScanned-Bytes') return target(keys.cloudwatchLogsInsights(region), GB, U.gb);
  }
  if (p.productFamily === 'Storage Snapshot' && usage === 'TimedStorage-ByteHrs') return target(keys.cloudwatchLogsStorage(region), GB_MONTH, U.gbMonth);
  return `AmazonCloudWatch usage type ${p.attributes.usagetype ?? 'unknown'} not handled`;
}

function classifyDataTransfer(p: Product, region: string, options: NormalizeOptions): Target | string {
  const a = p.attributes;
  if (p.productFamily !== 'Data Transfer') return `AWSDataTransfer product family ${p.productFamily || 'unknown'} not handled`;
  if (a.fromLocationType !== undefined && a.fromLocationType !== 'AWS Region') return `from location type ${a.fromLocationType}`;
  if (a.transferType === 'AWS Outbound' && a.toLocation === 'External') {
    return target(keys.dataTransferInternetOut(region), GB, U.gb, { zeroIsMissing: false });
  }
  if (a.transferType === 'InterRegion Outbound') {
    const to = a.toRegionCode || (a.toLocation ? locationRegion(a.toLocation, options) : undefined);
    if (!to) return `inter-region destination ${a.toLocation ?? 'unknown'} not recognised`;
    if (to === region) return 'inter-region row to its own region';
    return target(keys.dataTransferInterRegion(region, to), GB, U.gb);
  }
  return `data transfer type ${a.transferType ?? 'unknown'} to ${a.toLocation ?? 'unknown'} not handled`;
}

function classifyEmr(p: Product, region: string): Target | string {
  const a = p.attributes;
  if (p.productFamily !== 'Elastic Map Reduce Instance') return `ElasticMapReduce product family ${p.productFamily || 'unknown'} not handled`;
  if (a.softwareType !== undefined && a.softwareType !== 'EMR') return `EMR software type ${a.softwareType} (not EMR on EC2)`;
  if (!a.instanceType) return 'EMR product without instanceType';
  if (!/(^|-)BoxUsage:/.test(a.usagetype ?? '')) return `EMR usage type ${a.usagetype ?? 'unknown'} not handled`;
  return target(keys.emrFee(region, a.instanceType), HOURS, U.hour);
}

function classifyMsk(p: Product, region: string): Target | string {
  const a = p.attributes;
  const usage = usageOf(a);
  if (a.locationType !== undefined && a.locationType !== 'AWS Region') return `location type ${a.locationType}`;
  if (a.storageFamily === 'GP2' || /^Kafka\.Storage\.GP2$/i.test(usage)) return target(keys.mskStorage(region, 'standard'), GB_MONTH, U.gbMonth);
  const broker = /^Kafka\.([a-z][a-z0-9]*\.[a-z0-9]+)$/.exec(usage);
  if (broker) return target(keys.mskBroker(region, `kafka.${broker[1]}`), HOURS, U.hour);
  return `AmazonMSK usage type ${a.usagetype ?? 'unknown'} not handled`;
}

function classifyKinesis(p: Product, region: string): Target | string {
  const usage = usageOf(p.attributes);
  if (usage === 'Storage-ShardHour') return target(keys.kinesisStream(region, 'provisioned', 'shard-hour'), ['ShardHour', 'Hrs', 'Hours'], U.shardHour);
  if (usage === 'PutRequestPayloadUnits') return target(keys.kinesisStream(region, 'provisioned', 'put-unit'), ['PutRequest', 'PutRequests', 'Units'], 'USD/PUT payload unit');
  if (usage === 'Extended-ShardHour') return target(keys.kinesisStream(region, 'provisioned', 'extended-retention'), ['ShardHour', 'Hrs', 'Hours'], U.shardHour);
  return `AmazonKinesis usage type ${p.attributes.usagetype ?? 'unknown'} not handled`;
}

function classify(p: Product, region: string, options: NormalizeOptions): Target | string {
  const family = p.productFamily;
  if (family.startsWith('Compute Instance')) return classifyEc2Instance(p.attributes, region);
  const lb = own(LOAD_BALANCER_FAMILIES, family);
  if (lb !== undefined) return classifyLoadBalancer(lb, p.attributes, region);
  if (family === 'ML Instance') return classifySageMaker(p, region);
  const service = p.attributes.servicecode || p.offerCode;
  switch (service) {
    case 'AmazonEC2':
      return classifyEc2(p, region);
    case 'AmazonVPC':
      return classifyVpc(p, region);
    case 'AmazonSageMaker':
      return classifySageMaker(p, region);
    case 'AmazonEKS':
      return classifyEks(p, region);
    case 'AmazonECS':
      return classifyFargate(p, region) ?? `AmazonECS usage type ${p.attributes.usagetype ?? 'unknown'} not handled`;
    case 'AmazonS3':
      return classifyS3(p, region);
    case 'AmazonRDS':
      return classifyRds(p, region);
    case 'AmazonElastiCache':
      return classifyElastiCache(p, region);
    case 'AmazonEFS':
      return classifyEfs(p, region);
    case 'AmazonFSx':
      return classifyFsx(p, region);
    case 'AWSLambda':
      return classifyLambda(p, region);
    case 'AmazonCloudWatch':
      return classifyCloudWatch(p, region);
    case 'AWSDataTransfer':
      return classifyDataTransfer(p, region, options);
    case 'ElasticMapReduce':
      return classifyEmr(p, region);
    case 'AmazonMSK':
      return classifyMsk(p, region);
    case 'AmazonKinesis':
      return classifyKinesis(p, region);
    default:
      return `product family ${family || 'unknown'} not handled`;
  }
}

// ---------------------------------------------------------------------------------------------
// Terms and dimensions

interface Dimension {
  begin: number;
  end: number | null;
  usd: number;
  unit: string;
  rateCode: string;
  description: string;
}

function dimensionsOf(term: Dict): Dimension[] | string {
  const dims = isDict(term.priceDimensions) ? Object.values(term.priceDimensions) : [];
  const out: Dimension[] = [];
  for (const d of dims) {
    if (!isDict(d)) continue;
    const unit = str(d.unit) ?? '';
    const description = str(d.description) ?? '';
    if (unit === 'Quantity' || /upfront fee/i.test(description)) return 'upfront fee listed under OnDemand (not an hourly price)';
    const usdText = isDict(d.pricePerUnit) ? str(d.pricePerUnit.USD) : undefined;
    const usd = usdText === undefined ? NaN : Number(usdText);
    if (!Number.isFinite(usd)) return 'price dimension without a USD price';
    const begin = Number(str(d.beginRange) ?? '0');
    const endText = str(d.endRange) ?? 'Inf';
    out.push({
      begin: Number.isFinite(begin) ? begin : 0,
      end: endText === 'Inf' ? null : Number(endText),
      usd,
      unit,
      rateCode: str(d.rateCode) ?? '',
      description,
    });
  }
  if (out.length === 0) return 'on-demand term without price dimensions';
  return out.sort((x, y) => x.begin - y.begin);
}

/** Tiers must start at 0 and follow each other without gaps, the last one open-ended. */
function tiersContiguous(dims: Dimension[]): boolean {
  if (dims[0]?.begin !== 0 || dims[dims.length - 1]?.end !== null) return false;
  for (let i = 1; i < dims.length; i++) if (dims[i - 1]?.end !== dims[i]?.begin) return false;
  return true;
}

function locationRegion(location: string, options: NormalizeOptions): string | undefined {
  const extra = options.locations;
  if (extra && Object.hasOwn(extra, location)) return extra[location];
  return REGION_LOCATIONS.get(location);
}

function regionOf(p: Product, options: NormalizeOptions): string | undefined {
  const a = p.attributes;
  if (p.productFamily === 'Data Transfer') {
    if (a.fromRegionCode) return a.fromRegionCode;
    return a.fromLocation ? locationRegion(a.fromLocation, options) : undefined;
  }
  if (a.regionCode) return a.regionCode;
  return a.location ? locationRegion(a.location, options) : undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function clean(x: number): number {
  return Number(x.toPrecision(12));
}

interface Part {
  price: NormalizedPrice;
  index: number;
  of: number;
  upTo: number | null;
}

/**
 * Reads every product of the input (a bulk offer file, GetProducts PriceList items as objects or
 * JSON strings, or one item) and returns one price per service, region and key, sorted. Products
 * that give no price are reported through `onSkip` with the reason.
 */
export function normalizeOfferProducts(input: unknown, options: NormalizeOptions = {}): NormalizedPrice[] {
  const skip = (sku: string, reason: string): void => options.onSkip?.({ sku, reason });
  const out: NormalizedPrice[] = [];
  const parts = new Map<string, Part[]>();

  for (const product of collectProducts(input)) {
    const region = regionOf(product, options);
    if (region === undefined) {
      const where = product.productFamily === 'Data Transfer' ? product.attributes.fromLocation : product.attributes.location;
      skip(product.sku, `no region: location ${where ?? 'missing'} is unknown and there is no regionCode`);
      continue;
    }
    const target = classify(product, region, options);
    if (typeof target === 'string') {
      skip(product.sku, target);
      continue;
    }
    let terms = Object.values(product.onDemand).filter(isDict);
    if (terms.length === 0) {
      skip(product.sku, 'no on-demand term');
      continue;
    }
    const asOf = options.asOf;
    if (asOf !== undefined) {
      const current = terms.filter((t) => (str(t.effectiveDate) ?? '').slice(0, 10) <= asOf);
      if (current.length === 0) {
        skip(product.sku, `on-demand term effective only after ${asOf}`);
        continue;
      }
      terms = current;
    }
    // The newest effective on-demand term wins when a SKU lists several.
    terms.sort((x, y) => compare(str(y.effectiveDate) ?? '', str(x.effectiveDate) ?? ''));
    for (const term of terms) {
      const ta = isDict(term.termAttributes) ? term.termAttributes : {};
      if ('LeaseContractLength' in ta || 'PurchaseOption' in ta) {
        skip(product.sku, `reserved term (${[ta.LeaseContractLength, ta.PurchaseOption].filter(Boolean).join(' ')}) listed under OnDemand`);
        continue;
      }
      const dims = dimensionsOf(term);
      if (typeof dims === 'string') {
        skip(product.sku, dims);
        continue;
      }
      const accepted = target.units.map((u) => u.toLowerCase());
      const wrongUnit = dims.find((d) => !accepted.includes(d.unit.toLowerCase()));
      if (wrongUnit) {
        skip(product.sku, `unit ${wrongUnit.unit}, expected ${target.units.join(' or ')}`);
        continue;
      }
      if (dims.length > 1 && !tiersContiguous(dims)) {
        skip(product.sku, 'price dimensions are not contiguous tiers');
        continue;
      }
      const divisor = dims[0]?.unit.toLowerCase() === 'gibps-mo' ? 1024 : 1;
      const first = dims[0];
      if (first === undefined) continue;
      if (target.zeroIsMissing && dims.every((d) => d.usd === 0)) {
        skip(product.sku, 'price is 0 (not a usable on-demand price)');
        continue;
      }
      const date = /^\d{4}-\d{2}-\d{2}/.exec(str(term.effectiveDate) ?? '')?.[0];
      if (date === undefined) {
        skip(product.sku, 'on-demand term without effectiveDate');
        continue;
      }
      const price: NormalizedPrice = {
        service: target.q.service,
        region: target.q.region,
        key: target.q.key,
        usd: clean(first.usd / divisor),
        unit: target.unit,
        sku: product.sku,
        rateCode: first.rateCode,
        sourceDate: date,
        description: first.description,
        offerCode: product.offerCode,
      };
      if (dims.length > 1) price.tiers = dims.map((d) => ({ upTo: d.end, usd: clean(d.usd / divisor) }));
      if (target.part) {
        const id = `${price.service}\u0000${price.region}\u0000${price.key}`;
        const list = parts.get(id) ?? [];
        list.push({ price, ...target.part });
        parts.set(id, list);
      } else {
        out.push(price);
      }
      break;
    }
  }

  for (const list of parts.values()) out.push(...assembleParts(list, skip));
  return dedupe(out, skip).sort(
    (a, b) => compare(a.service, b.service) || compare(a.region, b.region) || compare(a.key, b.key) || compare(a.sku, b.sku),
  );
}

/** A price sold as one product per tier (io2 IOPS): one tiered price when every tier is there. */
function assembleParts(list: Part[], skip: (sku: string, reason: string) => void): NormalizedPrice[] {
  const of = list[0]?.of ?? 0;
  const byIndex = new Map<number, Part>();
  for (const p of list) if (!byIndex.has(p.index)) byIndex.set(p.index, p);
  const ordered = [...byIndex.values()].sort((a, b) => a.index - b.index);
  const first = ordered[0];
  if (first === undefined || ordered.length !== of || ordered.some((p) => p.price.tiers !== undefined)) {
    for (const p of list) skip(p.price.sku, `tier ${p.index + 1} of ${of} for ${p.price.key}: the other tiers are missing`);
    return [];
  }
  const price: NormalizedPrice = {
    ...first.price,
    sourceDate: ordered.map((p) => p.price.sourceDate).sort()[0] ?? first.price.sourceDate,
    tiers: ordered.map((p) => ({ upTo: p.upTo, usd: p.price.usd })),
  };
  return [price];
}

/**
 * One price per service, region and key: the product of the key's own service wins (AmazonECS's
 * Fargate rows over AmazonEKS's copies), then the lowest SKU; the others are skipped, saying so.
 */
function dedupe(prices: NormalizedPrice[], skip: (sku: string, reason: string) => void): NormalizedPrice[] {
  const rank = (p: NormalizedPrice): number => (p.offerCode === p.service ? 0 : 1);
  const sorted = [...prices].sort((a, b) => rank(a) - rank(b) || compare(a.sku, b.sku));
  const kept = new Map<string, NormalizedPrice>();
  for (const p of sorted) {
    const id = `${p.service}\u0000${p.region}\u0000${p.key}`;
    const prior = kept.get(id);
    if (prior === undefined) {
      kept.set(id, p);
      continue;
    }
    const same = prior.usd === p.usd && JSON.stringify(prior.tiers) === JSON.stringify(p.tiers);
    skip(p.sku, `duplicate of ${prior.sku} for ${p.key} in ${p.region}${same ? ' (same price)' : ` (price ${p.usd} differs from ${prior.usd}; kept ${prior.sku})`}`);
  }
  return [...kept.values()];
}
