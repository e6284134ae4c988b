/**
 * Turns AWS Price List data (a bulk offer file, or GetProducts `PriceList` items) into prices
 * addressed with the keys of src/pricing/keys.ts. Pure: no IO, no clock.
 *
 * Handled: EC2 Linux on-demand instances, EBS storage / IOPS / throughput / snapshots, load
 * balancer hours / LCU / data, SageMaker `ML Instance` usage. Everything else is skipped with a
 * reason (see `onSkip`). Traps handled on purpose:
 *   - Capacity Block SKUs (marketoption CapacityBlock, operation RunInstances:CB) carry a $0
 *     on-demand price and are not instance prices;
 *   - reserved-instance dimensions ("Upfront Fee", unit Quantity, lease attributes) can appear
 *     under `terms.OnDemand` and are not hourly prices;
 *   - Windows, RHEL, BYOL, dedicated tenancy and pre-installed software rows are not Linux prices.
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
  /** Divide the source price by this (GiBps-month -> MiBps-month). */
  divisor?: number;
  zeroIsMissing: boolean;
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

const SAGEMAKER_COMPONENTS: Record<string, SageMakerUsage> = {
  Hosting: 'hosting',
  Training: 'training',
  Processing: 'processing',
  Notebook: 'notebook',
  BatchTransform: 'batch',
};

const LOAD_BALANCER_FAMILIES: Record<string, 'alb' | 'nlb' | 'gwlb' | 'classic'> = {
  'Load Balancer-Application': 'alb',
  'Load Balancer-Network': 'nlb',
  'Load Balancer-Gateway': 'gwlb',
  'Load Balancer': 'classic',
};

/** What price a product is, or why it is none of the handled kinds. */
function classify(p: Product, region: string): Target | string {
  const a = p.attributes;
  const family = p.productFamily;

  if (family.startsWith('Compute Instance')) {
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
    return { q: keys.ec2Instance(region, type), units: ['Hrs'], unit: 'USD/hour', zeroIsMissing: true };
  }

  const volume = a.volumeApiName;
  if (family === 'Storage' && volume) {
    return { q: keys.ebsStorage(region, volume), units: ['GB-Mo'], unit: 'USD/GB-month', zeroIsMissing: true };
  }
  if (family === 'System Operation' && volume && /IOPS/i.test(a.group ?? '')) {
    return { q: keys.ebsIops(region, volume), units: ['IOPS-Mo'], unit: 'USD/IOPS-month', zeroIsMissing: true };
  }
  if (family === 'Provisioned Throughput' && volume) {
    return {
      q: keys.ebsThroughput(region, volume),
      units: ['GiBps-mo', 'MiBps-Mo'],
      unit: 'USD/MiBps-month',
      zeroIsMissing: true,
    };
  }
  if (family === 'Storage Snapshot' && a.usagetype) {
    if (/EBS:SnapshotUsage$/.test(a.usagetype)) {
      return { q: keys.ebsSnapshot(region, 'standard'), units: ['GB-Mo'], unit: 'USD/GB-month', zeroIsMissing: true };
    }
    if (/EBS:SnapshotArchiveStorage$/.test(a.usagetype)) {
      return { q: keys.ebsSnapshot(region, 'archive'), units: ['GB-Mo'], unit: 'USD/GB-month', zeroIsMissing: true };
    }
    return `snapshot usage type ${a.usagetype} not handled`;
  }

  const lb = Object.hasOwn(LOAD_BALANCER_FAMILIES, family) ? LOAD_BALANCER_FAMILIES[family] : undefined;
  if (lb !== undefined) {
    const usage = a.usagetype ?? '';
    if (/LoadBalancerUsage$/.test(usage)) {
      return { q: keys.loadBalancer(region, lb, 'hour'), units: ['Hrs'], unit: 'USD/hour', zeroIsMissing: true };
    }
    if (/LCUUsage$/.test(usage) && lb !== 'classic') {
      return { q: keys.loadBalancer(region, lb, 'lcu'), units: ['LCU-Hrs'], unit: 'USD/LCU-hour', zeroIsMissing: true };
    }
    if (/DataProcessing-Bytes$/.test(usage) && lb === 'classic') {
      return { q: keys.loadBalancer(region, lb, 'gb'), units: ['GB'], unit: 'USD/GB', zeroIsMissing: true };
    }
    return `load balancer usage type ${usage || 'unknown'} not handled`;
  }

  if (family === 'ML Instance') {
    const component = a.component ?? '';
    const usage = Object.hasOwn(SAGEMAKER_COMPONENTS, component) ? SAGEMAKER_COMPONENTS[component] : undefined;
    if (usage === undefined) return `SageMaker component ${component || 'unknown'} not handled`;
    if (/spot/i.test(a.usagetype ?? '')) return `SageMaker usage type ${a.usagetype} (managed spot)`;
    const raw = a.instanceName ?? a.instanceType ?? '';
    const type = /^ml\.[a-z0-9-]+?\.[a-z0-9]+/.exec(raw)?.[0];
    if (type === undefined) return `SageMaker instance ${raw || 'unknown'} not recognised`;
    return { q: keys.sagemakerInstance(region, usage, type), units: ['Hrs', 'Hours'], unit: 'USD/hour', zeroIsMissing: true };
  }

  return `product family ${family || 'unknown'} not handled`;
}

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

function regionOf(p: Product, options: NormalizeOptions): string | undefined {
  const code = p.attributes.regionCode;
  if (code) return code;
  const location = p.attributes.location;
  if (!location) return undefined;
  const extra = options.locations;
  if (extra && Object.hasOwn(extra, location)) return extra[location];
  return REGION_LOCATIONS.get(location);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function clean(x: number): number {
  return Number(x.toPrecision(12));
}

export function normalizeOfferProducts(input: unknown, options: NormalizeOptions = {}): NormalizedPrice[] {
  const skip = (sku: string, reason: string): void => options.onSkip?.({ sku, reason });
  const out: NormalizedPrice[] = [];

  for (const product of collectProducts(input)) {
    const region = regionOf(product, options);
    if (region === undefined) {
      skip(product.sku, `no region: location ${product.attributes.location ?? 'missing'} is unknown and there is no regionCode`);
      continue;
    }
    const target = classify(product, region);
    if (typeof target === 'string') {
      skip(product.sku, target);
      continue;
    }
    const terms = Object.values(product.onDemand).filter(isDict);
    if (terms.length === 0) {
      skip(product.sku, 'no on-demand term');
      continue;
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
      const divisor = target.q.key.endsWith(':throughput') && dims[0]?.unit.toLowerCase() === 'gibps-mo' ? 1024 : 1;
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
      out.push(price);
      break;
    }
  }

  return out.sort(
    (a, b) => compare(a.service, b.service) || compare(a.region, b.region) || compare(a.key, b.key) || compare(a.sku, b.sku),
  );
}
