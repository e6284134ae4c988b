/**
 * Prometheus metrics of the webhook server and the workers (`GET /metrics`). One registry per
 * process (per app in tests). Names and labels are documented in README.md, "Scaling out".
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Octokit } from '../adapters/github.js';

export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

export interface Metrics {
  registry: Registry;
  webhooksReceived: Counter<'event'>;
  webhooksDeduplicated: Counter<'reason'>;
  webhooksFailed: Counter<'reason'>;
  webhookAck: Histogram<'status'>;
  jobs: Counter<'outcome'>;
  queueWait: Histogram;
  analysis: Histogram<'kind' | 'conclusion'>;
  githubRequests: Counter<'method' | 'status'>;
  rateLimitRemaining: Gauge<'installation'>;
  pricesAge: Gauge<'source'>;
  queueDepth: Gauge<'state'>;
}

export interface MetricsOptions {
  /** Queue depth per state, read at each scrape. */
  depth?: () => Promise<QueueDepth | null>;
  /** The price book's snapshot date (YYYY-MM-DD or ISO) and source, read at each scrape. */
  prices?: () => { capturedAt: string; source: string } | null;
  /** Node's process metrics (CPU, memory, event loop lag, GC) too. */
  defaults?: boolean;
}

/** Histogram buckets, written in ms (no decimal literals in src/: a test keeps prices out of code). */
const SECONDS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 120_000, 300_000].map((ms) => ms / 1000);
const ACK_SECONDS = [1, 5 / 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000].map((ms) => ms / 1000);

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaults) collectDefaultMetrics({ register: registry, prefix: 'mlcost_' });
  const depth = options.depth;
  const prices = options.prices;
  return {
    registry,
    webhooksReceived: new Counter({ name: 'mlcost_webhooks_received_total', help: 'Webhook deliveries received with a valid signature, by event', labelNames: ['event'], registers: [registry] }),
    webhooksDeduplicated: new Counter({
      name: 'mlcost_webhooks_deduplicated_total',
      help: 'Deliveries that asked for nothing new: delivery (same X-GitHub-Delivery), job (same pull request and head already queued or running), superseded (an older head than one already seen)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    webhooksFailed: new Counter({
      name: 'mlcost_webhooks_failed_total',
      help: 'Deliveries answered with an error: queue_unavailable (503, Redis down), queue_full (503), or the HTTP status (400, 401...)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    webhookAck: new Histogram({ name: 'mlcost_webhook_ack_seconds', help: 'Time from request to response on the webhook path', labelNames: ['status'], buckets: ACK_SECONDS, registers: [registry] }),
    jobs: new Counter({
      name: 'mlcost_jobs_total',
      help: 'Jobs finished by this process: completed, failed (after the last try), retried, superseded (a newer head came), delayed (its pull request was busy)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    queueWait: new Histogram({ name: 'mlcost_queue_wait_seconds', help: 'Time a job waited in the queue before a worker took it', buckets: SECONDS, registers: [registry] }),
    analysis: new Histogram({
      name: 'mlcost_analysis_duration_seconds',
      help: 'One pull request from check run to completed check, by the project kinds it touched (comma-separated, "none" when nothing to price) and conclusion',
      labelNames: ['kind', 'conclusion'],
      buckets: SECONDS,
      registers: [registry],
    }),
    githubRequests: new Counter({ name: 'mlcost_github_requests_total', help: 'GitHub API requests, by method and HTTP status ("error" when no answer)', labelNames: ['method', 'status'], registers: [registry] }),
    rateLimitRemaining: new Gauge({ name: 'mlcost_github_rate_limit_remaining', help: 'x-ratelimit-remaining of the last GitHub answer, by installation', labelNames: ['installation'], registers: [registry] }),
    pricesAge: new Gauge({
      name: 'mlcost_prices_age_seconds',
      help: 'Age of the price snapshot in use (from its capture date), by source (embedded, file, live)',
      labelNames: ['source'],
      registers: [registry],
      collect() {
        const p = prices?.();
        if (!p) return;
        const at = Date.parse(p.capturedAt);
        this.reset();
        if (Number.isFinite(at)) this.set({ source: p.source }, Math.max(0, (Date.now() - at) / 1000));
      },
    }),
    queueDepth: new Gauge({
      name: 'mlcost_queue_depth',
      help: 'Jobs in the queue by state (waiting, active, delayed, failed)',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const d = await depth?.().catch(() => null);
        if (!d) return;
        for (const [state, n] of Object.entries(d)) this.set({ state }, n);
      },
    }),
  };
}

const observed = new WeakSet<object>();

/** Counts the client's requests and records the rate limit GitHub reports. Idempotent per client. */
export function observeGitHub(octokit: Octokit, metrics: Metrics, installationId: number): void {
  if (observed.has(octokit)) return;
  observed.add(octokit);
  const installation = String(installationId);
  octokit.hook.wrap('request', async (request, options) => {
    const method = String(options.method ?? 'GET');
    try {
      const res = await request(options);
      metrics.githubRequests.inc({ method, status: String(res.status) });
      const remaining = Number(res.headers?.['x-ratelimit-remaining']);
      if (Number.isFinite(remaining)) metrics.rateLimitRemaining.set({ installation }, remaining);
      return res;
    } catch (e) {
      const status = (e as { status?: unknown }).status;
      metrics.githubRequests.inc({ method, status: typeof status === 'number' ? String(status) : 'error' });
      const remaining = Number((e as { response?: { headers?: Record<string, string> } }).response?.headers?.['x-ratelimit-remaining']);
      if (Number.isFinite(remaining)) metrics.rateLimitRemaining.set({ installation }, remaining);
      throw e;
    }
  });
}

/** `terraform,kubernetes` for the kinds of the projects an analysis touched; `none` for none. */
export function kindsLabel(kinds: readonly string[]): string {
  const unique = [...new Set(kinds)].sort();
  return unique.length ? unique.join(',') : 'none';
}
