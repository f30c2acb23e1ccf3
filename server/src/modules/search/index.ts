export { indexMessage, removeFromIndex, type SearchDocument, tieSlots } from './search-index.js';
export { type SearchHit, type SearchRequest, searchMessages } from './search-queries.js';
export { type SearchTerm, toIndexText, toQuery } from './search-text.js';
