/** Helm's values rules (pkg/chartutil coalesce.go and dependencies.go, Helm 3.13+), without Helm. */
import { describe, expect, it } from '@jest/globals';
import type { AnalysisError } from '../../src/core/types.js';
import { loadChart } from '../../src/analyzers/helm/chart.js';
import { coalesceTables, instanceValues, instantiate, mergeValueFiles, processDependencies, releaseValues, type NotAnalysed } from '../../src/analyzers/helm/coalesce.js';
import { under } from './helpers.js';

function release(files: Record<string, string>, user: Record<string, unknown> = {}, unread: string[] = []) {
  const errors: AnalysisError[] = [];
  const notAnalysed: NotAnalysed[] = [];
  const chart = loadChart(files, unread, 'app', errors);
  if (!chart) throw new Error(JSON.stringify(errors));
  const root = instantiate(chart, errors, notAnalysed);
  notAnalysed.push(...processDependencies(root, user, errors));
  const top = releaseValues(root, user, errors, 'app/values.yaml');
  return { root, top, errors, notAnalysed, byPath: instanceValues(root, top) };
}

const CHART = (name: string, extra = '') => `apiVersion: v2\nname: ${name}\nversion: 1.0.0\n${extra}`;

describe('values files (helm -f a -f b)', () => {
  it('merge maps key by key; lists, scalars and nulls of a later file replace', () => {
    const a = { image: { repo: 'r', tag: '1' }, tolerations: [{ key: 'a' }, { key: 'b' }], n: 1 };
    const b = { image: { tag: '2' }, tolerations: [{ key: 'c' }], n: null };
    expect(mergeValueFiles(a, b)).toEqual({ image: { repo: 'r', tag: '2' }, tolerations: [{ key: 'c' }], n: null });
  });
});

describe('coalescing (chart defaults < parent section < values files)', () => {
  const files = under('app', {
    'Chart.yaml': CHART('app'),
    'values.yaml': [
      'replicaCount: 1',
      'nodeSelector: { disktype: ssd }',
      'sidecars: [{ name: proxy }, { name: logger }]',
      'resources: { requests: { cpu: 500m, memory: 1Gi } }',
      'global: { team: platform, image: { registry: r.example.com, pullPolicy: Always } }',
      'db: { replicaCount: 2, global: { team: ignored } }',
      '',
    ].join('\n'),
    'charts/db/Chart.yaml': CHART('db'),
    'charts/db/values.yaml': 'replicaCount: 1\npersistence: { size: 10Gi, storageClass: gp2 }\nglobal: { team: db, image: { registry: db.example.com, tag: "5" } }\n',
  });

  it('applies user values over the chart; null deletes a default; lists replace', () => {
    const { top } = release(files, { replicaCount: 3, nodeSelector: null, sidecars: [{ name: 'proxy' }], resources: { requests: { cpu: '2' } } });
    expect(top.replicaCount).toBe(3);
    expect('nodeSelector' in top).toBe(false);
    expect(top.sidecars).toEqual([{ name: 'proxy' }]);
    expect(top.resources).toEqual({ requests: { cpu: '2', memory: '1Gi' } });
  });

  it('a subchart sees its defaults < the parent chart\'s section < the user\'s section, and the parent\'s globals', () => {
    const { byPath } = release(files, { db: { persistence: { size: '50Gi', storageClass: null } } });
    expect(byPath.get('app/charts/db')).toEqual({
      replicaCount: 2, // app/values.yaml db.replicaCount over db's own 1
      persistence: { size: '50Gi' }, // the user's size; their null removed db's storageClass
      // The parent's globals win, key by key; a subchart's own globals fill the rest.
      global: { team: 'platform', image: { registry: 'r.example.com', pullPolicy: 'Always', tag: '5' } },
    });
  });

  it('coalesceTables keeps the destination and deletes its nulls only when not merging', () => {
    expect(coalesceTables({ a: null, b: 1 }, { a: 1, c: { d: 1 } }, false)).toEqual({ b: 1, c: { d: 1 } });
    expect(coalesceTables({ a: null }, { a: 1 }, true)).toEqual({ a: null });
  });
});

describe('dependencies: condition, tags, alias, import-values, what is not there', () => {
  const files = under('app', {
    'Chart.yaml': CHART(
      'app',
      [
        'dependencies:',
        '  - name: db',
        '    version: ~1.0.0',
        '    condition: db.enabled',
        '  - name: worker',
        '    version: 1.0.0',
        '    alias: gpu-worker',
        '    condition: gpuWorker.enabled,gpu-worker.enabled',
        '  - name: worker',
        '    alias: batch-worker',
        '    tags: [batch]',
        '  - name: redis',
        '    version: 17.0.0',
        '    repository: https://charts.bitnami.com/bitnami',
        '    condition: redis.enabled',
        '  - name: postgresql',
        '    version: 12.1.0',
        '    repository: oci://registry-1.docker.io/bitnamicharts',
        '  - name: metrics',
        '    repository: https://example.com/charts',
        '    import-values:',
        '      - defaults',
        '      - { child: ports, parent: metricsPorts }',
        '',
      ].join('\n'),
    ),
    'values.yaml': 'db: { enabled: false }\ngpu-worker: { enabled: true, size: large }\ntags: { batch: false }\nredis: { enabled: false }\nmetricsPorts: { http: 8080 }\n',
    'charts/db/Chart.yaml': CHART('db'),
    'charts/worker/Chart.yaml': CHART('worker'),
    'charts/worker/values.yaml': 'size: small\n',
    'charts/metrics-chart/Chart.yaml': CHART('metrics'),
    'charts/metrics-chart/values.yaml': 'exports: { defaults: { scrapeInterval: 30s } }\nports: { http: 9090, grpc: 9091 }\n',
  });

  it('enables and disables subcharts, names aliased copies, reports what is not vendored', () => {
    const r = release(files, {}, ['app/charts/postgresql-12.1.0.tgz']);
    const state = Object.fromEntries(r.root.children.map((c) => [c.instance.path, c.instance.enabled ? 'enabled' : `disabled: ${c.instance.disabledBy}`]));
    expect(state).toEqual({
      'app/charts/db': 'disabled: condition db.enabled is false',
      'app/charts/gpu-worker': 'enabled', // gpuWorker.enabled does not resolve; gpu-worker.enabled does
      'app/charts/batch-worker': 'disabled: tags batch are false',
      'app/charts/metrics': 'enabled',
    });
    expect(r.byPath.get('app/charts/gpu-worker')).toEqual({ enabled: true, size: 'large', global: {} });
    expect(r.byPath.has('app/charts/db')).toBe(false);
    // redis is disabled by its condition: not reported; postgresql is packaged, not unpacked.
    expect(r.notAnalysed).toEqual([
      {
        address: 'helm_chart["app/charts/postgresql"]',
        type: 'helm_chart',
        reason: 'packaged subchart app/charts/postgresql-12.1.0.tgz (dependency postgresql 12.1.0 from oci://registry-1.docker.io/bitnamicharts) not analysed: mlcost does not unpack chart archives; vendor it as a directory under charts/ to price it',
      },
    ]);
    const enabledRedis = release(files, { redis: { enabled: true } }, ['app/charts/postgresql-12.1.0.tgz']);
    expect(enabledRedis.notAnalysed.map((n) => n.reason)).toContain('dependency redis 17.0.0 from https://charts.bitnami.com/bitnami is not vendored under app/charts/: not analysed (mlcost never downloads charts)');
  });

  it('imports values from a subchart under the parent\'s own (exports.<name> and child/parent)', () => {
    const r = release(files);
    expect(r.top.scrapeInterval).toBe('30s');
    // The parent's own metricsPorts.http wins over the imported one; grpc is imported.
    expect(r.top.metricsPorts).toEqual({ http: 8080, grpc: 9091 });
  });

  it('tags true enable a dependency; a user condition overrides the chart\'s values', () => {
    const r = release(files, { tags: { batch: true }, db: { enabled: true } });
    const enabled = r.root.children.filter((c) => c.instance.enabled).map((c) => c.instance.name);
    expect(enabled).toEqual(['db', 'gpu-worker', 'batch-worker', 'metrics']);
  });
});
