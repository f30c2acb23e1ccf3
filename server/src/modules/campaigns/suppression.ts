import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CampaignSuppressionsTable } from '../../db/tables/campaigns.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Adds an address to the suppression list; the first reason stays (an unsubscribe is not turned into a bounce). */
export async function suppressAddress(
  db: Db,
  input: { address: string; reason: CampaignSuppressionsTable['reason']; campaignId: string | null; detail: string | null; now: number },
): Promise<boolean> {
  const result = await db
    .insertInto('campaign_suppressions')
    .values({
      address: input.address.toLowerCase(),
      reason: input.reason,
      campaign_id: input.campaignId,
      detail: input.detail?.slice(0, 500) ?? null,
      created_at: input.now,
    })
    .onConflict((oc) => oc.column('address').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function isSuppressed(db: Db, address: string): Promise<boolean> {
  const row = await db
    .selectFrom('campaign_suppressions')
    .select('address')
    .where('address', '=', address.toLowerCase())
    .executeTakeFirst();
  return row !== undefined;
}

export async function suppressedAmong(db: Db, addresses: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < addresses.length; i += 500) {
    const chunk = addresses.slice(i, i + 500).map((a) => a.toLowerCase());
    const rows = await db.selectFrom('campaign_suppressions').select('address').where('address', 'in', chunk).execute();
    for (const r of rows) found.add(r.address);
  }
  return found;
}
