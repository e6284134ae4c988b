/** Registry of analyzers, sorted by id. */
import type { Analyzer } from './types.js';
import { kubernetes } from './kubernetes/index.js';
import { terraform } from './terraform/index.js';

export const analyzers: readonly Analyzer[] = [kubernetes, terraform];

export function analyzerFor(kind: string): Analyzer | undefined {
  return analyzers.find((a) => a.kind === kind);
}

export type { Analyzer, AnalyzeOptions } from './types.js';
