import { toIndexText } from './search-text.js';

/**
 * A mail's texts as the engines index them, made without a database: the prepare workers
 * (conversations/prepare-worker.ts) import this file directly rather than the module's index,
 * which would load Kysely, the search queries and the zod contracts into every worker
 * (decision 0026: ~15 MB resident per worker for nothing).
 */
export type IndexTexts = { subject: string; participants: string; attachments: string; body: string; characters: string };

/** Subject, addresses and file names are short; only the body gets the full budget. */
const shortFieldChars = 4_000;

export function indexTextsOf(doc: { subject: string; body: string; participants: string[]; attachmentNames: string[] }): IndexTexts {
  const distinctCharacters = new Set<string>();
  const subject = toIndexText(doc.subject, shortFieldChars, distinctCharacters);
  const participants = toIndexText(doc.participants.join(' '), shortFieldChars, distinctCharacters);
  const attachments = toIndexText(doc.attachmentNames.join(' '), shortFieldChars, distinctCharacters);
  const body = toIndexText(doc.body, undefined, distinctCharacters);
  return { subject, participants, attachments, body, characters: [...distinctCharacters].join(' ') };
}
