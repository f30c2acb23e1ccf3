import {
  type CreateMailbox,
  CreateMailboxSchema,
  type Mailbox,
  type MailboxAccess,
  mailboxPurposes,
  type SessionInfo,
} from '@pier/contracts';
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/database.js';
import { newId } from '../../db/ids.js';
import type { Database, MailboxRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { accessToMailbox, type MailboxScope, mailboxIdsWith } from '../security/index.js';
import { findMailboxByAddress, insertMailbox, selectMailboxesWithCounts, upsertMailboxAccess } from './mailbox-queries.js';

export async function createMailbox(db: Kysely<Database>, input: CreateMailbox): Promise<MailboxRow> {
  const parsed = CreateMailboxSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('request.invalid', 400, `${issue?.path.join('.') || 'mailbox'} ${issue?.message ?? 'is invalid'}`);
  }
  const now = Date.now();
  const row: MailboxRow = {
    id: newId(),
    address: parsed.data.address,
    display_name: parsed.data.displayName,
    purpose: parsed.data.purpose,
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
    created_at: now,
    updated_at: now,
  };
  try {
    await insertMailbox(db, row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('mailbox.address_taken', 409, `mailbox ${row.address} already exists`);
    throw error;
  }
  return row;
}

export async function grantMailboxAccess(db: Kysely<Database>, userId: string, mailboxId: string, access: MailboxAccess) {
  await upsertMailboxAccess(db, { user_id: userId, mailbox_id: mailboxId, access });
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
  }));
}

export async function listSessionMailboxes(db: Kysely<Database>, scope: MailboxScope): Promise<SessionInfo['mailboxes']> {
  const mailboxes = await listMailboxes(db, scope);
  return mailboxes.map((m) => ({
    id: m.id,
    address: m.address,
    displayName: m.displayName,
    purpose: m.purpose,
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
