/**
 * Throughput of the HCL parser on the real Terraform corpus (test/fixtures/terraform-corpus).
 *
 *   npx tsx bench/hcl-parse.ts     prints our figure and, for comparison, @cdktn/hcl2json's
 */

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseHcl } from '../src/analyzers/terraform/hcl/parser.js';

export interface HclBenchResult {
  /** Throughput in MB/s (1 MB = 10^6 bytes of UTF-8 source). */
  mbPerSecond: number;
  /** Size of the corpus in bytes: what one pass parses. */
  bytes: number;
  /** Number of corpus files. */
  files: number;
  /** Average time of one pass over the whole corpus, in milliseconds. */
  ms: number;
}

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'terraform-corpus');

function loadCorpus(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.tf')) out.push(readFileSync(full, 'utf8'));
    }
  };
  walk(CORPUS);
  return out;
}

/** Runs `pass` a few times to warm up, then until `minMs` have elapsed; returns ms per pass. */
async function timePasses(pass: () => Promise<void> | void, minMs: number, minPasses: number): Promise<number> {
  for (let i = 0; i < 3; i++) await pass();
  let passes = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (passes < minPasses || elapsed < minMs) {
    await pass();
    passes++;
    elapsed = performance.now() - t0;
  }
  return elapsed / passes;
}

function result(texts: string[], ms: number): HclBenchResult {
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t, 'utf8'), 0);
  return { mbPerSecond: bytes / 1e6 / (ms / 1000), bytes, files: texts.length, ms };
}

export async function benchHclParse(): Promise<HclBenchResult> {
  const texts = loadCorpus();
  let sink = 0;
  const ms = await timePasses(() => {
    for (const t of texts) sink += parseHcl(t).body.blocks.length;
  }, 1000, 10);
  if (sink < 0) throw new Error('unreachable');
  return result(texts, ms);
}

/** HashiCorp's parser through its WASM build, for comparison (loaded only when asked for). */
export async function benchHcl2json(): Promise<HclBenchResult> {
  // A CommonJS package: depending on the loader its exports are on the namespace or on `default`.
  const mod = await import('@cdktn/hcl2json');
  const parse = typeof mod.parse === 'function' ? mod.parse : mod.default.parse;
  const texts = loadCorpus();
  const ms = await timePasses(async () => {
    for (const t of texts) await parse('bench.tf', t);
  }, 2000, 2);
  return result(texts, ms);
}

function format(name: string, r: HclBenchResult): string {
  return `${name.padEnd(16)} ${r.mbPerSecond.toFixed(1).padStart(7)} MB/s  ` +
    `(${r.files} files, ${(r.bytes / 1e3).toFixed(0)} kB, ${r.ms.toFixed(2)} ms per pass)`;
}

async function main(): Promise<void> {
  const ours = await benchHclParse();
  console.log(format('mlcost parseHcl', ours));
  const theirs = await benchHcl2json();
  console.log(format('@cdktn/hcl2json', theirs));
  console.log(`speed-up: ${(ours.mbPerSecond / theirs.mbPerSecond).toFixed(1)}x`);
  // The Go WASM runtime keeps the event loop alive.
  process.exit(0);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
