/** Which projects a change touches and which files each side needs (pure). */
import { describe, expect, it } from '@jest/globals';
import { baseFilesFrom, candidateDirs, diffTrees, isInside, planProjects, touchedPaths } from '../../src/app/plan.js';
import type { TreeFile } from '../../src/app/plan.js';

const tf = (path: string, oid = `oid-${path}`): TreeFile => ({ path, oid, size: 10 });

describe('planProjects', () => {
  it('a project is affected when one of its files is touched, and keeps all its files', () => {
    const paths = ['a/main.tf', 'a/vars.tf', 'a/terraform.tfvars', 'a/README.md', 'b/main.tf', 'c/notes.md'];
    const plan = planProjects(paths, paths, [{ path: 'a/vars.tf', status: 'modified' }, { path: 'c/notes.md', status: 'modified' }]);
    expect(plan.head.map((p) => p.path)).toEqual(['a']);
    expect(plan.head[0]?.files).toEqual(['a/main.tf', 'a/terraform.tfvars', 'a/vars.tf']);
    expect(plan.base.map((p) => p.path)).toEqual(['a']);
  });

  it('a README next to the Terraform does not make it affected', () => {
    const paths = ['a/main.tf', 'a/README.md'];
    expect(planProjects(paths, paths, [{ path: 'a/README.md', status: 'modified' }]).head).toEqual([]);
  });

  it('deleted and renamed files count on both sides', () => {
    const base = ['gone/main.tf', 'old/x.tf', 'keep/main.tf'];
    const head = ['new/x.tf', 'keep/main.tf'];
    const plan = planProjects(base, head, [
      { path: 'gone/main.tf', status: 'removed' },
      { path: 'new/x.tf', status: 'renamed', previousPath: 'old/x.tf' },
    ]);
    expect(plan.base.map((p) => p.path)).toEqual(['gone', 'old']);
    expect(plan.head.map((p) => p.path)).toEqual(['new']);
  });

  it('a scope keeps only projects inside it', () => {
    const paths = ['infra/a/main.tf', 'apps/b/main.tf'];
    const changed = paths.map((path) => ({ path, status: 'modified' as const }));
    expect(planProjects(paths, paths, changed, 'infra').head.map((p) => p.path)).toEqual(['infra/a']);
    expect(isInside('infra2/x', 'infra')).toBe(false);
    expect(isInside('x', '.')).toBe(true);
  });
});

describe('side listings', () => {
  it('derives the base side from the head tree and the change list', () => {
    const head = [tf('a/main.tf', 'h1'), tf('a/new.tf', 'h2'), tf('b/main.tf', 'h3'), tf('r/new-name.tf', 'h4')];
    const base = baseFilesFrom(head, [
      { path: 'a/main.tf', status: 'modified' },
      { path: 'a/new.tf', status: 'added' },
      { path: 'c/main.tf', status: 'removed' },
      { path: 'r/new-name.tf', status: 'renamed', previousPath: 'r/old-name.tf' },
    ]);
    expect(base.map((f) => [f.path, f.oid])).toEqual([
      ['a/main.tf', ''],
      ['b/main.tf', 'h3'],
      ['c/main.tf', ''],
      ['r/old-name.tf', ''],
    ]);
  });

  it('diffs two trees', () => {
    expect(diffTrees([tf('a', '1'), tf('b', '2'), tf('c', '3')], [tf('a', '1'), tf('b', '9'), tf('d', '4')])).toEqual([
      { path: 'b', status: 'modified' },
      { path: 'c', status: 'removed' },
      { path: 'd', status: 'added' },
    ]);
  });

  it('lists touched paths with old names, and their directories', () => {
    const changed = [{ path: 'x/a.tf', status: 'renamed' as const, previousPath: 'y/z/a.tf' }, { path: 'root.tf', status: 'added' as const }];
    expect(touchedPaths(changed)).toEqual(['root.tf', 'x/a.tf', 'y/z/a.tf']);
    expect(candidateDirs(touchedPaths(changed))).toEqual(['.', 'x', 'y', 'y/z']);
  });
});
