/**
 * `npm run bench`: runs each benchmark in its own process (so peak memory is its own) and prints
 * the figures with their targets. Figures, not pass/fail: read them.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const benches = ['terraform-flat.ts', 'terraform-modules.ts', 'hcl-parse.ts', 'helm-template.ts', 'helm.ts', 'app.ts', 'app-scale.ts', 'prices.ts', 'pipelines.ts'];

for (const b of benches) {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, b)], { encoding: 'utf8', env: { ...process.env, MLCOST_BENCH_JSON: '1' } });
  for (const line of out.trim().split('\n')) {
    try {
      const r = JSON.parse(line) as Record<string, unknown>;
      const { name, ...rest } = r;
      const figures = Object.entries(rest).map(([k, v]) => `${k}=${v}`).join('  ');
      process.stdout.write(`${String(name)}\n  ${figures}\n`);
      if (typeof r.ms === 'number' && typeof r.targetMs === 'number') process.stdout.write(`  time: ${(r.ms / r.targetMs * 100).toFixed(0)}% of the target\n`);
      if (typeof r.peakRssMb === 'number' && typeof r.targetRssMb === 'number') process.stdout.write(`  memory: ${(r.peakRssMb / r.targetRssMb * 100).toFixed(0)}% of the target\n`);
      if (typeof r.heapMb === 'number' && typeof r.targetHeapMb === 'number') process.stdout.write(`  heap: ${(r.heapMb / r.targetHeapMb * 100).toFixed(0)}% of the target\n`);
      if (typeof r.lookupMicros === 'number' && typeof r.targetLookupMicros === 'number') process.stdout.write(`  lookup: ${(r.lookupMicros / r.targetLookupMicros * 100).toFixed(0)}% of the target\n`);
      if (typeof r.ackP99Ms === 'number' && typeof r.targetAckP99Ms === 'number') process.stdout.write(`  webhook ack p99: ${(r.ackP99Ms / r.targetAckP99Ms * 100).toFixed(0)}% of the target\n`);
      if (typeof r.requests === 'number' && typeof r.targetRequests === 'number') process.stdout.write(`  GitHub requests: ${r.requests} per event (target: at most ${r.targetRequests})\n`);
    } catch {
      process.stdout.write(`${line}\n`);
    }
  }
}
