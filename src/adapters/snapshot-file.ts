/**
 * File access for price snapshots. The embedded snapshot lives next to the price-book code
 * (src/pricing/catalog/snapshot.json); this adapter finds it both when running from src/
 * (tsx, jest) and from dist/ (the package ships src/pricing/catalog/snapshot.json).
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createPriceBook, isRefreshedSnapshot, validateSnapshot, type Snapshot, type SnapshotPriceBook } from '../pricing/catalog/price-book.js';
import { serializeSnapshot } from '../pricing/catalog/snapshot-format.js';

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

/**
 * A price book over a snapshot file of the same format (`--prices <file>`). Its source is `live`
 * when `mlcost prices update` wrote the file (prices read from the AWS Price List API), `file`
 * otherwise.
 */
export function loadPriceBookFile(file: string): SnapshotPriceBook {
  try {
    const json = readJson(file);
    const source = typeof json === 'object' && json !== null && isRefreshedSnapshot(json) ? 'live' : 'file';
    return createPriceBook(json, { source });
  } catch (err) {
    const message = (err as Error).message;
    throw new Error(message.includes(file) ? message : `${file}: ${message}`);
  }
}

/** A snapshot file, parsed and checked (the base of `mlcost prices update --base <file>`). */
export function readSnapshotFile(file: string): Snapshot {
  try {
    return validateSnapshot(readJson(file));
  } catch (err) {
    const message = (err as Error).message;
    throw new Error(message.includes(file) ? message : `${file}: ${message}`);
  }
}

/**
 * Writes a snapshot in the committed format. Atomic: written to a temporary file beside the
 * target, then renamed, so a reader (the app, a scheduled job) never sees half a file.
 */
export function writeSnapshotFile(file: string, snapshot: Snapshot): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, serializeSnapshot(snapshot));
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * The price book the CLI uses: the snapshot file given with `--prices <file>`, else the embedded
 * snapshot. (Shape expected by src/cli/main.ts from src/adapters/prices.ts.)
 */
export function loadPriceBook(file?: string): SnapshotPriceBook {
  return file === undefined ? loadEmbeddedPriceBook() : loadPriceBookFile(file);
}
