/**
 * Real pipeline files (test/fixtures/pipelines/<case>/, copied unchanged with their SOURCE.md), found
 * by the CLI's loader as `mlcost breakdown <dir>` finds them, and priced against the figures worked
 * out by hand in each case's HAND-CHECKED.md (hand-checked.json).
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { dirReader, loadProjects } from '../../src/adapters/local.js';
import { loadEmbeddedPriceBook } from '../../src/adapters/snapshot-file.js';
import { breakdown } from '../../src/core/run.js';
import { parseConfig } from '../../src/policy/schema.js';

const root = join(import.meta.dirname, '..', 'fixtures', 'pipelines');
const book = loadEmbeddedPriceBook();
const cases = readdirSync(root).filter((d) => existsSync(join(root, d, 'hand-checked.json'))).sort();
const round = (v: unknown) => (typeof v === 'number' ? Math.round(v * 1e4) / 1e4 : v);

describe('real pipeline files', () => {
  it('keeps each case with its source', () => {
    expect(cases.length).toBe(6);
    for (const c of cases) expect(existsSync(join(root, c, 'SOURCE.md'))).toBe(true);
  });

  it.each(cases)('%s', async (name) => {
    const dir = join(root, name);
    const configFile = join(dir, '.mlcost.yml');
    const parsed = existsSync(configFile) ? parseConfig(readFileSync(configFile, 'utf8'), '.mlcost.yml') : undefined;
    expect(parsed?.errors ?? []).toEqual([]);
    const projects = await loadProjects(dirReader(dir));
    expect(projects.map((p) => p.kind)).toEqual(['pipeline']);
    const b = breakdown(projects, book, { config: parsed?.config });
    const project = b.projects[0]!;
    expect(project.errors.filter((e) => e.severity !== 'warning')).toEqual([]);
    const want = JSON.parse(readFileSync(join(dir, 'hand-checked.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(project.resources.map((r) => r.address).sort()).toEqual(Object.keys(want).sort());
    for (const r of project.resources) {
      const w = want[r.address]!;
      const got: Record<string, unknown> = { monthlyCost: round(r.monthlyCost) };
      for (const k of Object.keys(w)) if (k !== 'monthlyCost') got[k] = round(r.details?.[k]);
      expect({ address: r.address, ...got }).toEqual({ address: r.address, ...Object.fromEntries(Object.entries(w).map(([k, v]) => [k, round(v)])) });
      // Unknown is never $0: whatever is not priced says why.
      if (r.monthlyCost === null) expect(r.unpriced.length).toBeGreaterThan(0);
    }
  });
});
