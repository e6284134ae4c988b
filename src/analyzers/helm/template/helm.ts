/**
 * What Helm adds around text/template: the .Files, .Capabilities and .Chart objects, and the
 * functions include, tpl, required, fail, toYaml & co. and lookup (always an empty map: a static
 * analysis has no cluster to read).
 */
import { FuncError } from './errors.js';
import type { FuncDef } from './exec.js';
import {
  fromJson, fromJsonArray, fromYaml, fromYamlArray, toJsonString, toToml, toYaml, toYamlPretty,
} from './encoding.js';
import { globMatcher } from './glob.js';
import {
  GoObject, fromBytes, isNil, mapSet, newMap, sortedKeys, stringList, tagType, toBytes,
} from './values.js';

// ---- .Files ----

export type FileContent = string | Uint8Array;

function asString(c: FileContent): string {
  return typeof c === 'string' ? c : fromBytes(c);
}

function asBytes(c: FileContent): Uint8Array {
  return typeof c === 'string' ? toBytes(c) : c;
}

function baseName(p: string): string {
  let end = p.length;
  while (end > 0 && p[end - 1] === '/') end--;
  const t = p.slice(0, end);
  return t.slice(t.lastIndexOf('/') + 1);
}

/** Helm's Files: a map of path to bytes, with Get, GetBytes, Glob, Lines, AsConfig, AsSecrets. */
export function makeFiles(files: Record<string, FileContent>): GoObject {
  const data: Record<string, FileContent> = {};
  for (const k of Object.keys(files)) data[k] = files[k] as FileContent;
  return new GoObject('engine.files', 'map', data, {
    Get: { params: ['string'], call: ([n]) => (Object.prototype.hasOwnProperty.call(data, n as string) ? asString(data[n as string] as FileContent) : '') },
    GetBytes: { params: ['string'], call: ([n]) => (Object.prototype.hasOwnProperty.call(data, n as string) ? asBytes(data[n as string] as FileContent) : new Uint8Array()) },
    Glob: {
      params: ['string'],
      call: ([p]) => {
        const match = globMatcher(p as string);
        const out: Record<string, FileContent> = {};
        for (const k of Object.keys(data)) if (match(k)) out[k] = data[k] as FileContent;
        return makeFiles(out);
      },
    },
    Lines: {
      params: ['string'],
      call: ([p]) => {
        const c = data[p as string];
        if (c === undefined) return stringList([]);
        let s = asString(c);
        if (s.endsWith('\n')) s = s.slice(0, -1);
        return stringList(s.split('\n'));
      },
    },
    AsConfig: {
      params: [],
      call: () => {
        const m = newMap();
        for (const k of sortedKeys(data)) mapSet(m, baseName(k), asString(data[k] as FileContent));
        return toYaml(m);
      },
    },
    AsSecrets: {
      params: [],
      call: () => {
        const m = newMap();
        for (const k of sortedKeys(data)) mapSet(m, baseName(k), Buffer.from(asBytes(data[k] as FileContent)).toString('base64'));
        return toYaml(m);
      },
    },
  }, { byteValues: true });
}

// ---- .Capabilities ----

export interface CapabilitiesInput {
  KubeVersion?: { Version: string; Major?: string; Minor?: string };
  APIVersions?: string[];
  HelmVersion?: { Version?: string; GitCommit?: string; GitTreeState?: string; GoVersion?: string };
}

/** The Kubernetes version `helm template` assumes without a cluster (Helm 3.16+). */
export const DEFAULT_KUBE_VERSION = 'v1.31.0';

const DEFAULT_GROUP_KINDS: Record<string, string[]> = {
  v1: ['Binding', 'ConfigMap', 'Endpoints', 'Event', 'LimitRange', 'Namespace', 'Node', 'PersistentVolume', 'PersistentVolumeClaim', 'Pod', 'PodTemplate', 'ReplicationController', 'ResourceQuota', 'Secret', 'Service', 'ServiceAccount'],
  'admissionregistration.k8s.io/v1': ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'],
  'apiextensions.k8s.io/v1': ['CustomResourceDefinition'],
  'apiregistration.k8s.io/v1': ['APIService'],
  'apps/v1': ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
  'authentication.k8s.io/v1': ['TokenReview', 'SelfSubjectReview'],
  'authorization.k8s.io/v1': ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'],
  'autoscaling/v1': ['HorizontalPodAutoscaler'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'batch/v1': ['CronJob', 'Job'],
  'certificates.k8s.io/v1': ['CertificateSigningRequest'],
  'coordination.k8s.io/v1': ['Lease'],
  'discovery.k8s.io/v1': ['EndpointSlice'],
  'events.k8s.io/v1': ['Event'],
  'flowcontrol.apiserver.k8s.io/v1': ['FlowSchema', 'PriorityLevelConfiguration'],
  'networking.k8s.io/v1': ['Ingress', 'IngressClass', 'NetworkPolicy'],
  'node.k8s.io/v1': ['RuntimeClass'],
  'policy/v1': ['Eviction', 'PodDisruptionBudget'],
  'rbac.authorization.k8s.io/v1': ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'storage.k8s.io/v1': ['CSIDriver', 'CSINode', 'CSIStorageCapacity', 'StorageClass', 'VolumeAttachment'],
};

/** The API versions a cluster-less `helm template` reports: built-in groups and their kinds. */
export function defaultApiVersions(): string[] {
  const out: string[] = [];
  for (const [gv, kinds] of Object.entries(DEFAULT_GROUP_KINDS)) {
    out.push(gv);
    for (const k of kinds) out.push(`${gv}/${k}`);
  }
  return out;
}

function parseKubeVersion(v: string): { Version: string; Major: string; Minor: string } {
  const m = /^v?(\d+)\.(\d+)/.exec(v);
  return { Version: v.startsWith('v') ? v : `v${v}`, Major: m?.[1] ?? '', Minor: m?.[2] ?? '' };
}

export function makeCapabilities(input: CapabilitiesInput = {}): GoObject {
  const kvIn = input.KubeVersion;
  const parsed = parseKubeVersion(kvIn?.Version ?? DEFAULT_KUBE_VERSION);
  const kv = { Version: parsed.Version, Major: kvIn?.Major ?? parsed.Major, Minor: kvIn?.Minor ?? parsed.Minor };
  const versions = input.APIVersions ?? defaultApiVersions();
  const set = new Set(versions);
  const apiVersions = new GoObject('chartutil.VersionSet', 'slice', stringList([...versions]), {
    Has: { params: ['string'], call: ([v]) => set.has(v as string) },
  });
  const kube = new GoObject('chartutil.KubeVersion', 'struct', { ...kv }, {
    String: { params: [], call: () => kv.Version },
    GitVersion: { params: [], call: () => kv.Version },
  }, { stringer: () => kv.Version, json: { Version: { name: 'version' }, Major: { name: 'major' }, Minor: { name: 'minor' } } });
  const hv = input.HelmVersion ?? {};
  const helm = new GoObject('helmversion.BuildInfo', 'struct', {
    Version: hv.Version ?? 'v3.16.0',
    GitCommit: hv.GitCommit ?? '',
    GitTreeState: hv.GitTreeState ?? '',
    GoVersion: hv.GoVersion ?? 'go1.22',
  }, {}, { json: { Version: { name: 'version' }, GitCommit: { name: 'git_commit' }, GitTreeState: { name: 'git_tree_state' }, GoVersion: { name: 'go_version' } } });
  return new GoObject('*chartutil.Capabilities', 'struct', { APIVersions: apiVersions, KubeVersion: kube, HelmVersion: helm }, {}, { pointer: true });
}

// ---- .Chart ----

const METADATA_FIELDS: [string, string, unknown][] = [
  ['Name', 'name', ''], ['Home', 'home', ''], ['Sources', 'sources', null], ['Version', 'version', ''],
  ['Description', 'description', ''], ['Keywords', 'keywords', null], ['Maintainers', 'maintainers', null],
  ['Icon', 'icon', ''], ['APIVersion', 'apiVersion', ''], ['Condition', 'condition', ''], ['Tags', 'tags', ''],
  ['AppVersion', 'appVersion', ''], ['Deprecated', 'deprecated', false], ['Annotations', 'annotations', null],
  ['KubeVersion', 'kubeVersion', ''], ['Dependencies', 'dependencies', null], ['Type', 'type', ''],
];

function structOf(typeName: string, fields: [string, string][], src: unknown): unknown {
  if (src === null || typeof src !== 'object' || Array.isArray(src)) return src;
  const o = src as Record<string, unknown>;
  const data: Record<string, unknown> = {};
  const json: Record<string, { name: string; omitEmpty: boolean }> = {};
  for (const [goName, jsonName] of fields) {
    data[goName] = o[goName] ?? o[jsonName] ?? '';
    json[goName] = { name: jsonName, omitEmpty: true };
  }
  return new GoObject(typeName, 'struct', data, {}, { pointer: true, json });
}

/**
 * Helm's *chart.Metadata. Accepts Helm's field names (Name, AppVersion) or Chart.yaml's
 * (name, appVersion); unknown fields are kept, missing ones are zero values.
 */
export function makeChart(chart: Record<string, unknown>): GoObject {
  const data: Record<string, unknown> = {};
  const json: Record<string, { name: string; omitEmpty: boolean }> = {};
  for (const [goName, jsonName, zero] of METADATA_FIELDS) {
    let v = chart[goName] ?? chart[jsonName] ?? zero;
    if (goName === 'Maintainers' && Array.isArray(v)) v = v.map((m) => structOf('*chart.Maintainer', [['Name', 'name'], ['Email', 'email'], ['URL', 'url']], m));
    if (goName === 'Dependencies' && Array.isArray(v)) {
      v = v.map((d) => structOf('*chart.Dependency', [['Name', 'name'], ['Version', 'version'], ['Repository', 'repository'], ['Condition', 'condition'], ['Alias', 'alias']], d));
    }
    if (goName === 'Annotations' && v && typeof v === 'object') v = tagType({ ...(v as Record<string, unknown>) }, 'map[string]string');
    data[goName] = v;
    json[goName] = { name: jsonName, omitEmpty: true };
  }
  const known = new Set(METADATA_FIELDS.flatMap(([g, j]) => [g, j]));
  for (const k of Object.keys(chart)) if (!known.has(k) && /^[A-Z]/.test(k)) data[k] = chart[k];
  return new GoObject('*chart.Metadata', 'struct', data, {}, { pointer: true, json });
}

// ---- functions ----

export function helmFunctions(): Record<string, FuncDef> {
  return {
    include: { params: ['string', 'any'], fn: ([name, data], ctx) => ctx.exec.include(name as string, data, ctx.state) },
    tpl: { params: ['string', 'any'], fn: ([text, data], ctx) => ctx.exec.tpl(text as string, data, ctx.state) },
    required: {
      params: ['string', 'any'],
      fn: ([warn, val]) => {
        if (isNil(val) || val === '') throw new FuncError(warn as string, 'fail');
        return val;
      },
    },
    fail: { params: ['string'], fn: ([msg]) => { throw new FuncError(msg as string, 'fail'); } },
    toYaml: { params: ['any'], fn: ([v], ctx) => { const s = toYaml(v); ctx.charge(s.length / 256); return s; } },
    mustToYaml: {
      params: ['any'],
      fn: ([v]) => {
        const s = toYaml(v);
        if (s === '' && v !== '') throw new FuncError('error marshaling into JSON: json: unsupported value');
        return s;
      },
    },
    toYamlPretty: { params: ['any'], fn: ([v], ctx) => { const s = toYamlPretty(v); ctx.charge(s.length / 256); return s; } },
    fromYaml: { params: ['string'], fn: ([s], ctx) => { ctx.charge((s as string).length / 64); return fromYaml(s as string); } },
    fromYamlArray: { params: ['string'], fn: ([s], ctx) => { ctx.charge((s as string).length / 64); return fromYamlArray(s as string); } },
    toJson: {
      params: ['any'],
      fn: ([v]) => {
        try {
          return toJsonString(v);
        } catch (e) {
          if (e instanceof RangeError) throw e;
          return '';
        }
      },
    },
    mustToJson: {
      params: ['any'],
      fn: ([v]) => {
        try {
          return toJsonString(v);
        } catch (e) {
          if (e instanceof RangeError) throw e;
          throw new FuncError((e as Error).message);
        }
      },
    },
    fromJson: { params: ['string'], fn: ([s]) => fromJson(s as string) },
    fromJsonArray: { params: ['string'], fn: ([s]) => fromJsonArray(s as string) },
    toToml: { params: ['any'], fn: ([v]) => toToml(v) },
    lookup: { params: ['string', 'string', 'string', 'string'], fn: () => newMap() },
  };
}
