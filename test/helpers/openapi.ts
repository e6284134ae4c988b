/**
 * Checks requests and responses against GitHub's published OpenAPI description
 * (`@octokit/openapi`, api.github.com): the operation must exist for the method and path, and a
 * JSON body must match the operation's schema. A malformed check run or comment fails the test
 * that sent it. The loopback stand-in and the nock'd tests both call `assertValidRequest`; the
 * fake GitHub checks its own responses with `assertValidResponse`, so they keep the real shapes.
 *
 * OpenAPI 3.0 schema dialect -> JSON Schema for Ajv: `nullable: true` becomes a `null` type,
 * OpenAPI-only keywords are dropped, `$ref`s point into one registered document of all components.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = { [k: string]: Json };

interface Operation {
  method: string;
  template: string;
  regex: RegExp;
  literals: number;
  operationId: string;
  requestSchema: Schema | null;
  requestRequired: boolean;
  responses: Record<string, Schema | null>;
}

const require = createRequire(import.meta.url);
const SPEC_FILE = require.resolve('@octokit/openapi/generated/api.github.com.json');

const DROP = new Set(['example', 'examples', 'discriminator', 'xml', 'externalDocs', 'deprecated', 'readOnly', 'writeOnly', 'nullable']);

/** OpenAPI 3.0 schema -> JSON Schema (draft-07), `$ref`s rewritten to the components document. */
function convert(node: Json): Json {
  if (Array.isArray(node)) return node.map(convert);
  if (node === null || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) {
    if (DROP.has(k) || k.startsWith('x-')) continue;
    if (k === '$ref' && typeof v === 'string') {
      out.$ref = v.replace('#/components/schemas/', 'github-components#/definitions/');
    } else if (k === 'properties' && v && typeof v === 'object' && !Array.isArray(v)) {
      out.properties = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, convert(s)]));
    } else {
      out[k] = convert(v);
    }
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    } else {
      return { anyOf: [out, { type: 'null' }] };
    }
  }
  return out;
}

interface Spec {
  paths: Record<string, Record<string, { operationId?: string; requestBody?: { required?: boolean; content?: Record<string, { schema?: Json }> }; responses?: Record<string, { content?: Record<string, { schema?: Json }> }> }>>;
  components: { schemas: Record<string, Json>; examples: Record<string, { value: unknown }> };
}

let parsed: Spec | undefined;
function spec(): Spec {
  parsed ??= JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as Spec;
  return parsed;
}

let state: { ajv: Ajv; operations: Operation[] } | undefined;

function load(): { ajv: Ajv; operations: Operation[] } {
  if (state) return state;
  const { paths, components } = spec();
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, logger: false });
  const addFormats = addFormatsModule as unknown as (a: Ajv) => void;
  addFormats(ajv);
  for (const f of ['int32', 'int64', 'double', 'repo.nwo', 'binary']) ajv.addFormat(f, true);
  const definitions: Schema = {};
  for (const [name, s] of Object.entries(components.schemas)) definitions[name] = convert(s);
  ajv.addSchema({ $id: 'github-components', definitions });
  const operations: Operation[] = [];
  for (const [template, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      const segments = template.split('/');
      const regex = new RegExp(`^${segments.map((s) => (s.startsWith('{') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`);
      const body = op.requestBody?.content?.['application/json']?.schema;
      const responses: Record<string, Schema | null> = {};
      for (const [status, r] of Object.entries(op.responses ?? {})) {
        const s = r.content?.['application/json']?.schema;
        responses[status] = s === undefined ? null : (convert(s) as Schema);
      }
      operations.push({
        method: method.toUpperCase(),
        template,
        regex,
        literals: segments.filter((s) => s && !s.startsWith('{')).length,
        operationId: op.operationId ?? `${method} ${template}`,
        requestSchema: body === undefined ? null : (convert(body) as Schema),
        requestRequired: op.requestBody?.required === true,
        responses,
      });
    }
  }
  operations.sort((a, b) => b.literals - a.literals);
  state = { ajv, operations };
  return state;
}

const compiled = new Map<string, ValidateFunction>();

function validator(key: string, schema: Schema): ValidateFunction {
  let v = compiled.get(key);
  if (!v) {
    v = load().ajv.compile(schema);
    compiled.set(key, v);
  }
  return v;
}

/** The API path without the GHES `/api/v3` prefix and the query string. */
export function apiPath(path: string): string {
  const p = path.split('?')[0] ?? path;
  return p.replace(/^\/api\/v3(?=\/)/, '');
}

/** The operation GitHub documents for a method and path; throws when there is none. */
export function findOperation(method: string, path: string): Operation {
  const p = apiPath(path);
  const op = load().operations.find((o) => o.method === method.toUpperCase() && o.regex.test(p));
  if (!op) throw new Error(`${method.toUpperCase()} ${p} is not an operation in GitHub's OpenAPI description`);
  return op;
}

function formatErrors(v: ValidateFunction): string {
  return (v.errors ?? [])
    .slice(0, 10)
    .map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`)
    .join('; ');
}

/** GraphQL is not in the REST description: check the envelope (`query`, optional `variables`). */
function assertGraphqlBody(body: unknown): void {
  const b = body as { query?: unknown; variables?: unknown } | null;
  if (!b || typeof b.query !== 'string' || !/^\s*(query|mutation)\b/.test(b.query)) throw new Error('POST /graphql: body needs a `query` string');
  if (b.variables !== undefined && (typeof b.variables !== 'object' || b.variables === null || Array.isArray(b.variables))) {
    throw new Error('POST /graphql: `variables` must be an object');
  }
  let depth = 0;
  for (const ch of b.query) {
    if (ch === '{') depth++;
    else if (ch === '}' && --depth < 0) break;
  }
  if (depth !== 0) throw new Error('POST /graphql: unbalanced braces in the query');
}

/** Throws when the request is not a documented operation or its JSON body does not match the schema. */
export function assertValidRequest(method: string, path: string, body: unknown): void {
  if (apiPath(path) === '/graphql' || path === '/api/graphql') {
    assertGraphqlBody(body);
    return;
  }
  const op = findOperation(method, path);
  const hasBody = body !== undefined && body !== null && !(typeof body === 'string' && body === '');
  if (!op.requestSchema) {
    if (hasBody && typeof body === 'object' && Object.keys(body as object).length > 0 && method.toUpperCase() !== 'POST') {
      throw new Error(`${op.operationId}: takes no request body, got ${JSON.stringify(body).slice(0, 200)}`);
    }
    return;
  }
  if (!hasBody) {
    if (op.requestRequired) throw new Error(`${op.operationId}: request body required`);
    return;
  }
  const v = validator(`req ${op.operationId}`, op.requestSchema);
  if (!v(body)) throw new Error(`${op.operationId}: request body does not match GitHub's schema: ${formatErrors(v)}`);
}

/** Throws when a response body does not match what GitHub documents for that status. */
export function assertValidResponse(method: string, path: string, status: number, body: unknown): void {
  if (apiPath(path) === '/graphql' || path === '/api/graphql') return;
  const op = findOperation(method, path);
  const schema = op.responses[String(status)];
  if (schema === undefined) throw new Error(`${op.operationId}: GitHub documents no ${status} response`);
  if (schema === null) return;
  const v = validator(`res ${op.operationId} ${status}`, schema);
  if (!v(body)) throw new Error(`${op.operationId}: ${status} response does not match GitHub's schema: ${formatErrors(v)}`);
}

/** An example body GitHub publishes for an operation's response (to build realistic fakes from). */
export function exampleResponse(componentExample: string): Record<string, unknown> {
  const ex = spec().components.examples[componentExample];
  if (!ex) throw new Error(`no example ${componentExample} in GitHub's OpenAPI description`);
  return structuredClone(ex.value) as Record<string, unknown>;
}
