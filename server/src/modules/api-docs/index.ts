export { buildOpenApiDocument, type OpenApiDocument } from './openapi.js';
export { apiDocsRoutes } from './routes.js';
