/**
 * File access for price snapshots. The embedded snapshot lives next to the price-book code
 * (src/pricing/catalog/snapshot.json); this adapter finds it both when running from src/
 * (tsx, jest) and from dist/ (the package ships src/pricing/catalog/snapshot.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createPriceBook, type SnapshotPriceBook } from '../pricing/catalog/price-book.js';

const EMBEDDED_CANDIDATES = ['../pricing/catalog/snapshot.json', '../../src/pricing/catalog/snapshot.json'];

let embedded: SnapshotPriceBook | undefined;

/** Absolute path of the embedded snapshot. */
export function embeddedSnapshotPath(): string {
  for (const candidate of EMBEDDED_CANDIDATES) {
    const file = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(file)) return file;
  }
  throw new Error(`embedded price snapshot not found (looked for ${EMBEDDED_CANDIDATES.join(', ')} next to ${fileURLToPath(import.meta.url)})`);
}

function readJson(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`price snapshot ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

/** The price book of the embedded snapshot; the file is read and parsed once, on first call. */
export function loadEmbeddedPriceBook(): SnapshotPriceBook {
  if (embedded === undefined) {
    embedded = createPriceBook(readJson(embeddedSnapshotPath()), { source: 'embedded' });
  }
  return embedded;
}

/** A price book over a snapshot file of the same format (`--prices <file>`). */
export function loadPriceBookFile(file: string): SnapshotPriceBook {
  try {
    return createPriceBook(readJson(file), { source: 'file' });
  } catch (err) {
    const message = (err as Error).message;
    throw new Error(message.includes(file) ? message : `${file}: ${message}`);
  }
}

/**
 * The price book the CLI uses: the snapshot file given with `--prices <file>`, else the embedded
 * snapshot. (Shape expected by src/cli/main.ts from src/adapters/prices.ts.)
 */
export function loadPriceBook(file?: string): SnapshotPriceBook {
  return file === undefined ? loadEmbeddedPriceBook() : loadPriceBookFile(file);
}
