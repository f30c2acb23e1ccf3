export { type IndexTexts, indexTextsOf } from './index-texts.js';
export { emptyFilters, hasFilters, type ParsedSearch, parseSearchQuery, type SearchFilters } from './search-filters.js';
export { indexMessage, indexNewMessages, removeFromIndex, type SearchDocument, tieSlots } from './search-index.js';
export { defaultSearchTuning, type SearchHit, type SearchRequest, type SearchTuning, searchMessages } from './search-queries.js';
export { type SearchTerm, toCharacterIndexText, toIndexText, toQuery } from './search-text.js';
