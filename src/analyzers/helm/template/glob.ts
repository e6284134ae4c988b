/**
 * Glob patterns as Helm's .Files.Glob compiles them (gobwas/glob with '/' as separator):
 * `*` any run without '/', `**` any run, `?` one character but '/', `[abc]`, `[!a-z]`,
 * `{a,b}` alternatives, `\x` escapes. An invalid pattern matches everything (as Helm falls back
 * to "**"). Matching runs on the linear-time regular expression engine: a pattern cannot stall it.
 */
import { compileRegexp, regexMatch } from './regex.js';

function escapeRe(c: string): string {
  return /[A-Za-z0-9]/.test(c) || c.charCodeAt(0) >= 0x80 ? c : `\\${c}`;
}

function translate(p: string, i: { pos: number }, inBraces: boolean): string {
  let out = '';
  while (i.pos < p.length) {
    const c = p[i.pos] as string;
    if (inBraces && (c === ',' || c === '}')) return out;
    i.pos++;
    switch (c) {
      case '*':
        if (p[i.pos] === '*') {
          i.pos++;
          out += '.*';
        } else out += '[^/]*';
        break;
      case '?':
        out += '[^/]';
        break;
      case '\\': {
        const n = p[i.pos++];
        if (n === undefined) throw new Error('bad escape');
        out += escapeRe(n);
        break;
      }
      case '[': {
        const end = p.indexOf(']', i.pos);
        if (end < 0) throw new Error('unclosed class');
        let body = p.slice(i.pos, end);
        i.pos = end + 1;
        let neg = false;
        if (body.startsWith('!')) {
          neg = true;
          body = body.slice(1);
        }
        out += `[${neg ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
        break;
      }
      case '{': {
        const alts: string[] = [];
        for (;;) {
          alts.push(translate(p, i, true));
          const d = p[i.pos++];
          if (d === '}') break;
          if (d !== ',') throw new Error('unclosed alternatives');
        }
        out += `(?:${alts.join('|')})`;
        break;
      }
      default:
        out += escapeRe(c);
    }
  }
  if (inBraces) throw new Error('unclosed alternatives');
  return out;
}

/** A matcher for file names. */
export function globMatcher(pattern: string, tick?: (n: number) => void): (name: string) => boolean {
  try {
    const re = compileRegexp(`(?s)^${translate(pattern, { pos: 0 }, false)}$`, tick);
    return (name) => regexMatch(re, name);
  } catch {
    return () => true;
  }
}
