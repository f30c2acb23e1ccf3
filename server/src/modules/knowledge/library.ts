/**
 * The FAQ library's use cases: folders, answers with their language versions and attachments.
 * Everyone signed in reads it (the FAQ page is how a new colleague learns the standard answers);
 * agents and admins write it (routes.ts), and every write records who last edited and when.
 */
import { type FaqAnswer, type FaqFolder, type FaqLibrary, faqVariables, type SaveFaqAnswer } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';
import { findUploads, htmlToPlainText } from '../outbox/index.js';
import { userDisplayNames } from '../workspace/index.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function listFolders(db: Db): Promise<FaqFolder[]> {
  const [folders, counts] = await Promise.all([
    db.selectFrom('knowledge_folders').selectAll().orderBy('position').orderBy('name').execute(),
    db
      .selectFrom('knowledge_answers')
      .select(['folder_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('folder_id')
      .execute(),
  ]);
  const byFolder = new Map(counts.map((c) => [c.folder_id, Number(c.n)]));
  return folders.map((f) => ({ id: f.id, name: f.name, position: Number(f.position), answerCount: byFolder.get(f.id) ?? 0 }));
}

export async function createFolder(db: Db, input: { name: string; position?: number | undefined }): Promise<FaqFolder> {
  const row = { id: newId(), name: input.name, position: input.position ?? 0, created_at: Date.now() };
  await db.insertInto('knowledge_folders').values(row).execute();
  return { id: row.id, name: row.name, position: row.position, answerCount: 0 };
}

export async function renameFolder(db: Db, id: string, input: { name: string; position?: number | undefined }): Promise<void> {
  const result = await db
    .updateTable('knowledge_folders')
    .set({ name: input.name, ...(input.position !== undefined ? { position: input.position } : {}) })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new AppError('knowledge.not_found', 404, 'no such folder');
}

/** A folder's answers stay in the library, unfiled; the audit log keeps its name and how many were unfiled. */
export async function deleteFolder(db: Kysely<Database>, id: string, actor: AuditActor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const folder = await trx.selectFrom('knowledge_folders').select('name').where('id', '=', id).executeTakeFirst();
    if (!folder) throw new AppError('knowledge.not_found', 404, 'no such folder');
    const unfiled = await trx.updateTable('knowledge_answers').set({ folder_id: null }).where('folder_id', '=', id).executeTakeFirst();
    await trx.deleteFrom('knowledge_folders').where('id', '=', id).execute();
    await recordAuditBy(trx, actor, {
      action: 'faq.folder_deleted',
      targetType: 'faq_folder',
      targetId: id,
      details: { name: folder.name, answersUnfiled: Number(unfiled.numUpdatedRows) },
    });
  });
}

export async function loadLibrary(db: Db): Promise<FaqLibrary> {
  const [folders, answers] = await Promise.all([listFolders(db), loadAnswers(db)]);
  return { folders, answers };
}

/** Answers (all, or these ids), most used first, then by title. */
export async function loadAnswers(db: Db, ids?: string[]): Promise<FaqAnswer[]> {
  if (ids && ids.length === 0) return [];
  const answers = await db
    .selectFrom('knowledge_answers')
    .selectAll()
    .$if(ids !== undefined, (qb) => qb.where('id', 'in', ids ?? []))
    .orderBy('use_count', 'desc')
    .orderBy('title')
    .execute();
  if (answers.length === 0) return [];
  const answerIds = answers.map((a) => a.id);
  const [versions, attachments, names] = await Promise.all([
    db.selectFrom('knowledge_versions').selectAll().where('answer_id', 'in', answerIds).orderBy('language').execute(),
    db.selectFrom('knowledge_attachments').selectAll().where('answer_id', 'in', answerIds).orderBy('created_at').execute(),
    userDisplayNames(
      db,
      answers.map((a) => a.updated_by),
    ),
  ]);
  return answers.map((a) => ({
    id: a.id,
    folderId: a.folder_id,
    title: a.title,
    versions: versions
      .filter((v) => v.answer_id === a.id)
      .map((v) => ({ language: v.language, bodyHtml: v.body_html, updatedAt: Number(v.updated_at) })),
    attachments: attachments
      .filter((f) => f.answer_id === a.id)
      .map((f) => ({ id: f.id, filename: f.filename, mime: f.mime, size: Number(f.size) })),
    useCount: Number(a.use_count),
    lastUsedAt: a.last_used_at === null ? null : Number(a.last_used_at),
    sourceMessageId: a.source_message_id,
    updatedAt: Number(a.updated_at),
    updatedBy: { id: a.updated_by, name: names.get(a.updated_by) ?? '' },
  }));
}

export async function findAnswer(db: Db, id: string): Promise<FaqAnswer> {
  const [answer] = await loadAnswers(db, [id]);
  if (!answer) throw new AppError('knowledge.not_found', 404, 'no such answer');
  return answer;
}

type SaveInput = Omit<SaveFaqAnswer, 'attachments'> & { attachments: ({ uploadId: string } | { attachmentId: string })[] };

export async function createAnswer(db: Kysely<Database>, userId: string, input: SaveInput): Promise<FaqAnswer> {
  const id = newId();
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    await checkFolder(trx, input.folderId);
    await trx
      .insertInto('knowledge_answers')
      .values({
        id,
        folder_id: input.folderId,
        title: input.title,
        use_count: 0,
        last_used_at: null,
        source_message_id: input.sourceMessageId ?? null,
        created_by: userId,
        created_at: now,
        updated_by: userId,
        updated_at: now,
      })
      .execute();
    await writeVersions(trx, id, userId, input.versions, now);
    await writeAttachments(trx, id, userId, input.attachments, now);
  });
  return findAnswer(db, id);
}

export async function updateAnswer(db: Kysely<Database>, id: string, userId: string, input: SaveInput): Promise<FaqAnswer> {
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('knowledge_answers').select('id').where('id', '=', id).executeTakeFirst();
    if (!current) throw new AppError('knowledge.not_found', 404, 'no such answer');
    await checkFolder(trx, input.folderId);
    await trx
      .updateTable('knowledge_answers')
      .set({ folder_id: input.folderId, title: input.title, updated_by: userId, updated_at: now })
      .where('id', '=', id)
      .execute();
    await writeVersions(trx, id, userId, input.versions, now);
    await writeAttachments(trx, id, userId, input.attachments, now);
  });
  return findAnswer(db, id);
}

/**
 * An answer goes with its versions and attachments; the audit log keeps who deleted it and what it
 * was (title, folder, languages), since the library itself no longer can.
 */
export async function deleteAnswer(db: Kysely<Database>, id: string, actor: AuditActor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const answer = await trx
      .selectFrom('knowledge_answers as a')
      .leftJoin('knowledge_folders as f', 'f.id', 'a.folder_id')
      .select(['a.title', 'f.name as folder'])
      .where('a.id', '=', id)
      .executeTakeFirst();
    if (!answer) throw new AppError('knowledge.not_found', 404, 'no such answer');
    const versions = await trx
      .selectFrom('knowledge_versions')
      .select('language')
      .where('answer_id', '=', id)
      .orderBy('language')
      .execute();
    await trx.deleteFrom('knowledge_answers').where('id', '=', id).execute();
    await trx.deleteFrom('knowledge_versions').where('answer_id', '=', id).execute();
    await trx.deleteFrom('knowledge_attachments').where('answer_id', '=', id).execute();
    await recordAuditBy(trx, actor, {
      action: 'faq.answer_deleted',
      targetType: 'faq_answer',
      targetId: id,
      details: { title: answer.title, folder: answer.folder, languages: versions.map((v) => v.language) },
    });
  });
}

/** Variables an answer may use: the editor's list, and the saved replies' older names (customer.*). */
const knownVariables = new Set<string>([...faqVariables, 'contact.company', 'customer.name', 'customer.first_name', 'customer.email']);

/** An unknown {{variable}} would go out empty: refused on save, named in the message. */
function checkVariables(html: string): void {
  for (const [, name] of html.matchAll(/\{\{\s*([a-z_.]+)\s*\}\}/gi)) {
    if (name && !knownVariables.has(name.toLowerCase())) {
      throw new AppError('knowledge.unknown_variable', 400, `unknown variable {{${name}}}`, { unknown: `{{${name}}}` });
    }
  }
}

async function checkFolder(db: Db, folderId: string | null): Promise<void> {
  if (folderId === null) return;
  const folder = await db.selectFrom('knowledge_folders').select('id').where('id', '=', folderId).executeTakeFirst();
  if (!folder) throw new AppError('knowledge.folder_not_found', 400, 'no such folder');
}

/** The versions as given replace the stored ones; one per language. */
async function writeVersions(db: Db, answerId: string, userId: string, versions: SaveInput['versions'], now: number): Promise<void> {
  for (const v of versions) checkVariables(v.bodyHtml);
  const byLanguage = new Map(versions.map((v) => [v.language, v.bodyHtml]));
  if (byLanguage.size !== versions.length) throw new AppError('knowledge.duplicate_language', 400, 'one version per language');
  const current = await db.selectFrom('knowledge_versions').selectAll().where('answer_id', '=', answerId).execute();
  const unchanged = new Set(current.filter((c) => byLanguage.get(c.language) === c.body_html).map((c) => c.language));
  const stale = current.filter((c) => !unchanged.has(c.language)).map((c) => c.language);
  if (stale.length > 0)
    await db.deleteFrom('knowledge_versions').where('answer_id', '=', answerId).where('language', 'in', stale).execute();
  const rows = [...byLanguage]
    .filter(([language]) => !unchanged.has(language))
    .map(([language, html]) => ({
      answer_id: answerId,
      language,
      body_html: html,
      body_text: htmlToPlainText(html),
      updated_by: userId,
      updated_at: now,
    }));
  if (rows.length > 0) await db.insertInto('knowledge_versions').values(rows).execute();
}

/**
 * Kept attachments stay; new ones come from the editor's uploads (the agent's own: someone
 * else's upload id finds nothing) and point at the same blob, so nothing is copied.
 */
async function writeAttachments(db: Db, answerId: string, userId: string, wanted: SaveInput['attachments'], now: number): Promise<void> {
  const keep = wanted.flatMap((a) => ('attachmentId' in a ? [a.attachmentId] : []));
  const uploadIds = wanted.flatMap((a) => ('uploadId' in a ? [a.uploadId] : []));
  await db
    .deleteFrom('knowledge_attachments')
    .where('answer_id', '=', answerId)
    .$if(keep.length > 0, (qb) => qb.where('id', 'not in', keep))
    .execute();
  const uploads = await findUploads(db, userId, uploadIds);
  if (uploads.length !== uploadIds.length) throw new AppError('knowledge.upload_not_found', 400, 'an attachment upload was not found');
  if (uploads.length === 0) return;
  await db
    .insertInto('knowledge_attachments')
    .values(
      uploads.map((u) => ({
        id: newId(),
        answer_id: answerId,
        sha256: u.sha256,
        filename: u.filename,
        mime: u.mime,
        size: u.size,
        created_at: now,
      })),
    )
    .execute();
}

/** An answer's attachments with their blobs (for inserting into a reply). */
export function attachmentBlobsOf(db: Db, answerId: string) {
  return db.selectFrom('knowledge_attachments').selectAll().where('answer_id', '=', answerId).orderBy('created_at').execute();
}

/** One more use of an answer (inserted into a reply). */
export async function countUse(db: Db, answerId: string, now: number): Promise<void> {
  await db
    .updateTable('knowledge_answers')
    .set((eb) => ({ use_count: eb('use_count', '+', 1), last_used_at: now }))
    .where('id', '=', answerId)
    .execute();
}

/** Every version's text with its answer, for suggestions and for matching questions. */
export async function libraryTexts(db: Db) {
  return db
    .selectFrom('knowledge_versions')
    .innerJoin('knowledge_answers', 'knowledge_answers.id', 'knowledge_versions.answer_id')
    .select([
      'knowledge_answers.id',
      'knowledge_answers.title',
      'knowledge_answers.use_count',
      'knowledge_answers.source_message_id',
      'knowledge_versions.language',
      'knowledge_versions.body_text',
    ])
    .execute();
}
