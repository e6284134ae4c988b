/**
 * Path globs of `.mlcost.yml` (`paths:`, `exclude:`, `allowIn:`), matched against repository-relative
 * paths with `/`, from the root: `*` any characters but `/`, `?` one of them, `**` any number of
 * whole directories (none included, so `infra/ml/**` matches `infra/ml` itself), `{a,b}` either,
 * `[abc]` a character class. Pure.
 */

const cache = new Map<string, RegExp>();

function escape(ch: string): string {
  return /[.+^${}()|[\]\\]/.test(ch) ? `\\${ch}` : ch;
}

function normal(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '') || '.';
}

/** The regular expression of a glob (anchored). */
export function globToRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  const g = normal(glob);
  let out = '';
  let braces = 0;
  for (let i = 0; i < g.length; i++) {
    const ch = g[i] as string;
    if (ch === '*') {
      if (g[i + 1] === '*') {
        const atStart = i === 0 || g[i - 1] === '/';
        const atEnd = i + 2 === g.length || g[i + 2] === '/';
        if (atStart && atEnd) {
          if (i + 2 === g.length) {
            // `a/**`: `a` itself or anything below it (the `/` before was already written).
            if (out.endsWith('/')) out = `${out.slice(0, -1)}(?:/.*)?`;
            else out += '.*';
          } else {
            // `**/`: zero or more directories.
            out += '(?:[^/]*/)*';
            i += 1; // the `/` after `**`
          }
          i += 1;
          continue;
        }
      }
      out += '[^/]*';
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '{') {
      braces++;
      out += '(?:';
    } else if (ch === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (ch === ',' && braces > 0) {
      out += '|';
    } else if (ch === '[') {
      const close = g.indexOf(']', i + 1);
      if (close < 0) {
        out += '\\[';
      } else {
        const body = g.slice(i + 1, close).replace(/\\/g, '\\\\').replace(/^!/, '^');
        out += `[${body}]`;
        i = close;
      }
    } else {
      out += escape(ch);
    }
  }
  const re = new RegExp(`^${out}$`);
  cache.set(glob, re);
  return re;
}

/** Does `glob` match `path`? */
export function matchesGlob(glob: string, path: string): boolean {
  return globToRegExp(glob).test(normal(path));
}

/** Does any of `globs` match any of `paths`? */
export function matchesAnyGlob(globs: readonly string[], paths: readonly string[]): boolean {
  return globs.some((g) => paths.some((p) => matchesGlob(g, p)));
}

/** Why a glob is not usable, or undefined (for the schema). */
export function globProblem(glob: string): string | undefined {
  if (glob.trim() === '') return 'an empty glob matches nothing';
  if (glob.startsWith('/')) return 'globs are relative to the repository root: remove the leading `/`';
  let depth = 0;
  for (const ch of glob) {
    if (ch === '{') depth++;
    else if (ch === '}') depth--;
    if (depth < 0) return 'unbalanced `}`';
  }
  if (depth !== 0) return 'unbalanced `{`';
  try {
    globToRegExp(glob);
  } catch {
    return 'not a valid glob';
  }
  return undefined;
}
