/**
 * Prices live in the snapshot only. This scans every source file's numeric literals (comments and
 * strings excluded) and fails on any fractional number that is not on a short, reasoned list, so
 * a price typed into code cannot slip in unnoticed.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..', '..');

/** Fractional literals that are not prices, with the reason. */
const allowed: Record<string, string[]> = {
  // Infracost usage files declare `version: 0.1`.
  'src/policy/usage.ts': ['0.1'],
  // Float-noise tolerance when comparing a percentage with its limit.
  'src/policy/thresholds.ts': ['1e-9'],
  // Display thresholds: zero tolerance, "<$0.01" below half a cent, "<0.1%" below 0.05%.
  'src/report/format.ts': ['1e-9', '0.005', '0.05'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function fractionalLiterals(text: string): string[] {
  const source = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isNumericLiteral(node) && /[.eE]/.test(node.getText(source)) && !/^0[xob]/i.test(node.getText(source))) out.push(node.getText(source));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe('price literals', () => {
  it('appear nowhere in src/ outside the snapshot', () => {
    const found: Record<string, string[]> = {};
    for (const f of files(join(root, 'src'))) {
      const lits = fractionalLiterals(readFileSync(f, 'utf8')).filter((l) => !/^\d+e\d+$/i.test(l) || Number(l) < 1);
      if (lits.length) found[relative(root, f).split('\\').join('/')] = [...new Set(lits)];
    }
    expect(found).toEqual(allowed);
  });

  it('would catch one', () => {
    expect(fractionalLiterals('const p = 0.096; // 0.5 in a comment\nconst s = "1.5";')).toEqual(['0.096']);
  });
});
