/** Octokit for tests: Probot's, with retries and throttling off (the function form: no per-request wait). */
import { ProbotOctokit } from 'probot';

export const TestOctokit = ProbotOctokit.defaults((o: ConstructorParameters<typeof ProbotOctokit>[0] = {}) => ({
  ...o,
  retry: { enabled: false },
  throttle: { ...o.throttle, enabled: false },
}));
