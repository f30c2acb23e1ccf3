import { type Kysely, sql } from 'kysely';

// The FAQ library (issue 19, decision 0050): folders, answers with a version per language,
// attachments and usage counts, owned by the knowledge module. Existing saved replies are copied
// in as answers (their language guessed from their script) so the library starts with them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('knowledge_folders')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('knowledge_answers')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('folder_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('use_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_used_at', 'bigint')
    .addColumn('source_message_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('knowledge_answers_folder').on('knowledge_answers').column('folder_id').execute();
  await db.schema
    .createTable('knowledge_versions')
    .addColumn('answer_id', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('knowledge_versions_pk', ['answer_id', 'language'])
    .execute();
  await db.schema
    .createTable('knowledge_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('answer_id', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('knowledge_attachments_answer').on('knowledge_attachments').column('answer_id').execute();

  const saved = await sql<{
    id: string;
    name: string;
    body_html: string;
    created_by: string;
    created_at: number | string;
    updated_at: number | string;
  }>`SELECT id, name, body_html, created_by, created_at, updated_at FROM outbox_saved_replies`.execute(db);
  for (const row of saved.rows) {
    const text = row.body_html
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    const language = /\p{Script=Han}/u.test(text) ? 'zh-CN' : 'en';
    const created = Number(row.created_at);
    const updated = Number(row.updated_at);
    await sql`INSERT INTO knowledge_answers (id, folder_id, title, use_count, last_used_at, source_message_id, created_by, created_at, updated_by, updated_at)
      VALUES (${row.id}, NULL, ${row.name}, 0, NULL, NULL, ${row.created_by}, ${created}, ${row.created_by}, ${updated})`.execute(db);
    await sql`INSERT INTO knowledge_versions (answer_id, language, body_html, body_text, updated_by, updated_at)
      VALUES (${row.id}, ${language}, ${row.body_html}, ${text}, ${row.created_by}, ${updated})`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['knowledge_attachments', 'knowledge_versions', 'knowledge_answers', 'knowledge_folders']) {
    await db.schema.dropTable(table).execute();
  }
}
