import type { ComposeMode, Draft, SaveDraft, Upload } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import type { OutboxDraftsTable } from '../../db/tables/outbox.js';
import { AppError } from '../../errors.js';
import type { BlobStore } from '../../storage/blob-store.js';

type Db = Kysely<Database> | Transaction<Database>;
type DraftInput = { [K in keyof SaveDraft]-?: Exclude<SaveDraft[K], undefined> };

export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/**
 * Drafts are saved as the agent types: one per agent and conversation (the
 * composer upserts it), several for new mail. Only their author sees them.
 */
export async function saveDraft(db: Db, userId: string, draftId: string | null, input: DraftInput): Promise<Draft> {
  const now = Date.now();
  const values = {
    conversation_id: input.conversationId,
    mailbox_id: input.mailboxId,
    mode: input.mode,
    reply_to_message_id: input.replyToMessageId,
    to_json: JSON.stringify(input.to),
    cc_json: JSON.stringify(input.cc),
    bcc_json: JSON.stringify(input.bcc),
    subject: input.subject,
    html: input.html,
    attachments_json: JSON.stringify(input.uploadIds),
    updated_at: now,
  };
  let id = draftId;
  if (!id && input.conversationId) {
    id = (await findDraftRow(db, userId, { conversationId: input.conversationId }))?.id ?? null;
  }
  if (id) {
    const result = await db.updateTable('outbox_drafts').set(values).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new AppError('outbox.not_found', 404, 'no such draft');
  } else {
    id = newId();
    await db
      .insertInto('outbox_drafts')
      .values({ id, user_id: userId, created_at: now, ...values })
      .execute();
  }
  const saved = await findDraftRow(db, userId, { id });
  if (!saved) throw new AppError('outbox.not_found', 404, 'no such draft');
  return toDraft(db, saved);
}

export async function findDraft(db: Db, userId: string, where: { id?: string; conversationId?: string }): Promise<Draft | null> {
  const row = await findDraftRow(db, userId, where);
  return row ? toDraft(db, row) : null;
}

function findDraftRow(db: Db, userId: string, where: { id?: string | null; conversationId?: string }) {
  let query = db.selectFrom('outbox_drafts').selectAll().where('user_id', '=', userId);
  if (where.id) query = query.where('id', '=', where.id);
  if (where.conversationId) query = query.where('conversation_id', '=', where.conversationId);
  return query.orderBy('updated_at', 'desc').executeTakeFirst();
}

/** Deletes the user's own draft; false when they have none with that id (another user's draft is never touched). */
export async function deleteDraft(db: Db, userId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('outbox_drafts').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

async function toDraft(db: Db, row: OutboxDraftsTable): Promise<Draft> {
  const uploadIds = JSON.parse(row.attachments_json) as string[];
  return {
    id: row.id,
    conversationId: row.conversation_id,
    mailboxId: row.mailbox_id,
    mode: row.mode as ComposeMode,
    replyToMessageId: row.reply_to_message_id,
    to: JSON.parse(row.to_json) as string[],
    cc: JSON.parse(row.cc_json) as string[],
    bcc: JSON.parse(row.bcc_json) as string[],
    subject: row.subject,
    html: row.html,
    uploads: await findUploads(db, row.user_id, uploadIds),
    updatedAt: Number(row.updated_at),
  };
}

/** Keeps an uploaded attachment (content-addressed blob) for this agent's next send. */
export async function storeUpload(
  db: Db,
  blobs: BlobStore,
  userId: string,
  file: { filename: string; mime: string; content: Buffer },
): Promise<Upload> {
  if (file.content.length > MAX_UPLOAD_BYTES) throw new AppError('outbox.upload_too_large', 413, 'attachments are limited to 25 MB');
  const blob = await blobs.put(file.content);
  const row = {
    id: newId(),
    user_id: userId,
    sha256: blob.sha256,
    filename: file.filename,
    mime: file.mime,
    size: blob.size,
    created_at: Date.now(),
  };
  await db.insertInto('outbox_uploads').values(row).execute();
  return { id: row.id, filename: row.filename, mime: row.mime, size: row.size };
}

/** Uploads of this agent only: an id guessed from someone else's upload finds nothing. */
export async function findUploads(db: Db, userId: string, ids: string[]): Promise<(Upload & { sha256: string })[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('outbox_uploads').selectAll().where('user_id', '=', userId).where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [{ id: r.id, filename: r.filename, mime: r.mime, size: Number(r.size), sha256: r.sha256 }] : [];
  });
}

/** The blobs uploads point at (`pier doctor` counts them as referenced). */
export async function uploadBlobHashes(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('outbox_uploads').select('sha256').distinct().execute();
  return rows.map((r) => r.sha256);
}

/**
 * An upload of this agent made from a blob already stored (an FAQ answer's attachment inserted
 * into a reply): the bytes are not copied, the draft and the send job find them as any upload.
 */
export async function uploadFromBlob(
  db: Db,
  userId: string,
  blob: { sha256: string; filename: string; mime: string; size: number },
): Promise<Upload> {
  const row = { id: newId(), user_id: userId, ...blob, created_at: Date.now() };
  await db.insertInto('outbox_uploads').values(row).execute();
  return { id: row.id, filename: row.filename, mime: row.mime, size: row.size };
}
