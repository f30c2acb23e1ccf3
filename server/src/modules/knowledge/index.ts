/**
 * The FAQ library (issue 19, decision 0050): folders, answers with language versions,
 * attachments, variables and usage counts; composer suggestions (BM25 over the library and the
 * team's past sent answers the agent may read); answers made from sent mail; the questions asked
 * most often in info@/support@ without a library answer. Owns the knowledge_* tables.
 */
export { Bm25Index } from './bm25.js';
export { unansweredQuestions } from './clusters.js';
export { draftFromSent } from './from-sent.js';
export { createAnswer, createFolder, findAnswer, loadLibrary } from './library.js';
export { chooseVersion, renderAnswer } from './render.js';
export { knowledgeRoutes } from './routes.js';
export { suggestAnswers } from './suggest.js';
export { ownWords, tokensOf } from './text.js';
