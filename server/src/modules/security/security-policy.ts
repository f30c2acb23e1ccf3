import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { readSetting, writeSetting } from '../../db/settings.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';

/** Workspace-wide security settings, stored in `settings`. Two-factor is required unless turned off. */
const REQUIRE_TWO_FACTOR = 'security.require_two_factor';

export type SecurityPolicy = { requireTwoFactor: boolean };

export async function loadSecurityPolicy(db: Kysely<Database>): Promise<SecurityPolicy> {
  return { requireTwoFactor: (await readSetting(db, REQUIRE_TWO_FACTOR)) !== '0' };
}

export async function saveSecurityPolicy(db: Kysely<Database>, policy: SecurityPolicy): Promise<void> {
  await writeSetting(db, REQUIRE_TWO_FACTOR, policy.requireTwoFactor ? '1' : '0');
}

/** A super admin changes the policy; the change and what it was before are audited together. */
export async function changeSecurityPolicy(db: Kysely<Database>, policy: SecurityPolicy, actor: AuditActor): Promise<SecurityPolicy> {
  await db.transaction().execute(async (trx) => {
    const before = await loadSecurityPolicy(trx);
    await saveSecurityPolicy(trx, policy);
    await recordAuditBy(trx, actor, {
      action: 'security.policy_changed',
      targetType: 'workspace',
      details: { requireTwoFactor: policy.requireTwoFactor, previous: { requireTwoFactor: before.requireTwoFactor } },
    });
  });
  return loadSecurityPolicy(db);
}
