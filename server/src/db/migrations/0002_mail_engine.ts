import type { Kysely } from 'kysely';

// The mail engine: connection settings, synced folders, leases, attachments,
// bodies, contacts and companies. Same portable types as 0001.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('mailboxes')
    .addColumn('preset', 'text', (c) => c.notNull().defaultTo('other'))
    .execute();
  await db.schema
    .alterTable('mailboxes')
    .addColumn('auth_method', 'text', (c) => c.notNull().defaultTo('password'))
    .execute();
  await db.schema
    .alterTable('mailboxes')
    .addColumn('sync_folders', 'text', (c) => c.notNull().defaultTo('["inbox","sent"]'))
    .execute();
  await db.schema.alterTable('mailboxes').addColumn('sync_since', 'bigint').execute();
  await db.schema.alterTable('mailboxes').addColumn('last_synced_at', 'bigint').execute();

  await db.schema
    .createTable('folders')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('uidvalidity', 'bigint')
    .addColumn('last_uid', 'bigint', (c) => c.notNull().defaultTo(0))
    // Oldest UID fetched by the newest-first initial sync; 0 once history is complete.
    .addColumn('backfill_below_uid', 'bigint', (c) => c.notNull().defaultTo(0))
    // MODSEQ is an unsigned 63-bit number (RFC 7162): beyond 2^53, so kept as text.
    .addColumn('highest_modseq', 'text')
    .addColumn('synced_at', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('status_detail', 'text')
    .execute();
  await db.schema.createIndex('folders_mailbox_path').on('folders').columns(['mailbox_id', 'path']).unique().execute();

  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey().notNull())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.alterTable('message_locations').addColumn('folder_id', 'text').execute();
  await db.schema
    .alterTable('message_locations')
    .addColumn('flags', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.createIndex('message_locations_folder_uid').on('message_locations').columns(['folder_id', 'uid']).execute();

  await db.schema.alterTable('messages').addColumn('auth_results', 'text').execute();
  await db.schema
    .alterTable('messages')
    .addColumn('attachment_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('messages').addColumn('language', 'text').execute();
  // Newest-first sync stores replies before their originals: the original finds them by this.
  await db.schema.createIndex('messages_in_reply_to_idx').on('messages').column('in_reply_to').execute();

  await db.schema
    .alterTable('conversations')
    .addColumn('subject_key', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('conversations').addColumn('counterparty', 'text').execute();
  await db.schema.createIndex('conversations_subject_key').on('conversations').columns(['subject_key', 'counterparty']).execute();

  await db.schema
    .createTable('message_bodies')
    .addColumn('message_id', 'text', (c) => c.primaryKey().notNull().references('messages.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('html', 'text')
    .execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('content_id', 'text')
    .addColumn('is_inline', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_message').on('attachments').column('message_id').execute();

  await db.schema
    .createTable('companies')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('domain', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('country', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('address', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('company_id', 'text', (c) => c.references('companies.id').onDelete('set null'))
    .addColumn('country', 'text')
    .addColumn('phone_e164', 'text')
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contacts_company').on('contacts').column('company_id').execute();

  await db.schema
    .createTable('message_contacts')
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_contacts_pk', ['message_id', 'contact_id', 'role'])
    .execute();
  await db.schema.createIndex('message_contacts_contact').on('message_contacts').column('contact_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['message_contacts', 'contacts', 'companies', 'attachments', 'message_bodies', 'leases', 'folders']) {
    await db.schema.dropTable(table).execute();
  }
}
