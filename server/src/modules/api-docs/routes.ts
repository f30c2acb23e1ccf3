import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiRouteRecord } from '../security/index.js';
import { DOCS_CSS, renderDocsPage } from './docs-page.js';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi.js';

/**
 * GET /api/openapi.json and the reference page /api/docs (issue 19). Public: they describe the
 * routes (as the source does), not data. Built once, on first request, when every route exists.
 */
export const apiDocsRoutes: FastifyPluginAsyncZod<{ routes: () => readonly ApiRouteRecord[] }> = async (app, { routes }) => {
  let doc: OpenApiDocument | undefined;
  let page: string | undefined;
  const document = () => {
    doc ??= buildOpenApiDocument(routes());
    return doc;
  };
  app.get('/api/openapi.json', { config: { access: 'public' } }, async () => document());
  app.get('/api/docs', { config: { access: 'public' } }, async (_request, reply) => {
    page ??= renderDocsPage(document());
    return reply.type('text/html; charset=utf-8').send(page);
  });
  app.get('/api/docs.css', { config: { access: 'public' } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').send(DOCS_CSS),
  );
};
