/**
 * Redis for the tests that need one. CI (`.ci/run`) installs redis-server, starts it on loopback
 * and exports MLCOST_TEST_REDIS_URL; locally, without that variable, a redis-server of the test's
 * own is started on a free port when the binary is installed. Neither: the test fails and says how
 * to get one (never skipped). With CI=true the variable is required.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { freePort } from './github-standin.js';

const HOW = 'install it (Debian: apt-get install -y redis-server) or set MLCOST_TEST_REDIS_URL=redis://127.0.0.1:<port>';

export async function ping(url: string, ms = 3000): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, connectTimeout: ms });
  r.on('error', () => {});
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

export function redisServerBinary(): string | null {
  const bin = process.env['MLCOST_TEST_REDIS_SERVER'] || 'redis-server';
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? bin : null;
}

/** A redis-server process of the test's own, on loopback. */
export interface RedisProcess {
  url: string;
  port: number;
  /** Stops it (SIGTERM: with persistence on, it writes its append-only file first). */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory (after `stop`). */
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  destroy(): Promise<void>;
}

export async function startRedisServer(opts: { persist?: boolean; port?: number } = {}): Promise<RedisProcess> {
  const bin = redisServerBinary();
  if (!bin) throw new Error(`this test needs redis-server: ${HOW}`);
  const port = opts.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'mlcost-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no', '--loglevel', 'warning'];
  if (opts.persist) args.push('--appendonly', 'yes', '--appendfsync', 'always');
  else args.push('--appendonly', 'no');
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let log = '';
  const start = async (): Promise<void> => {
    child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const until = Date.now() + 10_000;
    while (!(await ping(url, 500))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${log}`);
      if (Date.now() > until) throw new Error(`redis-server did not answer on ${url}: ${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
    clearTimeout(timer);
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGKILL');
      await exited;
    }
  };
  await start();
  // A crash of the test process must not leave redis-server running.
  const onExit = () => child?.kill('SIGKILL');
  process.once('exit', onExit);
  return {
    url,
    port,
    stop,
    start,
    destroy: async () => {
      await stop();
      process.off('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestRedis {
  url: string;
  /** A fresh key prefix for this test file (queues and keys of other files are not seen). */
  prefix: string;
  /** Removes this file's keys; stops the redis-server the helper started, if it did. */
  close(): Promise<void>;
}

/** The shared test Redis (MLCOST_TEST_REDIS_URL) or one of our own; fails loudly when there is none. */
export async function testRedis(): Promise<TestRedis> {
  const prefix = `mlcost-test-${randomUUID().slice(0, 8)}`;
  const given = process.env['MLCOST_TEST_REDIS_URL'];
  if (given) {
    if (!(await ping(given))) throw new Error(`MLCOST_TEST_REDIS_URL=${given} does not answer PING (is redis-server running?)`);
    return {
      url: given,
      prefix,
      close: async () => {
        const r = new Redis(given, { maxRetriesPerRequest: 1 });
        r.on('error', () => {});
        try {
          let cursor = '0';
          do {
            const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
            cursor = next;
            if (keys.length) await r.del(...keys);
          } while (cursor !== '0');
        } finally {
          r.disconnect();
        }
      },
    };
  }
  if (process.env['CI'] === 'true') throw new Error('CI=true but MLCOST_TEST_REDIS_URL is not set: .ci/run starts redis-server and exports it');
  const own = await startRedisServer();
  return { url: own.url, prefix, close: () => own.destroy() };
}
