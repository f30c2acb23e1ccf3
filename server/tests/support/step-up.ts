import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { invalidateSessionCache } from '../../src/modules/security/session-cache.js';

/**
 * Makes the user's last password + second-factor check 11 minutes old (step-up lasts 10), like
 * someone who signed in this morning, and drops the guard's session cache so a Pier running in
 * this process sees it at once. A Pier in another process (support/pier-process.ts) still caches
 * sessions for SESSION_CACHE_MS: wait that long there.
 */
export async function ageStepUp(db: Kysely<Database>, userId: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ reauth_at: Date.now() - 11 * 60_000 })
    .where('user_id', '=', userId)
    .execute();
  invalidateSessionCache();
}
