/**
 * Every number, date and piece of untrusted text that reaches a report goes through this file.
 *
 * Money rules (locale fixed to en-US, ASCII hyphen-minus for negatives):
 * - `cents` precision (default; per-resource tables, unit-level figures): `$1,234.56`.
 * - `headline` precision (headline, project table, biggest changes, savings): whole dollars when
 *   |n| >= $1,000 (`$4,366`), cents below (`$306.40`), so small figures never collapse to `$0`.
 * - A non-zero amount that would round to `$0.00` is shown as `<$0.01` (with its sign).
 * - |n| < 1e-9 is zero (floating-point noise from sums), shown `$0.00`, never signed.
 * - null / undefined / NaN / Infinity are unknown: `unknown` (or the caller's word), never `$0`.
 *
 * Text rules: see `escapeMarkdown` and `code`.
 */

export const LOCALE = 'en-US';
/** Amounts closer to zero than this (USD per month) are treated as exactly zero. */
export const ZERO_EPSILON = 1e-9;
/** What an unknown amount or quantity is shown as. */
export const UNKNOWN_TEXT = 'unknown';

export type MoneyPrecision = 'cents' | 'headline';

export interface MoneyOptions {
  /** `cents` (default) or `headline` (whole dollars from $1,000). */
  precision?: MoneyPrecision;
  /** `always`: prefix positive amounts with `+`. Zero is never signed. */
  sign?: 'auto' | 'always';
  /** Text for an unknown amount; default `unknown`. */
  unknown?: string;
}

const CENTS = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const WHOLE = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });

function isKnown(n: number | null | undefined): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

/** True when `n` is a known amount that counts as zero. */
export function isZero(n: number | null | undefined): boolean {
  return isKnown(n) && Math.abs(n) < ZERO_EPSILON;
}

/** `$1,234.56`, `-$12.00`, `<$0.01`, `unknown`. See the file comment for the rules. */
export function formatUsd(n: number | null | undefined, opts: MoneyOptions = {}): string {
  if (!isKnown(n)) return opts.unknown ?? UNKNOWN_TEXT;
  const value = Math.abs(n) < ZERO_EPSILON ? 0 : n;
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : value > 0 && opts.sign === 'always' ? '+' : '';
  if (value !== 0 && abs < 0.005) return `${sign}<$0.01`;
  const body = opts.precision === 'headline' && abs >= 1000 ? WHOLE.format(abs) : CENTS.format(abs);
  return `${sign}$${body}`;
}

/** A change in money: `+$4,366.00`, `-$12.00`, `$0.00`, `unknown`. */
export function formatDelta(n: number | null | undefined, opts: Omit<MoneyOptions, 'sign'> = {}): string {
  return formatUsd(n, { ...opts, sign: 'always' });
}

/** A percentage already computed: `+38%`, `-4.2%`, `+<0.1%`, `0%`. */
export function formatSignedPercent(pct: number): string {
  if (!Number.isFinite(pct)) return UNKNOWN_TEXT;
  if (Math.abs(pct) < ZERO_EPSILON) return '0%';
  const sign = pct < 0 ? '-' : '+';
  const abs = Math.abs(pct);
  if (abs < 0.05) return `${sign}<0.1%`;
  const digits = abs < 10 ? 1 : 0;
  const body = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: digits }).format(abs);
  return `${sign}${body}%`;
}

/**
 * Relative change `delta / base`: `+38%`. null when it has no meaning (unknown figures, or a base
 * of zero: going from nothing to something is not a percentage).
 */
export function formatPercent(delta: number | null | undefined, base: number | null | undefined): string | null {
  if (!isKnown(delta) || !isKnown(base) || Math.abs(base) < ZERO_EPSILON) return null;
  return formatSignedPercent((delta / base) * 100);
}

/** A plain number: grouping, up to 2 decimals from 1 up, 4 significant digits below 1. */
export function formatNumber(n: number | null | undefined): string {
  if (!isKnown(n)) return UNKNOWN_TEXT;
  const abs = Math.abs(n);
  if (abs < ZERO_EPSILON) return '0';
  if (abs < 1) return new Intl.NumberFormat(LOCALE, { maximumSignificantDigits: 4 }).format(n);
  return new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2 }).format(n);
}

/** A quantity with its unit, as the pricer names it: `730 hours`, `1,024 GB-month`. */
export function formatQuantity(q: number | null | undefined, unit: string): string {
  if (!isKnown(q)) return UNKNOWN_TEXT;
  return unit ? `${formatNumber(q)} ${unit}` : formatNumber(q);
}

/**
 * The unit a price is quoted per: `hours` -> `hour`, `GB-months` -> `GB-month`. Units starting with
 * a number (`1M requests`), upper-case plurals (`IOPS`) and rates (`Mbps`) are left alone.
 */
export function singularUnit(unit: string): string {
  if (/^\d/.test(unit)) return unit;
  return unit.replace(/([a-z])s$/, (match, letter: string) => (letter === 's' || letter === 'p' ? match : letter));
}

/**
 * A unit price: `$1.212 / hour`, `$0.00001667 / GB-second`, `$0.10 / GB-month`. At least two
 * decimals; prices below $1 keep about four significant digits so small rates stay readable.
 */
export function formatUnitPrice(p: number | null | undefined, unit: string): string {
  if (!isKnown(p)) return UNKNOWN_TEXT;
  const abs = Math.abs(p);
  let maxDigits = 4;
  if (abs > 0 && abs < 1) maxDigits = Math.min(12, Math.max(4, Math.ceil(-Math.log10(abs)) + 3));
  const body = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: maxDigits }).format(abs);
  const money = `${p < 0 ? '-' : ''}$${body}`;
  return unit ? `${money} / ${singularUnit(unit)}` : money;
}

/** `1 guardrail`, `2 guardrails`, `1,204 resources`. */
export function formatCount(n: number, singular: string, plural = `${singular}s`): string {
  return `${new Intl.NumberFormat(LOCALE).format(n)} ${n === 1 ? singular : plural}`;
}

/** The first 7 characters of a commit SHA. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

// ---------------------------------------------------------------------------------------------
// Untrusted text

/** Characters that would let text escape its place in markdown/HTML, with their replacements. */
const MARKDOWN_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '|': '&#124;',
  '`': '&#96;',
  '\\': '&#92;',
  '[': '&#91;',
  ']': '&#93;',
  '(': '&#40;',
  ')': '&#41;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&#126;',
  $: '&#36;',
  // `@name` and `#123` are linked by GitHub after rendering, on the decoded text, so an entity alone
  // is not enough: a zero-width joiner after the sign breaks mentions and issue references.
  '@': '&#64;&#8205;',
  '#': '&#35;&#8205;',
};

const LINE_BREAKS = /\r\n|[\r\n\t\u2028\u2029\u0085]/g;
/** C0/C1 controls (incl. ESC, so no ANSI sequences) and bidirectional overrides/isolates/marks. */
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export interface TextOptions {
  /** Keep at most this many characters (code points) of the input, then `…`. */
  maxLength?: number;
}

/**
 * Untrusted text made plain: line breaks and tabs become spaces, control characters (ANSI escapes
 * included) and bidi overrides are dropped, long text is cut with `…`. For terminals, check-run
 * titles and annotations, where markdown is not rendered.
 */
export function plainText(text: string, opts: TextOptions = {}): string {
  const flat = String(text).replace(LINE_BREAKS, ' ').replace(INVISIBLE, '');
  const max = opts.maxLength;
  if (max === undefined) return flat;
  const points = Array.from(flat);
  return points.length <= max ? flat : `${points.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Untrusted text (resource names, paths, addresses, messages) made safe for GitHub markdown, in a
 * paragraph, a list item, a table cell, a `<summary>` or inside `<code>`: after `plainText`,
 * every character that markdown or HTML could interpret (`& < > " | \` \\ [ ] ( ) * _ ~ $ @ #`)
 * becomes a numeric/named HTML entity, which GitHub decodes back to the same visible character.
 * Mentions (`@x`) and issue references (`#1`) get a zero-width joiner so GitHub does not link
 * them. `://` and `www.` are broken up with an entity so GitHub does not turn bare URLs into links.
 */
export function escapeMarkdown(text: string, opts: TextOptions = {}): string {
  return plainText(text, opts)
    .replace(/[&<>"|`\\[\]()*_~$@#]/g, (ch) => MARKDOWN_ENTITIES[ch] ?? ch)
    .replace(/:(?=\/\/)/g, '&#58;')
    .replace(/\b(www)\./gi, '$1&#46;');
}

/**
 * Untrusted text as inline code. Rendered as an HTML `<code>` element whose content is
 * `escapeMarkdown`ed, rather than as a backtick span: a backtick span cannot hold `|` inside a GFM
 * table (the row splits before code spans are parsed), while entities inside `<code>` are safe in
 * tables, lists, paragraphs and `<summary>` alike, and no content can close the element.
 */
export function code(text: string, opts: TextOptions = {}): string {
  return `<code>${escapeMarkdown(text, opts)}</code>`;
}

/** `file:line` (or `file` when the line is unknown) as inline code; null when there is no file. */
export function codeLocation(file: string | null | undefined, line?: number | null): string | null {
  if (!file) return null;
  return code(typeof line === 'number' && line > 0 ? `${file}:${line}` : file, { maxLength: 200 });
}
