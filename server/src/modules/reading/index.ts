export {
  type ConversationFacets,
  type DeliverySource,
  type DetailSources,
  type FacetSource,
  loadConversationDetail,
  type Reader,
  type TimelineSource,
} from './conversation-detail.js';
export { mailFramePolicy, readingRoutes } from './routes.js';
export { sanitizeMailHtml } from './sanitize-html.js';
export { timeZoneOfCountry } from './time-zone.js';
