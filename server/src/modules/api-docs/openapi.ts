import { z } from 'zod';
import { PIER_VERSION } from '../../version.js';
import { type ApiRouteRecord, administers, tokenScopeNeeded } from '../security/index.js';

/** An OpenAPI 3.1 document (the parts Pier writes). */
export type OpenApiDocument = {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  components: { securitySchemes: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
};
export type Operation = {
  operationId: string;
  tags: string[];
  summary: string;
  security: Record<string, string[]>[];
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
  /** The least API-token scope the route needs; null: a signed-in session only (decision 0049). */
  'x-pier-token-scope': 'read' | 'write' | 'admin' | null;
};

const DESCRIPTION = [
  'The API the Pier web app uses. Authenticate with a session cookie (the web app) or an API token:',
  '`Authorization: Bearer pier_…` (Settings → API, or `npm run pier -- token create`).',
  'A token acts as its user and never reaches more than the user does; its scope narrows it:',
  '`read` only GET, `write` also what a person changes (reply, assign, notes), `admin` also administration.',
  'Sign-in, second factor, sessions, tokens, webhooks, users and security policy take a session only',
  '(`x-pier-token-scope: null`). Requests with a token need no CSRF header.',
].join(' ');

/**
 * The document, generated from the zod schemas every route declares (packages/contracts): zod's
 * own JSON Schema output (draft 2020-12, which OpenAPI 3.1 uses as its schema dialect). Request
 * schemas are shown as the client sends them (`io: 'input'`), responses as the server answers.
 */
export function buildOpenApiDocument(routes: readonly ApiRouteRecord[]): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const method = route.method.toLowerCase();
    const operation = operationOf(route);
    paths[path] = { ...paths[path], [method]: operation };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Pier API', version: PIER_VERSION, description: DESCRIPTION },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API token: pier_…' },
        session: { type: 'apiKey', in: 'cookie', name: 'pier_session', description: 'The web app session (needs the CSRF header)' },
      },
    },
    paths,
  };
}

function operationOf(route: ApiRouteRecord): Operation {
  const schema = route.schema ?? {};
  const access = route.access;
  const scope =
    access === 'public'
      ? null
      : tokenScopeNeeded({
          method: route.method,
          url: route.url,
          administers: administers(access),
          stepUp: access.stepUp === true,
        });
  const operation: Operation = {
    operationId: `${route.method.toLowerCase()}${route.url.replace(/[^a-zA-Z0-9]+(\w)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    tags: [tagOf(route.url)],
    summary: `${route.method} ${route.url}`,
    security: access === 'public' ? [] : scope === null ? [{ session: [] }] : [{ bearer: [] }, { session: [] }],
    responses: responsesOf(schema.response),
    'x-pier-token-scope': scope,
  };
  const parameters = [...parametersOf(schema.params, 'path'), ...parametersOf(schema.querystring, 'query')];
  if (parameters.length > 0) operation.parameters = parameters;
  if (schema.body)
    operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchemaOf(schema.body, 'input') } } };
  return operation;
}

/** /api/conversations/:id/notes → conversations */
function tagOf(url: string): string {
  return url.split('/')[2]?.replace(/\.\w+$/, '') ?? 'api';
}

function responsesOf(response: unknown): Record<string, unknown> {
  if (!response || typeof response !== 'object') return { default: { description: 'see the route' } };
  const out: Record<string, unknown> = {};
  for (const [status, body] of Object.entries(response as Record<string, unknown>)) {
    out[status] = { description: `HTTP ${status}`, content: { 'application/json': { schema: jsonSchemaOf(body, 'output') } } };
  }
  return out;
}

function parametersOf(schema: unknown, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const json = jsonSchemaOf(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

/** A zod schema as JSON Schema; anything else (a plain JSON schema) as it is. */
function jsonSchemaOf(schema: unknown, io: 'input' | 'output'): unknown {
  if (!(schema instanceof z.ZodType)) return schema;
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}
