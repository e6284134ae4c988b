/**
 * Fuzz-style robustness: real corpus files, mutated deterministically (seeded PRNG), must never
 * make the parser throw or hang, and every position it reports must name a real place.
 */

import { describe, expect, it } from '@jest/globals';
import { parseHcl } from '../../../src/analyzers/terraform/hcl/parser.js';
import { allRanges, corpusFiles, errorPosChecker, positionChecker } from './helpers.js';

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  '{', '}', '[', ']', '(', ')', '"', '${', '%{', '}"', '~}', '<<EOT\n', '<<-EOT\n', 'EOT\n', '\n', '=', '==', ':',
  '?', '...', '.', '*', ',', '#', '//', '/*', '*/', '\\', '$${', 'for', 'in', 'if', 'endif', 'endfor', '=>', '\u0000',
  '\uFFFD', 'é', '\uD800', '\t', '\r', '-', '!', '&&', '||', "'", '0.1.2', '1e', 'x.0.1', '[*]', '.*', '::',
];

function mutate(text: string, rand: () => number): string {
  let s = text;
  const n = 1 + Math.floor(rand() * 5);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rand() * (s.length + 1));
    const len = Math.floor(rand() * 40);
    switch (Math.floor(rand() * 6)) {
      case 0: // delete a span
        s = s.slice(0, at) + s.slice(at + len);
        break;
      case 1: // insert a syntax fragment
        s = s.slice(0, at) + (FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)] ?? '') + s.slice(at);
        break;
      case 2: {
        // duplicate a span elsewhere
        const from = Math.floor(rand() * s.length);
        s = s.slice(0, at) + s.slice(from, from + len) + s.slice(at);
        break;
      }
      case 3: // truncate
        s = s.slice(0, at);
        break;
      case 4: {
        // random bytes
        let junk = '';
        for (let j = 0; j < len; j++) junk += String.fromCharCode(Math.floor(rand() * 256));
        s = s.slice(0, at) + junk + s.slice(at);
        break;
      }
      default: // swap one character for another
        s = s.slice(0, at) + String.fromCharCode(32 + Math.floor(rand() * 95)) + s.slice(at + 1);
        break;
    }
  }
  return s;
}

describe('fuzzing with mutated real files', () => {
  const files = corpusFiles();

  it('never throws on 400 mutated files and reports only valid positions', () => {
    const rand = prng(0xc0ffee);
    let withErrors = 0;
    const t0 = Date.now();
    for (let i = 0; i < 400; i++) {
      const file = files[Math.floor(rand() * files.length)]!;
      const src = mutate(file.text, rand);
      let r;
      try {
        r = parseHcl(src);
      } catch (e) {
        throw new Error(`parseHcl threw on mutation ${i} of ${file.name}: ${String(e)}`);
      }
      if (r.errors.length > 0) withErrors++;
      const validError = errorPosChecker(src);
      for (const e of r.errors) {
        if (!validError(e.line, e.col)) throw new Error(`mutation ${i} of ${file.name}: bad error position ${JSON.stringify(e)}`);
        expect(e.message.length).toBeGreaterThan(0);
      }
      const valid = positionChecker(src);
      for (const range of allRanges(r)) {
        if (!valid(range.start) || !valid(range.end) || range.start.offset > range.end.offset) {
          throw new Error(`mutation ${i} of ${file.name}: bad range ${JSON.stringify(range)}`);
        }
      }
    }
    // Most mutations break the file; the parser must have noticed.
    expect(withErrors).toBeGreaterThan(250);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('keeps every top-level block when a broken line is inserted before one of them', () => {
    const rand = prng(42);
    const garbage = [
      'instance_type "t3.micro"', 'x = = 1', '@@@ !!!', 'foo = [1, 2', 'bar = (3 +', 'baz = "unterminated',
      'q = <<ZZQ', 'w = {', 'v = f(1,', 't = "${var.x"', '}', ']', 'u = x ? 1', 'k = [for x in y : ]',
    ];
    let checked = 0;
    for (const file of files) {
      const clean = parseHcl(file.text);
      if (clean.errors.length > 0 || clean.body.blocks.length < 2) continue;
      const names = clean.body.blocks.map((b) => [b.type, ...b.labels].join('.'));
      const starts = clean.body.blocks.filter((b) => b.range.start.col === 1).map((b) => b.range.start.offset);
      for (let k = 0; k < 3; k++) {
        const at = starts[Math.floor(rand() * starts.length)];
        if (at === undefined) continue;
        const line = garbage[Math.floor(rand() * garbage.length)]!;
        const src = file.text.slice(0, at) + line + '\n' + file.text.slice(at);
        const r = parseHcl(src);
        expect(r.errors.length).toBeGreaterThan(0);
        const got = r.body.blocks.map((b) => [b.type, ...b.labels].join('.'));
        if (got.join('\n') !== names.join('\n')) {
          throw new Error(`${file.name}: after inserting ${JSON.stringify(line)} at offset ${at}, blocks were\n` +
            `${got.join(', ')}\ninstead of\n${names.join(', ')}`);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('stays linear on inputs built to defeat recovery by rewinding', () => {
    const cases = [
      'a = "${[\n'.repeat(20_000),
      'a = "${(\n'.repeat(20_000),
      'a = "${ x +\n'.repeat(20_000),
      Array.from({ length: 20_000 }, (_, i) => `a${i} = <<M${i}\n`).join(''),
      'a = <<EOT\n'.repeat(20_000),
      'a = <<EOT\n${[\n'.repeat(10_000) + 'EOT\n',
    ];
    for (const src of cases) {
      const t0 = Date.now();
      const r = parseHcl(src);
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(r.errors.length).toBeGreaterThan(0);
    }
  });
});
