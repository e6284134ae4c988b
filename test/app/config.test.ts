/** `.mlcost.yml` for the App: base-branch file, organisation defaults and `_extends` (pure, with a fake fetch). */
import { describe, expect, it } from '@jest/globals';
import { resolveConfig, takeExtends } from '../../src/app/config.js';
import type { ConfigLocation } from '../../src/app/config.js';
import { usageFor } from '../../src/policy/usage.js';

const home = { owner: 'acme', repo: 'infra' };
const own = (text: string, path = '.mlcost.yml') => ({ ...home, path, text });

function fetcher(files: Record<string, string>) {
  const asked: string[] = [];
  const fetch = async (at: ConfigLocation) => {
    const key = `${at.owner}/${at.repo}:${at.path}`;
    asked.push(key);
    return files[key] ?? null;
  };
  return { fetch, asked };
}

describe('takeExtends', () => {
  it('removes the key without moving the others', () => {
    const text = 'version: 1\n_extends: acme/base\nthresholds:\n  maxMonthlyIncrease: x\n';
    const r = takeExtends(text);
    expect(r).toMatchObject({ present: true, value: 'acme/base', line: 2, column: 1 });
    expect(r.text.split('\n')[3]).toBe('  maxMonthlyIncrease: x');
    expect(r.text.split('\n').length).toBe(text.split('\n').length);
  });
});

describe('resolveConfig', () => {
  it('no file anywhere: defaults', async () => {
    const r = await resolveConfig(null, null, home, fetcher({}).fetch);
    expect(r.errors).toEqual([]);
    expect(r.config.comment).toBe('always');
    expect(r.sources).toEqual([]);
  });

  it('reports errors with file, line and key', async () => {
    const r = await resolveConfig(own('comment: sometimes\n'), null, home, fetcher({}).fetch);
    expect(r.errors[0]).toMatchObject({ file: '.mlcost.yml', line: 1, key: 'comment' });
  });

  it('follows _extends chains, nearest file winning, usage origins named', async () => {
    const f = fetcher({
      'acme/base:.mlcost.yml': '_extends: other/policies:ml/cost.yml\nthresholds:\n  maxMonthlyIncrease: 100\nusage:\n  aws_s3_bucket:\n    standard:\n      storage_gb: 5\n',
      'other/policies:ml/cost.yml': 'comment: on-change\nthresholds:\n  maxMonthlyTotal: 9\n',
    });
    const r = await resolveConfig(own('_extends: base\nthresholds:\n  maxMonthlyIncrease: 50\n'), null, home, f.fetch);
    expect(r.errors).toEqual([]);
    expect(f.asked).toEqual(['acme/base:.mlcost.yml', 'other/policies:ml/cost.yml']);
    expect(r.config.thresholds.maxMonthlyIncrease).toEqual({ amount: 50, severity: 'error' });
    expect(r.config.thresholds.maxMonthlyTotal).toEqual({ amount: 9, severity: 'error' });
    expect(r.config.comment).toBe('on-change');
    expect(r.sources).toEqual(['.mlcost.yml', 'acme/base:.mlcost.yml', 'other/policies:ml/cost.yml']);
    expect(usageFor(r.config, 'aws_s3_bucket.x', 'aws_s3_bucket').source['standard']).toBe('acme/base:.mlcost.yml usage.aws_s3_bucket');
  });

  it('organisation defaults apply only when the repository has no file', async () => {
    const org = { owner: 'acme', repo: '.github', path: '.github/mlcost.yml', text: 'comment: never\n' };
    expect((await resolveConfig(null, org, home, fetcher({}).fetch)).config.comment).toBe('never');
    expect((await resolveConfig(own('version: 1\n'), org, home, fetcher({}).fetch)).config.comment).toBe('always');
  });

  it('cycles, bad values and unreadable files are errors on the _extends line', async () => {
    const cycle = fetcher({ 'acme/a:.mlcost.yml': '_extends: infra\n' });
    const r1 = await resolveConfig(own('_extends: a\n'), null, home, cycle.fetch);
    expect(r1.errors[0]).toMatchObject({ key: '_extends', message: expect.stringContaining('cycle') });
    const r2 = await resolveConfig(own('_extends: [1, 2]\n'), null, home, fetcher({}).fetch);
    expect(r2.errors[0]).toMatchObject({ key: '_extends', line: 1 });
    const r3 = await resolveConfig(own('\n_extends: missing\n'), null, home, fetcher({}).fetch);
    expect(r3.errors[0]).toMatchObject({ key: '_extends', line: 2, message: expect.stringContaining('acme/missing:.mlcost.yml') });
  });

  it('an invalid extended file is reported under its own name', async () => {
    const f = fetcher({ 'acme/base:.mlcost.yml': 'thresholds:\n  maxMonthlyIncrease: -5\n' });
    const r = await resolveConfig(own('_extends: base\n'), null, home, f.fetch);
    expect(r.errors[0]).toMatchObject({ file: 'acme/base:.mlcost.yml', line: 2, key: 'thresholds.maxMonthlyIncrease' });
  });
});

describe('the CLI and _extends', () => {
  it('accepts a config with _extends, says it is not followed, and uses the file itself', async () => {
    const { runCli } = await import('../../src/cli/main.js');
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'mlcost-extends-'));
    try {
      for (const side of ['base', 'head']) mkdirSync(join(dir, side));
      writeFileSync(join(dir, 'base', 'main.tf'), 'resource "aws_instance" "a" {\n  ami = "x"\n  instance_type = "m5.large"\n}\n');
      writeFileSync(join(dir, 'head', 'main.tf'), 'resource "aws_instance" "a" {\n  ami = "x"\n  instance_type = "m5.xlarge"\n}\n');
      writeFileSync(join(dir, 'base', '.mlcost.yml'), '_extends: acme/.github\nthresholds:\n  maxMonthlyIncrease: 10\n');
      const err: string[] = [];
      const code = await runCli(['diff', '--base', 'base', '--head', 'head', '--format', 'json'], { out: () => {}, err: (s) => err.push(s), env: {}, cwd: dir });
      expect(code).toBe(1); // the file's own threshold applies
      expect(err.join('\n')).toContain('.mlcost.yml:1: _extends is followed by the GitHub App and Action only');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
