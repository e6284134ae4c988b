/**
 * `mlcost` command line: breakdown and diff, offline on the embedded price snapshot.
 * Exit codes: 0 ok, 1 thresholds breached (diff), 2 bad input or usage.
 * `mlcost prices update` (src/cli/prices.ts): 0 ok, 2 nothing fetched, 3 partial.
 */
import { Command, CommanderError, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PriceBook } from '../core/ports.js';
import type { Breakdown, Diff, ProjectFiles } from '../core/types.js';
import { breakdown, diff } from '../core/run.js';
import type { RunOptions } from '../core/run.js';
import type { TerraformOptions } from '../analyzers/terraform/module.js';
import { parseConfig, defaultConfig } from '../policy/schema.js';
import type { ConfigError, MlcostConfig } from '../policy/schema.js';
import { mergeUsage, parseUsageFile } from '../policy/usage.js';
import { dirReader, gitReader, loadProjects, verifyRev } from '../adapters/local.js';
import { discoverOptions } from '../core/projects.js';
import { loadPriceBook } from '../adapters/prices.js';
import { createRenderer } from '../report/render.js';
import { loadTemplates } from '../adapters/templates.js';
import { registerPricesCommand } from './prices.js';
import { takeExtends } from '../app/config.js';

export class UsageError extends Error {}

interface CommonOptions {
  format: 'json' | 'table' | 'markdown';
  config?: string;
  usageFile?: string;
  varFile: string[];
  var: string[];
  prices?: string;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function formatConfigErrors(errors: ConfigError[]): string {
  return errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.key ? `${e.key}: ` : ''}${e.message}`).join('\n');
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

async function loadConfig(opts: CommonOptions, io: Io, fallbackReaders: { read(p: string): Promise<string | null> }[]): Promise<{ config: MlcostConfig; file: string }> {
  let text: string | null = null;
  let file = '.mlcost.yml';
  if (opts.config) {
    file = opts.config;
    text = await readText(resolve(io.cwd, opts.config), 'config file');
  } else {
    for (const reader of fallbackReaders) {
      for (const candidate of ['.mlcost.yml', '.github/mlcost.yml']) {
        text = await reader.read(candidate);
        if (text !== null) {
          file = candidate;
          break;
        }
      }
      if (text !== null) break;
    }
  }
  let config = defaultConfig();
  if (text !== null) {
    // `_extends` (other repositories' defaults) is followed by the App and the Action, which read GitHub.
    const ext = takeExtends(text);
    if (ext.present) io.err(`mlcost: ${file}:${ext.line}: _extends is followed by the GitHub App and Action only; the CLI uses this file's own settings`);
    const parsed = parseConfig(ext.text, file);
    if (parsed.errors.length) throw new UsageError(`invalid configuration:\n${formatConfigErrors(parsed.errors)}`);
    config = parsed.config;
  }
  if (opts.usageFile) {
    const usageText = await readText(resolve(io.cwd, opts.usageFile), 'usage file');
    const parsed = parseUsageFile(usageText, opts.usageFile);
    if (parsed.errors.length) throw new UsageError(`invalid usage file:\n${formatConfigErrors(parsed.errors)}`);
    config = { ...config, usage: mergeUsage(config.usage, parsed.usage) };
  }
  return { config, file };
}

async function terraformOptions(opts: CommonOptions, io: Io): Promise<TerraformOptions> {
  const vars: Record<string, string> = {};
  for (const v of opts.var) {
    const i = v.indexOf('=');
    if (i <= 0) throw new UsageError(`--var expects name=value, got "${v}"`);
    vars[v.slice(0, i)] = v.slice(i + 1);
  }
  const varFiles = [];
  for (const f of opts.varFile) varFiles.push({ path: f, text: await readText(resolve(io.cwd, f), 'var file') });
  const envVars: Record<string, string> = {};
  for (const [k, v] of Object.entries(io.env)) if (k.startsWith('TF_VAR_') && v !== undefined) envVars[k.slice(7)] = v;
  return { vars, varFiles, envVars };
}

async function priceBook(opts: CommonOptions, io: Io): Promise<PriceBook> {
  const file = opts.prices ?? io.env.MLCOST_PRICES;
  try {
    return await loadPriceBook(file ? resolve(io.cwd, file) : undefined);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function hasErrors(b: Breakdown): boolean {
  return b.projects.some((p) => p.errors.some((e) => (e.severity ?? 'error') === 'error'));
}

function printErrors(b: Breakdown, io: Io, label = ''): void {
  for (const w of b.prices.teamRates?.warnings ?? []) io.err(`mlcost: warning: ${w}`);
  for (const p of b.projects)
    for (const e of p.errors) io.err(`${label}${e.file}:${e.line}${e.column ? `:${e.column}` : ''}: ${e.severity ?? 'error'}: ${e.message}`);
}

async function ensureDir(path: string): Promise<void> {
  const { stat } = await import('node:fs/promises');
  try {
    const s = await stat(path);
    if (!s.isDirectory()) throw new UsageError(`${path} is not a directory`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${path} does not exist`);
  }
}

/** A directory as the user would write it: relative to where they are, `.` for here. */
function displayPath(cwd: string, abs: string): string {
  const rel = relative(cwd, abs).split(sep).join('/');
  return rel === '' ? '.' : rel.startsWith('..') ? abs : rel;
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  const program = new Command();
  let exitCode = 0;
  program
    .name('mlcost')
    .description('Prices the AWS infrastructure of a repository, and what a change does to it. Offline by default.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) });

  const common = (cmd: Command) =>
    cmd
      .addOption(new Option('--format <format>', 'output format').choices(['json', 'table', 'markdown']).default('table'))
      .option('--config <file>', '.mlcost.yml to use (default: .mlcost.yml or .github/mlcost.yml at the root)')
      .option('--usage-file <file>', 'usage values: mlcost `usage:` format or infracost-usage.yml')
      .option('--var-file <file>', 'Terraform variables file (repeatable)', collect, [])
      .option('--var <name=value>', 'Terraform variable (repeatable)', collect, [])
      .option('--prices <file>', 'price snapshot file (default: the embedded snapshot; env MLCOST_PRICES)');

  const renderer = () => createRenderer(loadTemplates());

  registerPricesCommand(program, io, (code) => (exitCode = code));

  common(program.command('breakdown <path>').description('price every project under a directory')).action(async (path: string, opts: CommonOptions) => {
    const root = resolve(io.cwd, path);
    await ensureDir(root);
    const reader = dirReader(root);
    const { config } = await loadConfig(opts, io, [reader]);
    const runOptions: RunOptions = { config, analyze: { terraform: await terraformOptions(opts, io) } };
    const projects = await loadProjects(reader, '.', displayPath(io.cwd, root), discoverOptions(config));
    const book = await priceBook(opts, io);
    const b = breakdown(projects, book, runOptions);
    if (opts.format === 'json') io.out(JSON.stringify(b, null, 2));
    else if (opts.format === 'markdown') io.out(renderer().renderBreakdownMarkdown(b));
    else io.out(renderer().renderTable(b));
    printErrors(b, io);
    if (projects.length === 0) io.err(`nothing to price under ${path}: no Terraform, Kubernetes manifests or other project files found`);
    if (hasErrors(b)) exitCode = 2;
  });

  common(
    program
      .command('diff [path]')
      .description('price the change between two trees: --base/--head directories, or --git <base>[..<head>]')
      .option('--base <dir>', 'directory with the base version')
      .option('--head <dir>', 'directory with the head version')
      .option('--git <range>', 'git revisions <base>[..<head>] of the repository in the current directory (head: working tree when omitted)')
      .option('--exit-zero', 'exit 0 even when thresholds are breached'),
  ).action(async (path: string | undefined, opts: CommonOptions & { base?: string; head?: string; git?: string; exitZero?: boolean }) => {
    let baseProjects: ProjectFiles[];
    let headProjects: ProjectFiles[];
    // Thresholds come from the base side, so a change cannot loosen its own limits.
    let config: MlcostConfig;
    let file: string;
    if (opts.git) {
      if (opts.base || opts.head) throw new UsageError('use either --git or --base/--head, not both');
      const [baseRev, headRev] = opts.git.split('..') as [string, string | undefined];
      if (!baseRev) throw new UsageError('--git needs a base revision');
      await verifyRev(io.cwd, baseRev);
      if (headRev) await verifyRev(io.cwd, headRev);
      const dir = path ?? '.';
      const baseReader = gitReader(io.cwd, baseRev);
      const headReader = headRev ? gitReader(io.cwd, headRev) : dirReader(io.cwd);
      ({ config, file } = await loadConfig(opts, io, [baseReader]));
      baseProjects = await loadProjects(baseReader, dir, undefined, discoverOptions(config));
      headProjects = await loadProjects(headReader, dir, undefined, discoverOptions(config));
    } else {
      if (!opts.base || !opts.head) throw new UsageError('diff needs --base <dir> and --head <dir>, or --git <base>[..<head>]');
      const baseRoot = resolve(io.cwd, opts.base);
      const headRoot = resolve(io.cwd, opts.head);
      await ensureDir(baseRoot);
      await ensureDir(headRoot);
      const baseReader = dirReader(baseRoot);
      ({ config, file } = await loadConfig(opts, io, [baseReader]));
      baseProjects = await loadProjects(baseReader, path ?? '.', displayPath(io.cwd, headRoot), discoverOptions(config));
      headProjects = await loadProjects(dirReader(headRoot), path ?? '.', displayPath(io.cwd, headRoot), discoverOptions(config));
    }
    const runOptions: RunOptions = { config, analyze: { terraform: await terraformOptions(opts, io) } };
    const book = await priceBook(opts, io);
    const b = breakdown(baseProjects, book, runOptions);
    const h = breakdown(headProjects, book, runOptions);
    const d: Diff = diff(b, h, config, file);
    if (opts.format === 'json') io.out(JSON.stringify(d, null, 2));
    else if (opts.format === 'markdown') io.out(renderer().renderComment(d, {}));
    else io.out(renderer().renderTable(d));
    printErrors(h, io, '');
    if (hasErrors(h)) exitCode = 2;
    else if (d.policy.conclusion === 'failure' && !opts.exitZero) exitCode = 1;
  });

  program
    .command('worker')
    .description('take pull request analyses from the Redis queue the GitHub App fills (REDIS_URL, APP_ID, PRIVATE_KEY...); runs until SIGTERM')
    .action(async () => {
      // Loaded here: the other commands need neither Probot nor BullMQ.
      const { runWorker } = await import('../app/worker.js');
      await runWorker(io.env);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError) {
      io.err(`mlcost: ${e.message}`);
      return 2;
    }
    io.err(`mlcost: internal error: ${(e as Error).stack ?? String(e)}`);
    return 2;
  }
  return exitCode;
}

export async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    env: process.env,
    cwd: process.cwd(),
  });
  process.exitCode = code;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
