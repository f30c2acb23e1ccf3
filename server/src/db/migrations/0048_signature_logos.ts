import type { Kysely } from 'kysely';

// A signature's logo is uploaded to Pier (issue 18): the bytes are a blob, this row says which one.
// Mail carries it as an inline CID part and the preview loads it from Pier, so nothing is fetched
// from another site. One logo per mailbox, like the rest of its signature settings.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('outbox_signature_logos')
    .addColumn('mailbox_id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('outbox_signature_logos').execute();
}
