export { type IndexTexts, indexMessage, indexTextsOf, removeFromIndex, type SearchDocument, tieSlots } from './search-index.js';
export { defaultSearchTuning, type SearchHit, type SearchRequest, type SearchTuning, searchMessages } from './search-queries.js';
export { type SearchTerm, toCharacterIndexText, toIndexText, toQuery } from './search-text.js';
