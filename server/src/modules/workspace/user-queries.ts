import type { Kysely, Transaction } from 'kysely';
import type { Database, NewUser, UserRow } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The names people are shown by (the address when the name is empty), for records that keep only an id. */
export async function userDisplayNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r.name || r.email]));
}

/** Active admins and super admins: who hears about what only an admin can fix (alerts). */
export function listActiveAdmins(db: Db): Promise<Pick<UserRow, 'id' | 'email'>[]> {
  return db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('role', 'in', ['super_admin', 'admin'])
    .where('status', '=', 'active')
    .orderBy('email')
    .execute();
}

export async function insertUser(db: Db, user: NewUser): Promise<void> {
  await db.insertInto('users').values(user).execute();
}

export async function setUserLocale(db: Db, userId: string, locale: string): Promise<void> {
  await db.updateTable('users').set({ locale, updated_at: Date.now() }).where('id', '=', userId).execute();
}

export async function recordLogin(db: Db, userId: string, at: number): Promise<void> {
  await db.updateTable('users').set({ last_login_at: at }).where('id', '=', userId).execute();
}

/** Changes the account status; with `from`, only when it is still that (false otherwise). */
export async function setUserStatus(db: Db, userId: string, status: UserRow['status'], from?: UserRow['status']): Promise<boolean> {
  let query = db.updateTable('users').set({ status, updated_at: Date.now() }).where('id', '=', userId);
  if (from) query = query.where('status', '=', from);
  return Number((await query.executeTakeFirst()).numUpdatedRows) > 0;
}

export async function setUserRole(db: Db, userId: string, role: UserRow['role']): Promise<void> {
  await db.updateTable('users').set({ role, updated_at: Date.now() }).where('id', '=', userId).execute();
}

/** A new password (its argon2id hash, made by security) also makes an invited account active. */
export async function setUserPassword(db: Db, userId: string, passwordHash: string, at: number): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, status: 'active', updated_at: at }).where('id', '=', userId).execute();
}

/** Active people who may own work (customers, conversations): everyone but auditors, by name. */
export async function listActiveColleagues(db: Db): Promise<{ id: string; name: string }[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('status', '=', 'active')
    .where('role', '!=', 'auditor')
    .orderBy('name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name || r.email }));
}
