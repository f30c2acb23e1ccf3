import { randomBytes } from 'node:crypto';
import type { ApiToken, ApiTokenScope, CreatedApiToken } from '@pier/contracts';
import type { Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { sha256Hex } from '../../storage/blob-store.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';
import { mailboxScopeFor } from './access-policy.js';
import { loadMailboxGrants } from './session-queries.js';
import type { AuthContext } from './sessions.js';

/** Tokens start with this, so a leaked one is recognisable (secret scanners, logs). */
const TOKEN_PREFIX = 'pier_';
/** last_used_at is written at most this often, so reads do not all become writes. */
const TOUCH_EVERY_MS = 60_000;

/** Makes a token for a user; the secret is returned once and only its SHA-256 is stored. */
export async function createApiToken(
  db: Kysely<Database>,
  actor: AuditActor,
  input: { userId: string; name: string; scope: ApiTokenScope },
  now = Date.now(),
): Promise<CreatedApiToken> {
  const user = await db.selectFrom('users').select(['id', 'status']).where('id', '=', input.userId).executeTakeFirst();
  if (!user || user.status !== 'active') throw new AppError('user.not_found', 404, 'no such active user');
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('api_tokens')
      .values({
        id,
        user_id: input.userId,
        name: input.name,
        scope: input.scope,
        token_hash: sha256Hex(token),
        created_by: actor.actorId,
        created_at: now,
        last_used_at: null,
        revoked_at: null,
        revoked_by: null,
      })
      .execute();
    await recordAuditBy(trx, actor, {
      action: 'api_token.created',
      targetType: 'api_token',
      targetId: id,
      details: { userId: input.userId, name: input.name, scope: input.scope },
    });
  });
  return { token, id };
}

/** Tokens of one user (their own page) or of everyone (admins, CLI); revoked ones stay listed. */
export async function listApiTokens(db: Kysely<Database>, filter: { userId?: string } = {}): Promise<ApiToken[]> {
  let query = db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.name',
      'api_tokens.scope',
      'api_tokens.user_id',
      'users.email',
      'api_tokens.created_at',
      'api_tokens.last_used_at',
      'api_tokens.revoked_at',
    ])
    .orderBy('api_tokens.created_at', 'desc');
  if (filter.userId) query = query.where('api_tokens.user_id', '=', filter.userId);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    scope: r.scope,
    userId: r.user_id,
    userEmail: r.email,
    createdAt: Number(r.created_at),
    lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
  }));
}

/**
 * Revokes a token at once (the guard reads tokens from the database on every request).
 * `ownerId` limits it to one user's tokens (a person revoking their own); admins pass none.
 */
export async function revokeApiToken(
  db: Kysely<Database>,
  actor: AuditActor,
  tokenId: string,
  options: { ownerId?: string; now?: number } = {},
): Promise<void> {
  const now = options.now ?? Date.now();
  await db.transaction().execute(async (trx) => {
    let query = trx.selectFrom('api_tokens').select(['id', 'user_id', 'revoked_at']).where('id', '=', tokenId);
    if (options.ownerId) query = query.where('user_id', '=', options.ownerId);
    const row = await query.executeTakeFirst();
    if (!row) throw new AppError('token.not_found', 404, 'no such API token');
    if (row.revoked_at !== null) return;
    await trx.updateTable('api_tokens').set({ revoked_at: now, revoked_by: actor.actorId }).where('id', '=', tokenId).execute();
    await recordAuditBy(trx, actor, {
      action: 'api_token.revoked',
      targetType: 'api_token',
      targetId: tokenId,
      details: { userId: row.user_id },
    });
  });
}

/** The `Authorization: Bearer …` value when the request carries one, else undefined. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * The user behind a token, with the user's current role and mailbox grants: a token never
 * reaches more than its user does today (a grant taken away, a deactivation, take effect at
 * once). No second factor or step-up: see the token policy (api-token-policy.ts).
 */
export async function resolveApiToken(db: Kysely<Database>, token: string, now: number): Promise<AuthContext | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id as token_id',
      'api_tokens.scope',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
      'users.id',
      'users.email',
      'users.name',
      'users.password_hash',
      'users.role',
      'users.locale',
      'users.status',
      'users.created_at',
      'users.updated_at',
      'users.last_login_at',
    ])
    .where('api_tokens.token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.status !== 'active') return undefined;
  if (row.last_used_at === null || now - Number(row.last_used_at) > TOUCH_EVERY_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.token_id).execute();
  }
  const { token_id, scope, revoked_at, last_used_at, ...user } = row;
  const grants = await loadMailboxGrants(db, user.id);
  return {
    user,
    sessionId: `token:${token_id}`,
    scope: mailboxScopeFor(user.role, new Map(grants.map((g) => [g.mailbox_id, g.access]))),
    secondFactor: 'done',
    reauthAt: null,
    token: { id: token_id, scope },
  };
}
