/**
 * A loopback stand-in for GitHub (GitHub Enterprise Server URL layout: `/api/v3/...` and
 * `/api/graphql`) over the in-memory fake: real sockets, real HTTP, GitHub's response shapes.
 * It checks authentication the way GitHub does: `/app/...` needs an App JWT signed with the App's
 * private key (verified with its public key), everything else the installation token.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVerify } from 'node:crypto';
import type { FakeGitHub } from './github-fake.js';

export interface StandinOptions {
  /** The App's id and public key (PEM): JWTs on `/app/...` routes are verified with them. */
  app?: { id: number; publicKey: string };
  /** The installation token `/app/installations/{id}/access_tokens` hands out (the fake's). */
  token?: string;
  /** Answer each request after this many ms (a GitHub far away); see `Standin.delay` to change it later. */
  delayMs?: number | Delay;
}

/** How long to hold the answer to a request (ms). */
export type Delay = (method: string, path: string) => number;

export interface Standin {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `127.0.0.1:<port>`, for GHE_HOST. */
  host: string;
  /** Requests refused for authentication (method path -> reason). */
  rejected: string[];
  /** The delay of each answer, changeable while the stand-in runs. */
  delay: Delay;
  /** Every request as it arrived: time (ms since the epoch), method, path. */
  arrivals: { at: number; method: string; path: string }[];
  close(): Promise<void>;
}

function base64url(s: string): Buffer {
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** Verifies an RS256 JWT; returns its payload or a reason. */
function verifyJwt(jwt: string, publicKey: string): { ok: true; payload: Record<string, unknown> } | { ok: false; reason: string } {
  const parts = jwt.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'not a JWT' };
  const [h, p, sig] = parts as [string, string, string];
  const header = JSON.parse(base64url(h).toString('utf8')) as { alg?: string };
  if (header.alg !== 'RS256') return { ok: false, reason: `alg ${header.alg}` };
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${h}.${p}`);
  if (!verifier.verify(publicKey, base64url(sig))) return { ok: false, reason: 'bad signature' };
  const payload = JSON.parse(base64url(p).toString('utf8')) as Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload['exp'] !== 'number' || payload['exp'] < now) return { ok: false, reason: 'expired' };
  return { ok: true, payload };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startStandin(fake: FakeGitHub, opts: StandinOptions = {}): Promise<Standin> {
  const token = opts.token ?? 'ghs_testtoken';
  const rejected: string[] = [];
  const arrivals: Standin['arrivals'] = [];
  const timers = new Set<NodeJS.Timeout>();
  const fixed = opts.delayMs;
  const state: { delay: Delay } = { delay: typeof fixed === 'function' ? fixed : () => fixed ?? 0 };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const body = await readBody(req);
      const url = req.url ?? '/';
      const method = req.method ?? 'GET';
      const auth = req.headers['authorization'] ?? '';
      const path = url.split('?')[0] ?? url;
      arrivals.push({ at: Date.now(), method, path });
      const deny = (reason: string) => {
        rejected.push(`${method} ${path}: ${reason}`);
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' }));
      };
      if (/^\/api\/v3\/app(\/|$)/.test(path)) {
        if (opts.app) {
          const m = /^bearer (.+)$/i.exec(auth);
          if (!m?.[1]) return deny('no JWT');
          const v = verifyJwt(m[1], opts.app.publicKey);
          if (!v.ok) return deny(v.reason);
          if (String(v.payload['iss']) !== String(opts.app.id)) return deny(`JWT for app ${String(v.payload['iss'])}`);
        }
      } else if (auth !== `token ${token}` && auth !== `bearer ${token}` && auth !== `Bearer ${token}`) {
        return deny(auth ? 'wrong token' : 'no token');
      }
      const r = fake.handle(method, url, body);
      const extra = state.delay(method, path);
      if (extra > 0) r.delayMs = (r.delayMs ?? 0) + extra;
      if (r.delayMs) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, r.delayMs);
          timers.add(timer);
          res.once('close', () => {
            clearTimeout(timer);
            timers.delete(timer);
            resolve();
          });
        });
      }
      if (res.destroyed) return;
      const payload = r.body === '' || r.body === undefined ? '' : JSON.stringify(r.body);
      res.writeHead(r.status, payload ? r.headers : {}).end(payload);
    })().catch((e: unknown) => {
      fake.violations.push(`stand-in crashed: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    rejected,
    arrivals,
    get delay(): Delay {
      return state.delay;
    },
    set delay(d: Delay) {
      state.delay = d;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A free loopback port (Probot reads PORT=0 as "use 3000"). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
