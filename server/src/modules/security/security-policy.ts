import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** Workspace-wide security settings, stored in `settings`. Two-factor is required unless turned off. */
const REQUIRE_TWO_FACTOR = 'security.require_two_factor';

export type SecurityPolicy = { requireTwoFactor: boolean };

export async function loadSecurityPolicy(db: Kysely<Database>): Promise<SecurityPolicy> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', REQUIRE_TWO_FACTOR).executeTakeFirst();
  return { requireTwoFactor: row?.value !== '0' };
}

export async function saveSecurityPolicy(db: Kysely<Database>, policy: SecurityPolicy): Promise<void> {
  const value = policy.requireTwoFactor ? '1' : '0';
  const now = Date.now();
  await db
    .insertInto('settings')
    .values({ key: REQUIRE_TWO_FACTOR, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
}
