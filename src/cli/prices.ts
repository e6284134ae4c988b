/**
 * `mlcost prices update`: refreshes a price snapshot from the AWS Price List API (and, with
 * `--spot`, EC2 spot price history) and writes it in the embedded snapshot's format.
 *
 * Exit codes: 0 every price fetched; 2 nothing could be fetched (no or refused credentials, no
 * network, bad arguments: no file written); 3 partial (the file is written; what failed keeps
 * the base snapshot's prices, with their old dates, and is listed).
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { PRICE_LIST_ENDPOINT_REGIONS, PRICE_LIST_SERVICES } from '../adapters/aws-price-list.js';
import { checkUpdateArguments, outcomeOf, snapshotRegions, updatePrices, type UpdateReport } from '../adapters/price-update.js';
import { loadEmbeddedPriceBook, readSnapshotFile, writeSnapshotFile } from '../adapters/snapshot-file.js';
import { createPriceBook, type Snapshot } from '../pricing/catalog/price-book.js';

interface PricesIo {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
}

interface UpdateFlags {
  services?: string;
  regions?: string;
  out: string;
  base?: string;
  spot?: boolean;
  instanceTypes?: string;
  endpointRegion: string;
  quiet?: boolean;
}

export const PRICES_EXIT = { ok: 0, nothing: 2, partial: 3 } as const;

function list(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return [...new Set(text.split(',').map((s) => s.trim()).filter((s) => s.length > 0))];
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function summary(report: UpdateReport, file: string, io: PricesIo): void {
  const services = [...new Set(report.fetched.map((f) => f.service))];
  const regions = [...new Set(report.fetched.map((f) => f.region))];
  io.out(
    `wrote ${file}: ${count(report.refreshedPrices)} prices refreshed on ${report.date} (${services.length} services in ${regions.length} regions), ` +
      `${count(report.keptPrices)} kept from the base snapshot with their own dates`,
  );
  if (report.spot) {
    const types = report.spot.fetched.reduce((a, f) => a + f.types, 0);
    io.out(`spot: 7-day averages of spot price history for ${count(types)} instance types in ${report.spot.fetched.length} regions`);
  }
}

function failures(report: UpdateReport, io: PricesIo): void {
  if (report.failed.length > 0) {
    io.err(`could not refresh ${report.failed.length} service/region pair(s); their prices are kept from the base snapshot:`);
    for (const f of report.failed) io.err(`  ${f.service} ${f.region}: ${f.reason}`);
  }
  for (const f of report.spot?.failed ?? []) io.err(`  spot price history ${f.region}: ${f.reason}; the spot estimates are kept`);
}

export function registerPricesCommand(program: Command, io: PricesIo, setExitCode: (code: number) => void): void {
  const prices = program.command('prices').description('price snapshots: refresh from the AWS Price List API');
  prices
    .command('update')
    .description(
      'read today\'s prices from the AWS Price List API (standard AWS credential chain) and write a snapshot file; ' +
        'exit 0 all fetched, 2 nothing fetched, 3 partial (written; failures listed)',
    )
    .option('--services <codes>', `Price List service codes, comma-separated (default: all: ${PRICE_LIST_SERVICES.join(',')})`)
    .option('--regions <codes>', 'region codes, comma-separated (default: every region of the base snapshot)')
    .option('--out <file>', 'snapshot file to write', 'mlcost-prices.json')
    .option('--base <file>', 'snapshot whose prices are kept for what is not refreshed (default: the embedded snapshot)')
    .option('--spot', 'also average 7 days of EC2 spot price history (DescribeSpotPriceHistory) per instance type and region')
    .option('--instance-types <types>', 'instance types for --spot, comma-separated (default: every EC2 type of the region)')
    .option('--endpoint-region <region>', `Price List API endpoint: ${PRICE_LIST_ENDPOINT_REGIONS.join(', ')}`, 'us-east-1')
    .option('--quiet', 'no progress lines')
    .action(async (flags: UpdateFlags) => {
      let base: Snapshot;
      try {
        base = flags.base ? readSnapshotFile(resolve(io.cwd, flags.base)) : loadEmbeddedPriceBook().snapshot();
      } catch (e) {
        io.err(`mlcost: ${(e as Error).message}`);
        setExitCode(PRICES_EXIT.nothing);
        return;
      }
      const services = list(flags.services) ?? [...PRICE_LIST_SERVICES];
      const regions = list(flags.regions) ?? snapshotRegions(base);
      const problems = checkUpdateArguments(services, regions, flags.endpointRegion);
      if (flags.instanceTypes !== undefined && !flags.spot) problems.push('--instance-types is for --spot');
      if (problems.length > 0) {
        for (const p of problems) io.err(`mlcost: ${p}`);
        setExitCode(PRICES_EXIT.nothing);
        return;
      }
      const out = resolve(io.cwd, flags.out);
      const report = await updatePrices({
        base,
        services,
        regions,
        endpointRegion: flags.endpointRegion,
        spot: flags.spot === true,
        ...(list(flags.instanceTypes) ? { instanceTypes: list(flags.instanceTypes) } : {}),
        ...(flags.quiet ? {} : { log: (line: string) => io.err(line) }),
      });
      const outcome = outcomeOf(report);
      if (outcome === 'nothing' || report.snapshot === null) {
        if (report.fatal) io.err(`mlcost: ${report.fatal.message}`);
        failures(report, io);
        io.err(`mlcost: no price could be fetched; ${flags.out} was not written`);
        setExitCode(PRICES_EXIT.nothing);
        return;
      }
      // The file must read back as a price book before it replaces anything.
      createPriceBook(report.snapshot, { source: 'live' });
      try {
        writeSnapshotFile(out, report.snapshot);
      } catch (e) {
        io.err(`mlcost: cannot write ${flags.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        setExitCode(PRICES_EXIT.nothing);
        return;
      }
      summary(report, flags.out, io);
      if (report.fatal) io.err(`mlcost: ${report.fatal.message}`);
      failures(report, io);
      if (outcome === 'partial') io.err(`mlcost: partial refresh: ${flags.out} written; use it with --prices ${flags.out} or MLCOST_PRICES`);
      setExitCode(outcome === 'partial' ? PRICES_EXIT.partial : PRICES_EXIT.ok);
    });
}
