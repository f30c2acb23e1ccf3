import { sql } from 'kysely';

const MARK = '/* pier:unversioned */';

/**
 * Appended to a write that no cached answer reads (`.modifyEnd(unversionedWrite)`): it does not move
 * the data version (`dataVersionOf`), so it does not empty the list caches, and on PostgreSQL it is not
 * announced to the other nodes (decision record 0014). For bookkeeping only — a session's
 * `last_seen_at` touch, once a minute per session, emptied every node's list cache. Anything a cached
 * answer shows, or a check before it (who may see what), must not carry it.
 */
export const unversionedWrite = sql.raw(MARK);

/** True for a statement carrying `unversionedWrite` (SQL text; values are bound, never in the text). */
export function isUnversionedWrite(sqlText: string): boolean {
  return sqlText.includes(MARK);
}
