import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { isDeadLocalHolder } from '../../jobs/local-holder.js';

/**
 * Leases make one node the owner of a resource (e.g. "imap:<mailbox id>"), so
 * several workers on PostgreSQL never sync the same mailbox twice. A lease
 * is taken when free or expired, renewed by its holder, and lost when the
 * holder stops renewing (crash): another node takes over after `ttlMs` (times from the node's clock,
 * `now`; nodes' clocks must agree to well under the TTL: run NTP). A process
 * restarted on the same host takes the leases of its dead predecessor at once
 * (holder names: jobs/local-holder.ts), so sync resumes without waiting for expiry.
 */
export async function acquireLease(db: Kysely<Database>, name: string, holder: string, ttlMs: number, now = Date.now()): Promise<boolean> {
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
  if (row && row.holder !== holder && isDeadLocalHolder(row.holder)) {
    // Conditional on the dead holder, so of two processes doing this at once only one wins.
    await db
      .updateTable('leases')
      .set({ holder, expires_at: now + ttlMs })
      .where('name', '=', name)
      .where('holder', '=', row.holder)
      .execute();
    return (await db.selectFrom('leases').select('holder').where('name', '=', name).executeTakeFirst())?.holder === holder;
  }
  return row?.holder === holder;
}

export async function releaseLease(db: Kysely<Database>, name: string, holder: string): Promise<void> {
  await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
}
