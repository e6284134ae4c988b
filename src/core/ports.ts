/**
 * Interfaces through which IO reaches the pure core. The core receives implementations as
 * arguments; tests pass small fakes.
 */
import type { PriceLookup, PriceQuery, PricesMeta } from './types.js';

/** Hardware of an EC2 (or SageMaker `ml.`) instance type. */
export interface InstanceSpec {
  vcpu: number;
  memoryGiB: number;
  /** NVIDIA/AMD GPUs; 0 when none. */
  gpuCount: number;
  gpuName?: string;
  gpuMemoryGiB?: number;
  /** Neuron (Inferentia/Trainium) chips; 0 when none. */
  acceleratorCount?: number;
  acceleratorName?: string;
  arch?: string;
}

export interface SpotAdvice {
  /** Savings over on-demand in percent (AWS Spot Instance Advisor, 30-day average). */
  savingsPercent: number;
  /** Interruption frequency bucket label, e.g. `<5%`, `>20%`. */
  interruption: string;
  sourceDate: string;
}

/** Synchronous price look-ups. Implementations: embedded snapshot, a snapshot file, live refresh. */
export interface PriceBook {
  readonly meta: PricesMeta;
  lookup(query: PriceQuery): PriceLookup;
  /** Hardware specs of an instance type (`m5.large` or `ml.m5.large`); undefined when unknown. */
  instanceSpec(instanceType: string): InstanceSpec | undefined;
  /** Spot advisor data for an EC2 instance type in a region; undefined when the advisor lacks it. */
  spotAdvice(region: string, instanceType: string): SpotAdvice | undefined;
  /** Region codes the book has any price for. */
  regions(): string[];
}

/** Reads a tree of files at one revision (local directory, git revision, GitHub commit). */
export interface RepoReader {
  /** All file paths under `dir` (repository-relative, `/`-separated), recursively. */
  list(dir: string): Promise<string[]>;
  /** Text of a file, or null when it does not exist. Throws FileTooLargeError past the reader's limit. */
  read(path: string): Promise<string | null>;
}

/** A file a reader refuses to load whole; the project reports it and is priced without it. */
export class FileTooLargeError extends Error {
  constructor(
    readonly path: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`file is ${(bytes / 1048576).toFixed(1)} MB, over the ${(limit / 1048576).toFixed(0)} MB limit; not read`);
  }
}
