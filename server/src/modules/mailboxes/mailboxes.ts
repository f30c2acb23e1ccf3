import {
  type ConnectionSettings,
  ConnectionSettingsSchema,
  type CreateMailbox,
  CreateMailboxSchema,
  findPreset,
  type Mailbox,
  type MailboxDetail,
  mailboxPurposes,
  type SessionInfo,
  type UpdateMailbox,
  UpdateMailboxSchema,
} from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import { isUniqueViolation } from '../../db/database.js';
import { newId } from '../../db/ids.js';
import type { Database, MailboxRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAuditBy, systemActor } from '../audit/index.js';
import { accessToMailbox, type MailboxScope, mailboxIdsWith, type SecretBox } from '../security/index.js';
import {
  findMailboxByAddress,
  findMailboxById,
  insertMailbox,
  OPEN_COUNT_CAP,
  selectMailboxesInScope,
  selectMailboxesWithCounts,
  updateMailboxRow,
} from './mailbox-queries.js';

const DAY_MS = 24 * 60 * 60_000;

/** The decrypted secret of a mailbox; sealed as JSON in `secret_enc`. */
export type MailboxSecret = {
  password?: string | undefined;
  accessToken?: string | undefined;
  /** XOAUTH2 refresh (see oauth-tokens.ts); the token endpoint is resolved from the preset when stored. */
  refreshToken?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  tokenEndpoint?: string | undefined;
  /** Epoch ms when the access token expires, as the token endpoint said; unknown for a pasted token. */
  accessTokenExpiresAt?: number | undefined;
};

function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('request.invalid', 400, `${issue?.path.join('.') || 'mailbox'} ${issue?.message ?? 'is invalid'}`);
  }
  return parsed.data;
}

/** Column values for a connection; the secret is sealed, and kept when the update gives none. */
export function connectionColumns(connection: ConnectionSettings, secrets: SecretBox, previousSecret: string | null) {
  const oauth = connection.authMethod === 'xoauth2' ? connection.oauth : undefined;
  const secret: MailboxSecret = {
    password: connection.password,
    accessToken: connection.accessToken,
    ...(oauth?.refreshToken
      ? {
          refreshToken: oauth.refreshToken,
          clientId: oauth.clientId,
          clientSecret: oauth.clientSecret,
          tokenEndpoint: oauth.tokenEndpoint ?? findPreset(connection.preset)?.oauthTokenEndpoint,
        }
      : {}),
  };
  if (secret.refreshToken && !secret.tokenEndpoint) {
    throw new AppError('request.invalid', 400, 'connection.oauth.tokenEndpoint is needed for this preset');
  }
  if (secret.refreshToken && !secret.clientId)
    throw new AppError('request.invalid', 400, 'connection.oauth.clientId is needed with a refresh token');
  const withNewSecret = Boolean(secret.password || secret.accessToken || secret.refreshToken);
  return {
    preset: connection.preset,
    auth_method: connection.authMethod,
    imap_host: connection.imap.host,
    imap_port: connection.imap.port,
    imap_tls: connection.imap.tls,
    imap_user: connection.imap.user,
    smtp_host: connection.smtp.host,
    smtp_port: connection.smtp.port,
    smtp_tls: connection.smtp.tls,
    smtp_user: connection.smtp.user,
    secret_enc: withNewSecret ? secrets.seal(JSON.stringify(secret)) : previousSecret,
    sync_folders: JSON.stringify(connection.syncFolders),
    sync_since: connection.syncSinceDays === null ? null : Date.now() - connection.syncSinceDays * DAY_MS,
  };
}

export async function createMailbox(
  db: Kysely<Database>,
  input: CreateMailbox,
  secrets?: SecretBox,
  actor: AuditActor = systemActor,
): Promise<MailboxRow> {
  const data = parseOrThrow(CreateMailboxSchema, input);
  if (data.connection && !secrets) throw new Error('createMailbox needs the secret box to store a connection');
  const now = Date.now();
  const row: MailboxRow = {
    id: newId(),
    address: data.address,
    display_name: data.displayName,
    purpose: data.purpose,
    status: 'active',
    status_detail: null,
    imap_host: null,
    imap_port: null,
    imap_tls: null,
    imap_user: null,
    smtp_host: null,
    smtp_port: null,
    smtp_tls: null,
    smtp_user: null,
    secret_enc: null,
    preset: 'other',
    auth_method: 'password',
    sync_folders: '["inbox","sent"]',
    sync_since: null,
    last_synced_at: null,
    created_at: now,
    updated_at: now,
    ...(data.connection && secrets ? connectionColumns(data.connection, secrets, null) : {}),
  };
  try {
    await db.transaction().execute(async (trx) => {
      await insertMailbox(trx, row);
      await recordAuditBy(trx, actor, {
        action: 'mailbox.created',
        targetType: 'mailbox',
        targetId: row.id,
        mailboxId: row.id,
        details: { address: row.address, purpose: row.purpose, connected: Boolean(data.connection), imapHost: row.imap_host },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('mailbox.address_taken', 409, `mailbox ${row.address} already exists`);
    throw error;
  }
  return row;
}

export async function updateMailbox(
  db: Kysely<Database>,
  id: string,
  input: UpdateMailbox,
  secrets: SecretBox,
  actor: AuditActor = systemActor,
): Promise<MailboxRow> {
  const data = parseOrThrow(UpdateMailboxSchema, input);
  const current = await findMailboxById(db, id);
  if (!current) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
  if (data.connection) refuseSavedSecretForNewServer(current, data.connection);
  await db.transaction().execute(async (trx) => {
    await updateMailboxRow(trx, id, {
      ...(data.displayName !== undefined ? { display_name: data.displayName } : {}),
      ...(data.purpose !== undefined ? { purpose: data.purpose } : {}),
      ...(data.status !== undefined ? { status: data.status, status_detail: data.status === 'paused' ? 'paused by an admin' : null } : {}),
      ...(data.connection ? connectionColumns(data.connection, secrets, current.secret_enc) : {}),
      updated_at: Date.now(),
    });
    await auditMailboxUpdate(trx, actor, current, data);
  });
  return (await findMailboxById(db, id)) ?? current;
}

/** Deletes the messages only this mailbox holds: the conversations module's rows, passed in by http.ts. */
export type DeleteMailOnlyIn = (trx: Transaction<Database>, mailboxId: string) => Promise<void>;

/**
 * A saved password (or token) was given for one server. When the host, port or TLS mode of IMAP
 * or SMTP changes, keeping it would send it to wherever the new settings point, which may be a
 * server the person who entered it never meant: the secret must be entered again.
 */
function refuseSavedSecretForNewServer(current: MailboxRow, connection: ConnectionSettings) {
  if (!current.secret_enc || hasNewSecret(connection)) return;
  const moved = (side: 'imap' | 'smtp') => {
    const next = connection[side];
    return (
      next.host.toLowerCase() !== (current[`${side}_host`] ?? '').toLowerCase() ||
      next.port !== current[`${side}_port`] ||
      next.tls !== current[`${side}_tls`]
    );
  };
  const changed = (['imap', 'smtp'] as const).filter(moved);
  if (changed.length > 0) {
    throw new AppError(
      'mailbox.secret_required',
      400,
      `the ${changed.map((side) => side.toUpperCase()).join(' and ')} server changed: enter the ${connection.authMethod === 'xoauth2' ? 'access token' : 'password'} again`,
    );
  }
}

function hasNewSecret(connection: ConnectionSettings): boolean {
  return Boolean(connection.password || connection.accessToken || connection.oauth?.refreshToken);
}

/**
 * Removes a mailbox. Its mail stays (conversations keep their messages and
 * their other mailboxes) unless `purge` is asked for, which also deletes the
 * messages no other mailbox holds.
 */
export async function removeMailbox(
  db: Kysely<Database>,
  id: string,
  options: { purge: boolean; deleteMail: DeleteMailOnlyIn },
  actor: AuditActor = systemActor,
): Promise<void> {
  const current = await findMailboxById(db, id);
  if (!current) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
  await db.transaction().execute(async (trx) => {
    if (options.purge) await options.deleteMail(trx, id);
    await trx.deleteFrom('mailboxes').where('id', '=', id).execute();
    await recordAuditBy(trx, actor, {
      action: 'mailbox.removed',
      targetType: 'mailbox',
      targetId: id,
      mailboxId: id,
      details: { address: current.address, purge: options.purge },
    });
  });
}

export function openMailboxSecret(row: Pick<MailboxRow, 'secret_enc'>, secrets: SecretBox): MailboxSecret {
  if (!row.secret_enc) return {};
  return JSON.parse(secrets.open(row.secret_enc)) as MailboxSecret;
}

/** The IMAP login of a password mailbox, for services on the same server (ManageSieve); none for OAuth. */
export function mailboxCredentials(secrets: SecretBox) {
  return (row: MailboxRow): { user: string; password: string } | null => {
    if (row.auth_method !== 'password' || !row.imap_user || !row.secret_enc) return null;
    const password = openMailboxSecret(row, secrets).password;
    return password ? { user: row.imap_user, password } : null;
  };
}

export function hasImapSettings(row: MailboxRow): boolean {
  return Boolean(row.imap_host && row.imap_port && row.imap_user && row.secret_enc);
}

export function syncFolderRoles(row: Pick<MailboxRow, 'sync_folders'>): ('inbox' | 'sent' | 'spam')[] {
  const roles = JSON.parse(row.sync_folders) as unknown;
  return Array.isArray(roles)
    ? roles.filter((r): r is 'inbox' | 'sent' | 'spam' => r === 'inbox' || r === 'sent' || r === 'spam')
    : ['inbox'];
}

/** One record per kind of change: pausing is told apart from editing; secrets are named, never recorded. */
async function auditMailboxUpdate(trx: Transaction<Database>, actor: AuditActor, current: MailboxRow, data: UpdateMailbox) {
  const base = { targetType: 'mailbox', targetId: current.id, mailboxId: current.id } as const;
  if (data.status !== undefined && data.status !== current.status) {
    await recordAuditBy(trx, actor, {
      ...base,
      action: data.status === 'paused' ? 'mailbox.paused' : 'mailbox.resumed',
      details: { address: current.address },
    });
  }
  const changed = [
    ...(data.displayName !== undefined && data.displayName !== current.display_name ? ['displayName'] : []),
    ...(data.purpose !== undefined && data.purpose !== current.purpose ? ['purpose'] : []),
    ...(data.connection ? ['connection'] : []),
    ...(data.connection?.password || data.connection?.accessToken || data.connection?.oauth?.refreshToken ? ['secret'] : []),
  ];
  if (changed.length > 0) {
    await recordAuditBy(trx, actor, {
      ...base,
      action: 'mailbox.updated',
      details: {
        address: current.address,
        changed,
        ...(data.connection ? { imapHost: data.connection.imap.host, smtpHost: data.connection.smtp.host } : {}),
      },
    });
  }
}

export async function listMailboxes(db: Kysely<Database>, scope: MailboxScope): Promise<Mailbox[]> {
  const rows = await selectMailboxesWithCounts(db, mailboxIdsWith(scope, 'read'));
  return rows.map((r) => ({
    id: r.id,
    address: r.address,
    displayName: r.display_name,
    purpose: toPurpose(r.purpose),
    status: r.status,
    openCount: Number(r.open_count),
    openCountCap: OPEN_COUNT_CAP,
  }));
}

export function toMailboxDetail(row: MailboxRow, openCount: number): MailboxDetail {
  const connection =
    row.imap_host && row.smtp_host
      ? ConnectionSettingsSchema.omit({ password: true, accessToken: true, oauth: true }).parse({
          preset: row.preset,
          imap: { host: row.imap_host, port: row.imap_port, tls: row.imap_tls, user: row.imap_user },
          smtp: { host: row.smtp_host, port: row.smtp_port, tls: row.smtp_tls, user: row.smtp_user },
          authMethod: row.auth_method,
          syncFolders: syncFolderRoles(row),
          syncSinceDays: row.sync_since === null ? null : Math.max(1, Math.round((row.created_at - row.sync_since) / DAY_MS)),
        })
      : null;
  return {
    id: row.id,
    address: row.address,
    displayName: row.display_name,
    purpose: toPurpose(row.purpose),
    status: row.status,
    openCount,
    openCountCap: OPEN_COUNT_CAP,
    statusDetail: row.status_detail,
    lastSyncedAt: row.last_synced_at,
    connection: connection ? { ...connection, hasSecret: row.secret_enc !== null } : null,
  };
}

/** The session's mailboxes: no counts (counting the open conversations took seconds at 200,000 and nothing here shows them). */
export async function listSessionMailboxes(db: Kysely<Database>, scope: MailboxScope): Promise<SessionInfo['mailboxes']> {
  const rows = await selectMailboxesInScope(db, mailboxIdsWith(scope, 'read'));
  return rows.map((m) => ({
    id: m.id,
    address: m.address,
    displayName: m.display_name,
    purpose: toPurpose(m.purpose),
    access: accessToMailbox(scope, m.id) ?? 'read',
  }));
}

/** The mailbox that receives mail for an address on Pier's own SMTP listener, if any. */
export async function findReceivingMailbox(db: Kysely<Database>, address: string): Promise<MailboxRow | undefined> {
  const mailbox = await findMailboxByAddress(db, address);
  return mailbox?.status === 'active' ? mailbox : undefined;
}

function toPurpose(value: string): Mailbox['purpose'] {
  return (mailboxPurposes as readonly string[]).includes(value) ? (value as Mailbox['purpose']) : 'inquiry';
}
