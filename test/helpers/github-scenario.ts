/** Repositories and pull requests in the fake GitHub, for the App's tests, the e2e test and the benchmark. */
import type { FakeGitHub, FakePull, FakeRepo } from './github-fake.js';
import type { Target } from './github-payloads.js';

/** A Terraform file with one EC2 instance (priced from the embedded snapshot). */
export function instanceTf(instanceType: string, name = 'web', region = 'us-east-1'): string {
  return `provider "aws" {\n  region = "${region}"\n}\n\nresource "aws_instance" "${name}" {\n  ami           = "ami-123"\n  instance_type = "${instanceType}"\n}\n`;
}

export interface Scenario {
  repo: FakeRepo;
  pull: FakePull;
  baseSha: string;
  headSha: string;
  target: Target;
  /** A new commit on the PR branch (files changed on top of the current head); returns the new target. */
  push(files: Record<string, string | null>): Target;
  /** A new commit on the base branch. */
  advanceBase(files: Record<string, string | null>): string;
}

export interface ScenarioOptions {
  owner?: string;
  repo?: string;
  number?: number;
  base: Record<string, string>;
  /** Changes of the PR's single commit (null deletes a file). */
  head: Record<string, string | null>;
}

export function scenario(fake: FakeGitHub, o: ScenarioOptions): Scenario {
  const owner = o.owner ?? 'acme';
  const name = o.repo ?? 'infra';
  const number = o.number ?? 7;
  const repo = fake.repo(owner, name);
  const baseSha = repo.commit(o.base);
  repo.branch('main', baseSha);
  const headSha = repo.commit(o.head, baseSha);
  repo.branch('feature', headSha);
  const pull = repo.pull(number, 'main', 'feature');
  const target = (): Target => ({ owner, repo: name, number, baseSha: pull.base.sha, headSha: pull.head.sha, baseRef: 'main', headRef: 'feature' });
  return {
    repo,
    pull,
    baseSha,
    headSha,
    target: target(),
    push(files) {
      const sha = repo.commit(files, pull.head.sha);
      repo.branch('feature', sha);
      pull.head.sha = sha;
      return target();
    },
    advanceBase(files) {
      const sha = repo.commit(files, repo.branches.get('main') ?? null);
      repo.branch('main', sha);
      pull.base.sha = sha;
      return sha;
    },
  };
}
