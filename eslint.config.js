// Lint: typescript-eslint's recommended rules, plus the house rule that the pure core does no IO.
import tseslint from 'typescript-eslint';

const ioModules = [
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'process', 'node:process',
  'child_process', 'node:child_process', 'http', 'node:http', 'https', 'node:https', 'net', 'node:net',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bin/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**', 'src/analyzers/**', 'src/pricing/**', 'src/policy/**', 'src/report/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ioModules.map((name) => ({ name, message: 'The pure core does no IO: take it through a port (src/core/ports.ts).' })),
        patterns: [
          { group: ['probot', 'probot/*', '@octokit/*', '@aws-sdk/*'], message: 'GitHub and AWS clients belong in src/adapters or src/app.' },
        ],
      }],
      'no-restricted-globals': ['error', { name: 'process', message: 'The pure core does not read the environment: pass values in.' }],
    },
  },
);
