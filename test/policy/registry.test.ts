/** Every rule file is registered, the registry is sorted, ids name their files, and every rule has a test. */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../src/policy/index.js';

const root = join(import.meta.dirname, '..', '..');

describe('guardrail registry', () => {
  const files = readdirSync(join(root, 'src/policy/rules')).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));

  it('registers one rule per file, named after its id, in sorted order', () => {
    expect(rules.map((r) => r.id)).toEqual([...files].sort());
    expect(rules.map((r) => r.id)).toEqual([...rules.map((r) => r.id)].sort());
  });

  it('has a test file for every rule', () => {
    expect(files.filter((f) => !existsSync(join(root, 'test/policy/rules', `${f}.test.ts`)))).toEqual([]);
  });

  it('gives every rule a summary and defaults', () => {
    for (const r of rules) {
      expect(r.summary.length).toBeGreaterThan(20);
      expect(['error', 'warning', 'info']).toContain(r.defaults.severity);
    }
  });
});
