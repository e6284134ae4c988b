/**
 * Price snapshot at start-up: loading a ~20 MB snapshot file (read, parse, check, book) and the
 * heap it holds, then the time of one price lookup over a million lookups. The file is made from
 * the embedded snapshot, its regions copied under new region names (with distinct key strings)
 * until it weighs 20 MB. The
 * measurement runs in a fresh child process, so the generation's garbage is not counted.
 *
 * Prints one JSON line: {"name": "price snapshot load, 20 MB", "ms", "targetMs": 300, "heapMb",
 * "targetHeapMb": 150, "lookupMicros", "targetLookupMicros": 2, ...}.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadEmbeddedPriceBook, loadPriceBookFile } from '../src/adapters/snapshot-file.js';
import type { PriceQuery } from '../src/core/types.js';
import type { Snapshot } from '../src/pricing/catalog/price-book.js';
import { serializeSnapshot } from '../src/pricing/catalog/snapshot-format.js';

const TARGET_BYTES = 20 * 1024 * 1024;

function generate(file: string): number {
  const base = loadEmbeddedPriceBook().snapshot();
  const prices: Snapshot['prices'] = {};
  let copy = 0;
  let bytes = 0;
  const snapshot: Snapshot = { ...base, prices };
  for (const [service, regions] of Object.entries(base.prices)) prices[service] = { ...regions };
  while (bytes < TARGET_BYTES) {
    copy++;
    for (const [service, regions] of Object.entries(base.prices)) {
      for (const [region, groups] of Object.entries(regions)) {
        if (region === 'global') continue;
        // Distinct key strings in every copy (shared ones would be interned once and flatter the heap).
        (prices[service] as Record<string, unknown>)[`${region}-bench${copy}`] = groups.map((g) => ({
          ...g,
          p: Object.fromEntries(Object.entries(g.p).map(([k, v]) => [`${k}~${copy}`, v])),
        }));
      }
    }
    bytes = Buffer.byteLength(serializeSnapshot(snapshot));
  }
  writeFileSync(file, serializeSnapshot(snapshot));
  return statSync(file).size;
}

function measure(file: string): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const book = loadPriceBookFile(file);
  const ms = performance.now() - started;
  gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1048576;
  const heapTotalMb = process.memoryUsage().heapUsed / 1048576;

  // 10,000 distinct queries over every service and region (hits and misses alike), each looked up
  // once first (region tables are built on first use), then a million lookups timed.
  const snapshot = book.snapshot();
  const queries: PriceQuery[] = [];
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const all: PriceQuery[] = [];
  for (const [service, regions] of Object.entries(snapshot.prices)) {
    for (const [region, groups] of Object.entries(regions)) for (const g of groups) for (const key of Object.keys(g.p)) all.push({ service, region, key });
  }
  for (let i = 0; i < 10000; i++) queries.push(all[rand(all.length)] as PriceQuery);
  let hits = 0;
  const warm = performance.now();
  for (const q of queries) if (book.lookup(q).ok) hits++;
  const firstTouchMs = performance.now() - warm;
  const N = 1_000_000;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) if (book.lookup(queries[i % queries.length] as PriceQuery).ok) hits++;
  const lookupMicros = ((performance.now() - t0) * 1000) / N;

  const r = {
    name: 'price snapshot load, 20 MB',
    ms: Math.round(ms),
    targetMs: 300,
    heapMb: Math.round(heapMb),
    targetHeapMb: 150,
    lookupMicros: Number(lookupMicros.toFixed(3)),
    targetLookupMicros: 2,
    fileMb: Number((statSync(file).size / 1048576).toFixed(1)),
    prices: all.length,
    heapUsedMb: Math.round(heapTotalMb),
    firstTouchMs: Math.round(firstTouchMs),
    hits: hits > 0,
  };
  process.stdout.write(`${JSON.stringify(r)}\n`);
}

const measureAt = process.argv.indexOf('--measure');
if (measureAt >= 0) {
  measure(process.argv[measureAt + 1] ?? '');
} else {
  const dir = mkdtempSync(join(tmpdir(), 'mlcost-bench-prices-'));
  try {
    const file = join(dir, 'snapshot-20mb.json');
    generate(file);
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--measure', file], { encoding: 'utf8' });
    process.stdout.write(out);
  } finally {
    if (!process.env.MLCOST_BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`kept ${dir}\n`);
  }
}
