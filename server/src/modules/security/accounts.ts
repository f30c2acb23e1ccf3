import type { Locale, Role, SetupRequest } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import { isUniqueViolation } from '../../db/database.js';
import type { Database, UserRow } from '../../db/schema.js';
import { insertSettingOnce } from '../../db/settings.js';
import { AppError } from '../../errors.js';
import { auditUserCreated, recordAudit } from '../audit/index.js';
import { countUsers, createUser } from '../workspace/index.js';
import { assertPasswordAllowed } from './password-policy.js';
import { hashPassword } from './passwords.js';
import { storePublicUrl } from './public-url.js';

type Db = Kysely<Database> | Transaction<Database>;

export type NewAccount = { email: string; name: string; password: string; role: Role; locale?: Locale | undefined };

/** Creates a user with a password that meets the policy; the one path for API, setup and CLI. */
export async function createAccount(db: Db, input: NewAccount): Promise<UserRow> {
  assertPasswordAllowed(input.password, input.email);
  return createUser(db, { ...input, passwordHash: await hashPassword(input.password) });
}

const SETUP_KEY = 'setup.completed_at';

export async function needsSetup(db: Kysely<Database>): Promise<boolean> {
  return (await countUsers(db)) === 0;
}

/**
 * Creates the first super admin, once, and stores the public address the form asked for
 * (links in mails point there). The settings row is inserted in the same transaction, so
 * two setup forms submitted at once cannot both succeed.
 */
export async function completeSetup(db: Kysely<Database>, input: SetupRequest): Promise<UserRow> {
  const alreadyDone = () => new AppError('setup.already_done', 409, 'Pier is already set up: sign in instead');
  try {
    return await db.transaction().execute(async (trx) => {
      if ((await countUsers(trx)) > 0) throw alreadyDone();
      await insertSettingOnce(trx, SETUP_KEY, String(Date.now()));
      const { publicUrl, ...account } = input;
      const user = await createAccount(trx, { ...account, role: 'super_admin' });
      if (publicUrl) await storePublicUrl(trx, publicUrl);
      await recordAudit(trx, auditUserCreated(user, 'setup'));
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error) && !(error instanceof AppError)) throw alreadyDone();
    throw error;
  }
}

/**
 * The names of the people who can give mailbox access (active admins and super admins), for an agent
 * who has none: names only, no address, role or anything else about them (decision 0034).
 */
export async function whomToAskForAccess(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('name')
    .where('role', 'in', ['super_admin', 'admin'])
    .where('status', '=', 'active')
    .orderBy('name')
    .execute();
  return rows.map((r) => r.name);
}
