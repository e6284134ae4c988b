/**
 * Golden files: `expectGolden(path, actual)` compares `actual` with the file exactly; with
 * `MLCOST_UPDATE_GOLDEN=1` (`npm run test:update`) it writes the file instead, so reviewers read
 * the change in the diff. Relative paths are taken from the repository root.
 */
import { expect } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function updatingGoldens(): boolean {
  return process.env['MLCOST_UPDATE_GOLDEN'] === '1';
}

export function expectGolden(path: string, actual: string): void {
  const file = isAbsolute(path) ? path : resolve(ROOT, path);
  if (updatingGoldens()) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(`golden file ${path} does not exist: run \`npm run test:update\` and review it`);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
