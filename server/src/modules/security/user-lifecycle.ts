import { randomBytes } from 'node:crypto';
import type { OpenConversations, Role } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Database, UserRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { sha256Hex } from '../../storage/blob-store.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';
import { createUser, findUserById, setUserPassword, setUserRole, setUserStatus } from '../workspace/index.js';
import { assertPasswordAllowed } from './password-policy.js';
import { hashPassword } from './passwords.js';
import { revokeAllUserSessions } from './sessions.js';
import { loadSuperAdminPolicy, refuseBeyondSuperAdminLimit, SUGGESTED_MAX_SUPER_ADMINS } from './super-admin-policy.js';

/**
 * Account lifecycle: invitation by link, password reset by link (admin- or
 * self-started), role changes, deactivation. Link tokens are random; only their
 * SHA-256 is stored, and each works once before it expires.
 */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60_000;
export const RESET_TTL_MS = 60 * 60_000;
export type TokenPurpose = 'invite' | 'reset';

export async function issueAccountToken(
  db: Kysely<Database>,
  input: { userId: string; purpose: TokenPurpose; createdBy: string | null; ttlMs: number },
  audit?: AuditActor,
): Promise<{ token: string; expiresAt: number }> {
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  const expiresAt = now + input.ttlMs;
  await db.transaction().execute(async (trx) => {
    // A new link replaces older unused ones of the same purpose.
    await trx
      .deleteFrom('account_tokens')
      .where('user_id', '=', input.userId)
      .where('purpose', '=', input.purpose)
      .where('used_at', 'is', null)
      .execute();
    await trx
      .insertInto('account_tokens')
      .values({
        id: sha256Hex(token),
        user_id: input.userId,
        purpose: input.purpose,
        created_by: input.createdBy,
        created_at: now,
        expires_at: expiresAt,
        used_at: null,
      })
      .execute();
    // Invitations are audited as user.invited; a reset link is its own event (by an admin, or asked by email).
    if (audit && input.purpose === 'reset') {
      await recordAuditBy(trx, audit, {
        action: 'user.password_reset_requested',
        targetType: 'user',
        targetId: input.userId,
        details: { by: input.createdBy ? 'admin' : 'self', expiresAt },
      });
    }
  });
  return { token, expiresAt };
}

/**
 * Sets a new password with a link token: the token is spent in the same
 * conditional UPDATE that checks it, every session of the user ends, and an
 * invited user becomes active.
 */
export async function setPasswordWithToken(
  db: Kysely<Database>,
  purpose: TokenPurpose,
  token: string,
  password: string,
  client: { ip: string | null },
): Promise<UserRow> {
  const id = sha256Hex(token);
  const row = await db.selectFrom('account_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  const invalid = () => new AppError('auth.link_invalid', 400, 'this link has expired or was already used: ask for a new one');
  if (!row || row.purpose !== purpose || row.used_at !== null || row.expires_at < Date.now()) throw invalid();
  const user = await findUserById(db, row.user_id);
  if (!user || user.status === 'disabled') throw invalid();
  assertPasswordAllowed(password, user.email);
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const spent = await trx
      .updateTable('account_tokens')
      .set({ used_at: Date.now() })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) throw invalid();
    const now = Date.now();
    await setUserPassword(trx, user.id, passwordHash, now);
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
    // The link's holder proved they own the account: they are the actor.
    await recordAuditBy(
      trx,
      { actorId: user.id, ip: client.ip, via: 'api' },
      {
        action: purpose === 'invite' ? 'user.invitation_accepted' : 'user.password_reset',
        targetType: 'user',
        targetId: user.id,
        details: { issuedBy: row.created_by },
      },
    );
    return { ...user, password_hash: passwordHash, status: 'active' as const, updated_at: now };
  });
}

/** An invited user exists (so mailboxes can be granted at once) but cannot sign in until the link is used. */
export async function inviteUser(
  db: Kysely<Database>,
  input: { email: string; name: string; role: Role; locale?: 'zh-CN' | 'en' | undefined },
  actor: AuditActor,
) {
  // Unusable until the invitation sets a real one: a random secret nobody knows.
  const placeholder = await hashPassword(randomBytes(32).toString('base64url'));
  const user = await createUser(db, { ...input, passwordHash: placeholder });
  await db.transaction().execute(async (trx) => {
    await setUserStatus(trx, user.id, 'invited');
    await recordAuditBy(trx, actor, {
      action: 'user.invited',
      targetType: 'user',
      targetId: user.id,
      details: { email: user.email, role: user.role },
    });
  });
  return { ...user, status: 'invited' as const };
}

export async function countActiveSuperAdmins(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'super_admin')
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Only a super admin makes or unmakes a super admin; the last active one cannot be demoted or deactivated. */
export async function changeRole(db: Kysely<Database>, actor: UserRow, targetId: string, role: Role, audit: AuditActor): Promise<UserRow> {
  const target = await findUserById(db, targetId);
  if (!target) throw new AppError('user.not_found', 404, 'no such user');
  if ((role === 'super_admin' || target.role === 'super_admin') && actor.role !== 'super_admin') {
    throw new AppError('auth.forbidden', 403, 'only a super admin can grant or remove super admin');
  }
  if (target.role === 'super_admin' && role !== 'super_admin') await refuseLastSuperAdmin(db, target);
  if (target.role === role) return target;
  if (role === 'super_admin' && target.status !== 'disabled') await refuseBeyondSuperAdminLimit(db, 'grant');
  await db.transaction().execute(async (trx) => {
    await setUserRole(trx, targetId, role);
    await recordAuditBy(trx, audit, {
      action: 'user.role_changed',
      targetType: 'user',
      targetId,
      details: { role, previous: target.role },
    });
  });
  return { ...target, role };
}

async function refuseLastSuperAdmin(db: Kysely<Database>, target: UserRow) {
  if (target.status === 'active' && (await countActiveSuperAdmins(db)) <= 1) {
    throw new AppError('user.last_super_admin', 409, 'this is the last super admin: make someone else super admin first');
  }
}

/**
 * A deactivated user's open conversations belong to triage (events, live updates): it counts and
 * hands them over. Supplied by http.ts, as triage depends on security and not the other way round.
 */
export type ConversationHandover = {
  openOf: (db: Kysely<Database>, userId: string) => Promise<OpenConversations>;
  /** In the deactivation's transaction. */
  handOver: (
    trx: Transaction<Database>,
    input: { fromUserId: string; actorId: string; to?: { userId: string } | { teamId: string } | undefined },
  ) => Promise<{
    open: number;
    unassigned: number;
    reassigned: number;
    to?: Record<string, string>;
    conversationIds: string[];
    /** Customers the person owned that moved too (issue 19). */
    customers?: number;
  }>;
  /** After commit: the conversations that changed. */
  changed: (conversationIds: string[]) => void;
};

/**
 * Deactivates a user: history stays (their messages, notes, records), every
 * session ends, and the conversations assigned to them that are still open go
 * to the colleague or team the admin chose, else back to the queue of their team
 * (or the unassigned one), so nothing waits on someone who left. A conversation in
 * a mailbox where the chosen colleague may not reply is unassigned instead.
 */
export async function deactivateUser(
  db: Kysely<Database>,
  actor: UserRow,
  targetId: string,
  audit: AuditActor,
  handover: ConversationHandover,
  reassignTo?: { userId: string } | { teamId: string },
): Promise<{ unassigned: number; reassigned: number; customers?: number }> {
  const target = await findUserById(db, targetId);
  if (!target) throw new AppError('user.not_found', 404, 'no such user');
  if (target.id === actor.id) throw new AppError('request.invalid', 409, 'you cannot deactivate yourself');
  if (target.role === 'super_admin') {
    if (actor.role !== 'super_admin') throw new AppError('auth.forbidden', 403, 'only a super admin can deactivate a super admin');
    await refuseLastSuperAdmin(db, target);
  }
  let changed: string[] = [];
  const result = await db.transaction().execute(async (trx) => {
    await setUserStatus(trx, targetId, 'disabled');
    await revokeAllUserSessions(trx, targetId);
    await trx.deleteFrom('account_tokens').where('user_id', '=', targetId).where('used_at', 'is', null).execute();
    // Triage hands the conversations over (events, in this transaction); the live channel is told after commit.
    const handed = await handover.handOver(trx, { fromUserId: targetId, actorId: actor.id, to: reassignTo });
    const { open, unassigned, reassigned, to, customers } = handed;
    changed = handed.conversationIds;
    // One audited action with its summary: the conversations and the customers that moved.
    await recordAuditBy(trx, audit, {
      action: 'user.deactivated',
      targetType: 'user',
      targetId,
      details: { open, unassigned, reassigned, ...(customers !== undefined ? { customers } : {}), ...(to ? { to } : {}) },
    });
    return { unassigned, reassigned, ...(customers !== undefined ? { customers } : {}) };
  });
  handover.changed(changed);
  return result;
}

export async function reactivateUser(db: Kysely<Database>, targetId: string, audit: AuditActor): Promise<void> {
  if ((await findUserById(db, targetId))?.role === 'super_admin') await refuseBeyondSuperAdminLimit(db, 'reactivate');
  await db.transaction().execute(async (trx) => {
    if (!(await setUserStatus(trx, targetId, 'active', 'disabled')))
      throw new AppError('user.not_found', 404, 'no deactivated user with this id');
    await recordAuditBy(trx, audit, { action: 'user.reactivated', targetType: 'user', targetId });
  });
}

export async function listUsersForAdmin(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('users')
    .leftJoin('totp_factors', 'totp_factors.user_id', 'users.id')
    .select([
      'users.id',
      'users.email',
      'users.name',
      'users.role',
      'users.status',
      'users.last_login_at',
      'users.created_at',
      'totp_factors.confirmed_at',
      (eb) =>
        eb
          .selectFrom('passkeys')
          .select((p) => p.fn.countAll<number>().as('n'))
          .whereRef('passkeys.user_id', '=', 'users.id')
          .as('passkeys'),
    ])
    .orderBy('users.email')
    .execute();
  const items = rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    status: r.status,
    twoFactor: r.confirmed_at != null || Number(r.passkeys ?? 0) > 0,
    totp: r.confirmed_at != null,
    passkeys: Number(r.passkeys ?? 0),
    lastLoginAt: r.last_login_at,
    createdAt: r.created_at,
  }));
  const superAdmins = items.filter((u) => u.role === 'super_admin' && u.status === 'active').length;
  const limit = (await loadSuperAdminPolicy(db)).maxSuperAdmins ?? SUGGESTED_MAX_SUPER_ADMINS;
  return { items, warnings: superAdmins > limit ? (['too_many_super_admins'] as const).slice() : [] };
}
