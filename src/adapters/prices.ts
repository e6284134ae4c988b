/** The price book the CLI and the app use: the embedded snapshot, or a snapshot file. */
export { loadPriceBook } from './snapshot-file.js';
