/**
 * HTTP for operations: `/healthz` (the process answers), `/readyz` (it can take work now: the
 * queue is reachable and not full), `/metrics` (Prometheus). The webhook server adds them to
 * Probot's server; a worker serves them on its own port. Also the wrapper that answers webhook
 * deliveries 503 with Retry-After when the queue cannot take them, and times every answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from './metrics.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface OpsOptions {
  metrics: Metrics;
  /** null when ready; else why not (the body of the 503). */
  notReady: () => string | null;
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0] ?? '/';
}

export function opsHandler(o: OpsOptions): Handler {
  return async (req, res) => {
    const path = pathOf(req);
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return true;
    }
    if (path === '/readyz') {
      const why = o.notReady();
      res.writeHead(why ? 503 : 200, { 'content-type': 'text/plain' }).end(why ? `not ready: ${why}\n` : 'ready\n');
      return true;
    }
    if (path === '/metrics') {
      try {
        const body = await o.metrics.registry.metrics();
        res.writeHead(200, { 'content-type': o.metrics.registry.contentType }).end(body);
      } catch (e) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${(e as Error).message}\n`);
      }
      return true;
    }
    return false;
  };
}

type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next?: () => void) => Promise<boolean> | boolean;

export interface WebhookGuardOptions {
  path: string;
  metrics: Metrics;
  /** null when deliveries can be queued; else the reason and how long GitHub (or a person) should wait. */
  unavailable: () => { reason: string; retryAfterSeconds: number } | null;
}

/**
 * Wraps Probot's webhook middleware: refuses deliveries at once with 503 and Retry-After while
 * the queue cannot take them (before the body is read), adds Retry-After to a 503 a handler
 * throws, and records every answer's status and time.
 */
export function guardWebhooks(middleware: NodeMiddleware, o: WebhookGuardOptions): NodeMiddleware {
  return async (req, res, next) => {
    if (pathOf(req) !== o.path || req.method !== 'POST') return middleware(req, res, next);
    const started = performance.now();
    res.once('finish', () => {
      const status = res.statusCode;
      o.metrics.webhookAck.observe({ status: String(status) }, (performance.now() - started) / 1000);
      if (status >= 400 && status !== 503) o.metrics.webhooksFailed.inc({ reason: String(status) });
    });
    const down = o.unavailable();
    if (down) {
      o.metrics.webhooksFailed.inc({ reason: down.reason });
      const body = JSON.stringify({ error: `mlcost cannot queue deliveries right now (${down.reason}); retry later` });
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': String(down.retryAfterSeconds), 'content-length': String(Buffer.byteLength(body)) }).end(body);
      req.resume();
      return true;
    }
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    (res as { writeHead: unknown }).writeHead = (status: number, ...rest: unknown[]) => {
      // A handler found the queue gone after the check above (QueueUnavailableError; it counts it).
      if (status === 503 && !res.hasHeader('retry-after')) res.setHeader('retry-after', '10');
      return writeHead(status, ...rest);
    };
    return middleware(req, res, next);
  };
}
