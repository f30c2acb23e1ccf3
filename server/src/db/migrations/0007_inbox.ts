import type { Kysely } from 'kysely';

// The inbox domain (types in db/tables/inbox.ts): events, notes, tags, teams,
// followers, merges, notifications, and the triage columns of conversations.
// The conversation list walks (status, assignee…, last_message_at, id) indexes
// newest first and stops at LIMIT, so no view sorts its matches.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('team_id', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('snoozed_until', 'bigint').execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('spam', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('conversations_status_idx')
    .on('conversations')
    .columns(['spam', 'status', 'last_message_at', 'id', 'assignee_id'])
    .execute();
  // The list without a status (all mail, the Spam view): spam then newest first, no sort step.
  await db.schema.createIndex('conversations_spam_idx').on('conversations').columns(['spam', 'last_message_at', 'id']).execute();
  await db.schema
    .createIndex('conversations_assignee_idx')
    .on('conversations')
    .columns(['assignee_id', 'status', 'last_message_at', 'id'])
    .execute();
  await db.schema
    .createIndex('conversations_team_idx')
    .on('conversations')
    .columns(['team_id', 'status', 'last_message_at', 'id'])
    .execute();
  await db.schema.createIndex('conversations_snoozed_idx').on('conversations').columns(['status', 'snoozed_until']).execute();
  await db.schema.createIndex('conversations_counterparty_idx').on('conversations').column('counterparty').execute();

  await db.schema
    .createTable('conversation_events')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('actor_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('conversation_events_conv_idx')
    .on('conversation_events')
    .columns(['conversation_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('conversation_notes')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('mentions', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conversation_notes_conv_idx').on('conversation_notes').columns(['conversation_id', 'created_at']).execute();

  await db.schema
    .createTable('tags')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('conversation_tags')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('tag_id', 'text', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('conversation_tags_pk', ['conversation_id', 'tag_id'])
    .execute();
  await db.schema.createIndex('conversation_tags_tag_idx').on('conversation_tags').columns(['tag_id', 'conversation_id']).execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_id'])
    .execute();
  await db.schema.createIndex('team_members_user_idx').on('team_members').column('user_id').execute();

  await db.schema
    .createTable('conversation_followers')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('conversation_followers_pk', ['conversation_id', 'user_id'])
    .execute();
  await db.schema.createIndex('conversation_followers_user_idx').on('conversation_followers').column('user_id').execute();

  await db.schema
    .createTable('conversation_merges')
    .addColumn('source_id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('merged_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('merged_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conversation_merges_target_idx').on('conversation_merges').column('target_id').execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .execute();
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'notifications',
    'conversation_merges',
    'conversation_followers',
    'team_members',
    'teams',
    'conversation_tags',
    'tags',
    'conversation_notes',
    'conversation_events',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  for (const index of [
    'conversations_status_idx',
    'conversations_spam_idx',
    'conversations_assignee_idx',
    'conversations_team_idx',
    'conversations_snoozed_idx',
    'conversations_counterparty_idx',
  ]) {
    await db.schema.dropIndex(index).execute();
  }
  for (const column of ['spam', 'snoozed_until', 'team_id']) {
    await db.schema.alterTable('conversations').dropColumn(column).execute();
  }
}
