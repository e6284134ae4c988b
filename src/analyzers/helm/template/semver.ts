/**
 * Semantic versions and constraints as Masterminds/semver v3 reads them (Sprig's semver and
 * semverCompare): "v" prefixes and missing minor/patch allowed, constraints joined with "," or
 * spaces (and) and "||" (or), hyphen ranges, x/X/* wildcards, ~ and ^, and the rule that a
 * pre-release version only satisfies a constraint that itself names a pre-release
 * (hence the common ">=1.21-0" against EKS versions such as "v1.29.3-eks-adc7111").
 */

import { compileRegexp, execAll, execFirst, type GoRegexp } from './regex.js';

export class SemverError extends Error {}

/** Masterminds' regular expressions run on the linear-time engine (constraints come from charts). */
let compiled: { version: GoRegexp; constraint: GoRegexp; range: GoRegexp; find: GoRegexp; valid: GoRegexp } | undefined;
function res(): NonNullable<typeof compiled> {
  compiled ??= {
    version: compileRegexp(VERSION_SRC),
    constraint: compileRegexp(`^\\s*(${OPS})\\s*(${CV})\\s*$`),
    range: compileRegexp(`\\s*(${CV})\\s+-\\s+(${CV})\\s*`),
    find: compileRegexp(`(${OPS})\\s*(${CV})`),
    valid: compileRegexp(`^(\\s*(${OPS})\\s*(${CV})\\s*)((?:\\s+|,\\s*)(${OPS})\\s*(${CV})\\s*)*$`),
  };
  return compiled;
}

export interface Version {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string;
  metadata: string;
  original: string;
}

const VERSION_SRC = '^v?(0|[1-9]\\d*)(?:\\.(0|[1-9]\\d*))?(?:\\.(0|[1-9]\\d*))?'
  + '(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?'
  + '(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$';

export function parseVersion(s: string): Version {
  if (s.length > 256) throw new SemverError('version string is too long');
  const m = execFirst(res().version, s)?.groups;
  if (!m) throw new SemverError('Invalid Semantic Version');
  return {
    major: BigInt(m[1] ?? '0'),
    minor: BigInt(m[2] ?? '0'),
    patch: BigInt(m[3] ?? '0'),
    pre: m[4] ?? '',
    metadata: m[5] ?? '',
    original: s,
  };
}

export function versionString(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}${v.pre ? `-${v.pre}` : ''}${v.metadata ? `+${v.metadata}` : ''}`;
}

function comparePrePart(a: string, b: string): number {
  if (a === b) return 0;
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : 1;
}

function comparePrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const ap = a.split('.');
  const bp = b.split('.');
  for (let i = 0; i < Math.max(ap.length, bp.length); i++) {
    const x = ap[i];
    const y = bp[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const c = comparePrePart(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

export function compareVersions(a: Version, b: Version): number {
  for (const k of ['major', 'minor', 'patch'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return comparePrerelease(a.pre, b.pre);
}

interface Constraint {
  op: string;
  con: Version;
  orig: string;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const CV = 'v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?'
  + '(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?'
  + '(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?';
const OPS = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';

const isX = (s: string | undefined): boolean => s === 'x' || s === 'X' || s === '*';

function parseConstraint(c: string): Constraint {
  const m = execFirst(res().constraint, c)?.groups;
  if (!m) throw new SemverError(`improper constraint: ${c}`);
  const op = m[1] ?? '';
  const orig = m[2] ?? '';
  const major = m[3];
  const minor = m[4];
  const patch = m[5];
  const rest = m[6] ?? '';
  let ver = orig;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major) || !major) {
    ver = `0.0.0${rest}`;
    dirty = true;
  } else if (isX(minor?.slice(1)) || !minor) {
    minorDirty = dirty = true;
    ver = `${major}.0.0${rest}`;
  } else if (isX(patch?.slice(1)) || !patch) {
    patchDirty = dirty = true;
    ver = `${major}${minor}.0${rest}`;
  }
  let con: Version;
  try {
    con = parseVersion(ver);
  } catch {
    throw new SemverError('constraint Parser Error');
  }
  return { op, con, orig, dirty, minorDirty, patchDirty };
}

function check(v: Version, c: Constraint): boolean {
  const preBlocked = v.pre !== '' && c.con.pre === '';
  const cmp = compareVersions(v, c.con);
  switch (c.op) {
    case '':
    case '=':
      if (preBlocked) return false;
      if (c.dirty) return tilde(v, c);
      return cmp === 0;
    case '!=':
      if (c.dirty) {
        if (preBlocked) return false;
        if (c.con.major !== v.major) return true;
        if (c.con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (c.con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) {
          if (v.pre !== '' || c.con.pre !== '') return comparePrerelease(v.pre, c.con.pre) !== 0;
          return false;
        }
      }
      return cmp !== 0;
    case '>':
      if (preBlocked) return false;
      if (!c.dirty) return cmp === 1;
      if (v.major > c.con.major) return true;
      if (v.major < c.con.major) return false;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > c.con.minor;
      return cmp === 1;
    case '<':
      if (preBlocked) return false;
      return cmp < 0;
    case '>=':
    case '=>':
      if (preBlocked) return false;
      return cmp >= 0;
    case '<=':
    case '=<':
      if (preBlocked) return false;
      if (!c.dirty) return cmp <= 0;
      if (v.major > c.con.major) return false;
      if (v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      if (preBlocked) return false;
      return tilde(v, c);
    case '^':
      if (preBlocked) return false;
      if (cmp < 0) return false;
      if (c.con.major > 0n || c.minorDirty) return v.major === c.con.major;
      if (v.major > 0n) return false;
      if (c.con.minor > 0n || c.patchDirty) return v.minor === c.con.minor;
      if (v.minor > 0n) return false;
      return c.con.patch === v.patch;
    default:
      return false;
  }
}

function tilde(v: Version, c: Constraint): boolean {
  if (compareVersions(v, c.con) < 0) return false;
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return false;
  if (v.minor !== c.con.minor && !c.minorDirty) return false;
  return true;
}

/** Parses a constraint string into OR groups of AND constraints. */
export function parseConstraints(input: string): Constraint[][] {
  if (input.length > 1024) throw new SemverError('constraint string is too long');
  // Hyphen ranges "1.2 - 1.4" become ">= 1.2, <= 1.4" (groups 1 and 11, as Masterminds reads them).
  let c = input;
  for (const m of execAll(res().range, input)) {
    const whole = Array.from(input).slice(m.start, m.end).join('');
    c = c.replace(whole, `>= ${m.groups[1] ?? ''}, <= ${m.groups[11] ?? ''}`);
  }
  return c.split('||').map((part) => {
    if (!execFirst(res().valid, part)) throw new SemverError(`improper constraint: ${part}`);
    const found = execAll(res().find, part).map((m) => m.groups[0] ?? '');
    return (found.length ? found : [part]).map(parseConstraint);
  });
}

export function satisfies(constraint: string, version: string): boolean {
  const cs = parseConstraints(constraint);
  const v = parseVersion(version);
  return cs.some((group) => group.every((c) => check(v, c)));
}
