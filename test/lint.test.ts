/** The house rule, enforced by ESLint: the pure core does no IO. */
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'parse');
}

describe('IO stays out of the pure core', () => {
  const bad = "import { readFileSync } from 'node:fs';\nimport { Octokit } from '@octokit/rest';\nexport const x = [readFileSync, Octokit, process.env];\n";

  it.each(['src/core/x.ts', 'src/analyzers/x.ts', 'src/pricing/x.ts', 'src/policy/x.ts', 'src/report/x.ts'])('in %s', async (file) => {
    expect(await ruleIds(file, bad)).toEqual(['no-restricted-imports', 'no-restricted-imports', 'no-restricted-globals']);
  });

  it('but adapters and the CLI may do IO', async () => {
    expect(await ruleIds('src/adapters/x.ts', bad)).toEqual([]);
  });
});
