import type { SuperAdminPolicy } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { readSetting, writeSetting } from '../../db/settings.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * "Super admins: 1–2 people" (the guide's rule) as a workspace policy: a super admin sets the
 * most there may be; granting the role, inviting a super admin or reactivating one beyond it is
 * refused with a message that names the limit. Unset, nothing is refused and the users page only
 * warns above two (decision 0038). Invited super admins count: accepting needs no second check.
 */
const MAX_SUPER_ADMINS = 'security.max_super_admins';
/** Where the users page warns when no limit is set. */
export const SUGGESTED_MAX_SUPER_ADMINS = 2;

export async function loadSuperAdminPolicy(db: Db): Promise<SuperAdminPolicy> {
  const stored = await readSetting(db, MAX_SUPER_ADMINS);
  return { maxSuperAdmins: stored === undefined || stored === '' ? null : Number(stored) };
}

export async function changeSuperAdminPolicy(db: Kysely<Database>, policy: SuperAdminPolicy, actor: AuditActor): Promise<SuperAdminPolicy> {
  await db.transaction().execute(async (trx) => {
    const before = await loadSuperAdminPolicy(trx);
    await writeSetting(trx, MAX_SUPER_ADMINS, policy.maxSuperAdmins === null ? '' : String(policy.maxSuperAdmins));
    await recordAuditBy(trx, actor, {
      action: 'security.policy_changed',
      targetType: 'workspace',
      details: { maxSuperAdmins: policy.maxSuperAdmins, previous: { maxSuperAdmins: before.maxSuperAdmins } },
    });
  });
  return loadSuperAdminPolicy(db);
}

/** Super admins who can sign in or will once their invitation is accepted. */
export async function countSuperAdminSeats(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'super_admin')
    .where('status', 'in', ['active', 'invited'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Throws when one more super admin would break the policy; `what` words the message. */
export async function refuseBeyondSuperAdminLimit(db: Db, what: 'grant' | 'invite' | 'reactivate'): Promise<void> {
  const { maxSuperAdmins } = await loadSuperAdminPolicy(db);
  if (maxSuperAdmins === null) return;
  const current = await countSuperAdminSeats(db);
  if (current < maxSuperAdmins) return;
  const verb = { grant: 'make another super admin', invite: 'invite another super admin', reactivate: 'reactivate a super admin' }[what];
  throw new AppError(
    'user.super_admin_limit',
    409,
    `super admin limit reached: the workspace policy allows ${maxSuperAdmins} and has ${current} (active or invited): cannot ${verb}; change a super admin's role first, or ask a super admin to raise the limit`,
    { maxSuperAdmins, current },
  );
}
