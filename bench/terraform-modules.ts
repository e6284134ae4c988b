/** Breakdown of a generated root with 50 local modules, for_each over 200 keys, about 5,000 resources. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFlat, generateModules } from './generate.js';
import { dirReader, loadProjects } from '../src/adapters/local.js';
import { loadPriceBook } from '../src/adapters/prices.js';
import { breakdown } from '../src/core/run.js';

/** Resource instances the analyzer evaluates (free types such as security groups included). */
async function measure(dir: string, generated: number) {
  const t0 = performance.now();
  const book = await loadPriceBook();
  const projects = await loadProjects(dirReader(dir));
  const b = breakdown(projects, book);
  const ms = performance.now() - t0;
  return { ms, resources: generated, b };
}

const root = mkdtempSync(join(tmpdir(), 'mlcost-bench-'));
try {
  // Warm the module loader and price book once so both cases measure the same work.
  generateFlat(join(root, 'flat'), 200, 2000);
  generateModules(join(root, 'modules'), 50, 200, 5000);
  await measure(join(root, 'flat'), 2000);
  const flat = await measure(join(root, 'flat'), 2000);
  const mods = await measure(join(root, 'modules'), 96 * 50 + 200);
  const flatRate = flat.resources / (flat.ms / 1000);
  const modRate = mods.resources / (mods.ms / 1000);
  const priced = mods.b.projects.reduce((a, p) => a + p.resources.length, 0);
  process.stdout.write(
    `${JSON.stringify({
      name: 'terraform breakdown, 50 local modules, for_each over 200 keys',
      ms: Math.round(mods.ms),
      resources: mods.resources,
      priced,
      resourcesPerSecond: Math.round(modRate),
      flatResourcesPerSecond: Math.round(flatRate),
      rateVsFlat: Number((modRate / flatRate).toFixed(2)),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      targetMs: 3000,
      targetRssMb: 400,
    })}\n`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
