/**
 * mlcost as an organisation runs it, on loopback: the webhook server (Probot's `run`, as
 * `npm start` does, through tsx), N `mlcost worker` processes, Redis, and the GitHub stand-in.
 * Deliveries are signed and POSTed over HTTP. Every child is killed on `stop()`, and on the test
 * process's exit whatever happens.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { FakeGitHub } from './github-fake.js';
import { freePort, startStandin } from './github-standin.js';
import type { Delay, Standin } from './github-standin.js';

const ROOT = join(import.meta.dirname, '..', '..');
export const SECRET = 'cluster-webhook-secret';
const APP_ID = 31337;

export interface Proc {
  name: string;
  child: ChildProcess;
  port: number;
  output(): string;
}

export interface Cluster {
  standin: Standin;
  server: Proc;
  workers: Proc[];
  /** Starts one more worker (with extra environment) and waits until it is ready. */
  addWorker(env?: Record<string, string>): Promise<Proc>;
  /** Kills a process (SIGKILL by default) and waits for it to be gone. */
  kill(p: Proc, signal?: NodeJS.Signals): Promise<void>;
  deliver(event: string, payload: Record<string, unknown>, opts?: { id?: string }): Promise<Delivery>;
  /** Every process's output, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

export interface Delivery {
  id: string;
  status: number;
  ms: number;
  retryAfter: string | null;
}

export interface ClusterOptions {
  fake: FakeGitHub;
  redisUrl: string;
  prefix: string;
  workers: number;
  /** Environment of every process (added to the defaults). */
  env?: Record<string, string>;
  /** Worker-only environment. */
  workerEnv?: Record<string, string>;
  delay?: Delay;
  /** Node options of the server process (`--cpu-prof`: profiling). */
  serverNodeArgs?: string[];
}

const live = new Set<ChildProcess>();
let exitHook = false;

function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
}

async function waitFor(check: () => Promise<boolean> | boolean, ms: number, what: string, logs: () => string): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${logs().slice(-6000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function ready(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

export async function stopProc(p: Proc, signal: NodeJS.Signals = 'SIGKILL', graceMs = 3000): Promise<void> {
  const c = p.child;
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((r) => c.once('exit', r));
  c.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
  clearTimeout(timer);
  if (c.exitCode === null && c.signalCode === null) {
    c.kill('SIGKILL');
    await exited;
  }
}

export function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const standin = await startStandin(o.fake, { app: { id: APP_ID, publicKey: keys.publicKey }, ...(o.delay ? { delayMs: o.delay } : {}) });
  const procs: Proc[] = [];
  const base: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '',
    NODE_ENV: 'production',
    APP_ID: String(APP_ID),
    PRIVATE_KEY: keys.privateKey,
    WEBHOOK_SECRET: SECRET,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    GHE_HOST: standin.host,
    GHE_PROTOCOL: 'http',
    REDIS_URL: o.redisUrl,
    MLCOST_REDIS_PREFIX: o.prefix,
    MLCOST_GITHUB_THROTTLE: 'off',
    MLCOST_JOB_BACKOFF_MS: '200',
    MLCOST_WORKER_LOCK_MS: '2000',
    MLCOST_WORKER_STALLED_MS: '1000',
    MLCOST_SHUTDOWN_DRAIN_MS: '0',
    ...o.env,
  };
  const spawnProc = async (name: string, args: string[], env: Record<string, string>, nodeArgs: string[] = []): Promise<Proc> => {
    const port = await freePort();
    let out = '';
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', ...args], { cwd: ROOT, env: { ...base, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    track(child);
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const p: Proc = { name, child, port, output: () => out };
    procs.push(p);
    return p;
  };
  const logs = () => procs.map((p) => `--- ${p.name} (exit ${p.child.exitCode ?? p.child.signalCode ?? 'running'}) ---\n${p.output().slice(-4000)}`).join('\n');
  const waitReady = (p: Proc) =>
    waitFor(
      async () => {
        if (p.child.exitCode !== null) throw new Error(`${p.name} exited with ${p.child.exitCode}\n${p.output()}`);
        return ready(p.port);
      },
      30_000,
      `${p.name} to be ready`,
      logs,
    );
  let workerNo = 0;
  const addWorker = async (env: Record<string, string> = {}): Promise<Proc> => {
    const p = await spawnProc(`worker-${++workerNo}`, ['src/cli/main.ts', 'worker'], { ...o.workerEnv, ...env });
    await waitReady(p);
    return p;
  };
  const cluster: Cluster = {
    standin,
    server: undefined as unknown as Proc,
    workers: [],
    addWorker: async (env) => {
      const w = await addWorker(env);
      cluster.workers.push(w);
      return w;
    },
    kill: (p, signal = 'SIGKILL') => stopProc(p, signal),
    deliver: async (event, payload, opts = {}) => {
      const id = opts.id ?? randomUUID();
      const body = JSON.stringify(payload);
      const t0 = performance.now();
      const res = await fetch(`http://127.0.0.1:${cluster.server.port}/api/github/webhooks`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': id, 'x-hub-signature-256': sign(body) },
      });
      await res.arrayBuffer();
      return { id, status: res.status, ms: performance.now() - t0, retryAfter: res.headers.get('retry-after') };
    },
    logs,
    stop: async () => {
      await Promise.all(procs.map((p) => stopProc(p, 'SIGTERM', 3000)));
      await standin.close();
    },
  };
  try {
    cluster.server = await spawnProc('server', ['node_modules/probot/bin/probot.js', 'run', './src/app/probot.ts'], {}, o.serverNodeArgs);
    const workers = Array.from({ length: o.workers }, () => addWorker());
    await waitReady(cluster.server);
    cluster.workers.push(...(await Promise.all(workers)));
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return cluster;
}

export { waitFor };
