import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * Leases make one node the owner of a resource (e.g. "imap:<mailbox id>"), so
 * several workers on PostgreSQL never sync the same mailbox twice. A lease
 * is taken when free or expired, renewed by its holder, and lost when the
 * holder stops renewing (crash): another node takes over after `ttlMs`.
 */
export async function acquireLease(db: Kysely<Database>, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const now = Date.now();
  await db
    .insertInto('leases')
    .values({ name, holder, expires_at: now + ttlMs })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, expires_at: now + ttlMs })
        .where(({ or, eb }) => or([eb('leases.holder', '=', holder), eb('leases.expires_at', '<', now)])),
    )
    .execute();
  const row = await db.selectFrom('leases').select('holder').where('name', '=', name).executeTakeFirst();
  return row?.holder === holder;
}

export async function releaseLease(db: Kysely<Database>, name: string, holder: string): Promise<void> {
  await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
}
