/** Breakdown of a generated root of 200 files / 2,000 resources; prints one JSON line of figures. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFlat } from './generate.js';
import { dirReader, loadProjects } from '../src/adapters/local.js';
import { loadPriceBook } from '../src/adapters/prices.js';
import { breakdown } from '../src/core/run.js';

const FILES = 200;
const RESOURCES = 2000;

const dir = mkdtempSync(join(tmpdir(), 'mlcost-bench-'));
try {
  generateFlat(dir, FILES, RESOURCES);
  const t0 = performance.now();
  const book = await loadPriceBook();
  const projects = await loadProjects(dirReader(dir));
  const b = breakdown(projects, book);
  const ms = performance.now() - t0;
  const priced = b.projects.reduce((a, p) => a + p.resources.length, 0);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    `${JSON.stringify({ name: 'terraform breakdown, 200 files / 2,000 resources', ms: Math.round(ms), resources: RESOURCES, priced, resourcesPerSecond: Math.round(RESOURCES / (ms / 1000)), peakRssMb: Math.round(peakRssMb), targetMs: 2000, targetRssMb: 300 })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
