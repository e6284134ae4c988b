/**
 * Lambda function: requests and duration (GB-seconds, tiered) from usage, ephemeral storage above
 * 512 MB, and provisioned concurrency configured for it. https://aws.amazon.com/lambda/pricing/
 */
import { HOURS_PER_MONTH } from '../cost.js';
import { keys } from '../keys.js';
import type { ComponentSpec, Pricer, PricerContext, ResourceView } from '../types.js';

/** Terraform's default memory_size (MB). */
const DEFAULT_MEMORY_MB = 128;
/** Ephemeral storage included at no charge (MB). */
const FREE_EPHEMERAL_MB = 512;
const MB_PER_GB = 1024;
const MS_PER_SECOND = 1000;
const SECONDS_PER_HOUR = 3600;

const REQUESTS = 'monthly_requests';
const DURATION = 'request_duration_ms';
/** Of monthly_requests, those served by provisioned concurrency (billed at its lower duration price). */
const PROVISIONED_REQUESTS = 'monthly_provisioned_requests';

function arch(r: ResourceView): 'x86' | 'arm' {
  const a = r.get('architectures');
  return Array.isArray(a) && a[0] === 'arm64' ? 'arm' : 'x86';
}

function provisionedConcurrency(r: ResourceView, ctx: PricerContext): { executions: number; configs: ResourceView[] } {
  const configs = ctx.referencing(r, 'aws_lambda_provisioned_concurrency_config');
  return { executions: configs.reduce((a, c) => a + c.num('provisioned_concurrent_executions', 0), 0), configs };
}

export const awsLambdaFunction = {
  type: 'aws_lambda_function',
  components(r, ctx) {
    const region = r.region;
    const a = arch(r);
    const label = a === 'arm' ? 'Arm' : 'x86';
    const memoryMb = r.num('memory_size');
    const gb = (memoryMb ?? DEFAULT_MEMORY_MB) / MB_PER_GB;
    const memoryGiven = r.get('memory_size') !== undefined && r.get('memory_size') !== null;
    const memoryAssumption = memoryMb === undefined && !memoryGiven ? { assumption: `memory_size ${DEFAULT_MEMORY_MB} MB assumed (Terraform default)` } : {};
    // A memory size that cannot be read (a variable without a value) leaves GB-second lines unpriced.
    const memoryUnknown = memoryMb === undefined && memoryGiven ? { unpricedReason: r.why('memory_size') } : {};
    const requests = ctx.usage.num(REQUESTS);
    const durationMs = ctx.usage.num(DURATION);
    // Lambda bills duration rounded up to the nearest millisecond.
    const seconds = durationMs === undefined ? undefined : Math.ceil(durationMs) / MS_PER_SECOND;
    const pc = provisionedConcurrency(r, ctx);
    const provisionedRequests = pc.executions > 0 ? Math.min(ctx.usage.num(PROVISIONED_REQUESTS) ?? 0, requests ?? 0) : 0;
    const onDemandRequests = requests === undefined ? undefined : requests - provisionedRequests;
    const gbSeconds = (n: number | undefined) => (n === undefined || seconds === undefined ? null : n * seconds * gb);
    const noRegion = region ? {} : { unpricedReason: 'region is unknown' };
    const at = (fn: (region: string) => ComponentSpec['price']) => (region ? fn(region) : null);
    const out: ComponentSpec[] = [
      { name: 'Requests', unit: 'requests', monthlyQuantity: requests ?? null, price: at((x) => keys.lambdaRequests(x)), usageBased: true, usageKey: REQUESTS, ...noRegion },
      {
        name: `Duration (${label})`,
        unit: 'GB-seconds',
        monthlyQuantity: gbSeconds(onDemandRequests),
        price: at((x) => keys.lambdaDuration(x, a)),
        usageBased: true,
        usageKey: requests === undefined ? REQUESTS : DURATION,
        line: r.line('memory_size'),
        ...(pc.executions > 0 && ctx.usage.num(PROVISIONED_REQUESTS) === undefined
          ? { assumption: [memoryAssumption.assumption, `all requests assumed served on demand (set usage ${PROVISIONED_REQUESTS} for those served by provisioned concurrency)`].filter(Boolean).join('; ') }
          : memoryAssumption),
        ...memoryUnknown,
        ...noRegion,
      },
    ];
    const storageMb = r.num('ephemeral_storage.0.size');
    if (storageMb !== undefined && storageMb > FREE_EPHEMERAL_MB) {
      out.push({
        name: `Ephemeral storage above ${FREE_EPHEMERAL_MB} MB (${label})`,
        unit: 'GB-seconds',
        monthlyQuantity: requests === undefined || seconds === undefined ? null : requests * seconds * ((storageMb - FREE_EPHEMERAL_MB) / MB_PER_GB),
        price: at((x) => keys.lambdaEphemeralStorage(x, a)),
        usageBased: true,
        usageKey: requests === undefined ? REQUESTS : DURATION,
        line: r.line('ephemeral_storage.0.size'),
        ...noRegion,
      });
    }
    if (pc.executions > 0) {
      out.push({
        name: `Provisioned concurrency (${label})`,
        unit: 'GB-seconds',
        monthlyQuantity: pc.executions * gb * HOURS_PER_MONTH * SECONDS_PER_HOUR,
        price: at((x) => keys.lambdaProvisionedConcurrency(x, a)),
        ...(pc.configs[0]?.resource.file === r.resource.file ? { line: pc.configs[0].line('provisioned_concurrent_executions') } : {}),
        ...memoryAssumption,
        ...memoryUnknown,
        ...noRegion,
      });
      out.push({
        name: `Duration on provisioned concurrency (${label})`,
        unit: 'GB-seconds',
        monthlyQuantity: ctx.usage.num(PROVISIONED_REQUESTS) === undefined ? null : gbSeconds(provisionedRequests),
        price: at((x) => keys.lambdaProvisionedDuration(x, a)),
        usageBased: true,
        usageKey: PROVISIONED_REQUESTS,
        ...memoryAssumption,
        ...memoryUnknown,
        ...noRegion,
      });
    }
    return out;
  },
  details(r, ctx) {
    const pc = provisionedConcurrency(r, ctx);
    return {
      memoryMb: r.num('memory_size') ?? DEFAULT_MEMORY_MB,
      architecture: arch(r) === 'arm' ? 'arm64' : 'x86_64',
      ...(pc.executions > 0 ? { provisionedConcurrency: pc.executions } : {}),
    };
  },
} satisfies Pricer;
