import type { Kysely } from 'kysely';

// Conversations that threading kept apart because they are in different mailboxes (decision 0027):
// a mail to sales@ that names, or is a copy of, mail in an accounting@-only conversation starts a
// new conversation in sales@, and this pair lets people who can read both follow the link.
// Stored in both directions so a lookup is one indexed read.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('conversation_relations')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('related_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_relations_pk', ['conversation_id', 'related_id'])
    .execute();
  await db.schema.createIndex('conversation_relations_related_idx').on('conversation_relations').column('related_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('conversation_relations').execute();
}
