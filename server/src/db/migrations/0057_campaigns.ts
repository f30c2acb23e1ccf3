import type { Kysely } from 'kysely';

// Campaigns from the marketing mailbox (issue 21, decision 0051): lists, the suppression list,
// campaigns with one row per recipient (the exactly-once state of decision 0008), what came back
// (bounces, complaints, replies, unsubscribes) and the providers' sending caps.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('campaign_lists')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('segment_json', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('campaign_list_members')
    .addColumn('list_id', 'text', (c) => c.notNull().references('campaign_lists.id').onDelete('cascade'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('company', 'text')
    .addColumn('country', 'text')
    .addColumn('time_zone', 'text')
    .addColumn('consent_source', 'text', (c) => c.notNull())
    .addColumn('consent_at', 'bigint', (c) => c.notNull())
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_list_members_pk', ['list_id', 'address'])
    .execute();
  await db.schema
    .createTable('campaign_suppressions')
    .addColumn('address', 'text', (c) => c.primaryKey().notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'text')
    .addColumn('detail', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('mailbox_id', 'text', (c) => c.notNull())
    .addColumn('list_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('html_template', 'text', (c) => c.notNull())
    .addColumn('text_template', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('rate_per_minute', 'integer', (c) => c.notNull())
    .addColumn('send_at', 'bigint', (c) => c.notNull())
    .addColumn('local_time', 'text')
    .addColumn('company_time_zone', 'text', (c) => c.notNull())
    .addColumn('track_clicks', 'integer', (c) => c.notNull())
    .addColumn('track_opens', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('campaign_recipients')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('company', 'text')
    .addColumn('country', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('message_id_header', 'text', (c) => c.notNull().unique())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('sent_at', 'bigint')
    .addColumn('bounced_at', 'bigint')
    .addColumn('bounce_kind', 'text')
    .addColumn('unsubscribed_at', 'bigint')
    .addColumn('replied_at', 'bigint')
    .addColumn('complained_at', 'bigint')
    // One mail per address per campaign, whatever the list held twice.
    .addUniqueConstraint('campaign_recipients_once', ['campaign_id', 'address'])
    .execute();
  await db.schema.createIndex('campaign_recipients_due').on('campaign_recipients').columns(['campaign_id', 'state', 'due_at']).execute();
  await db.schema.createIndex('campaign_recipients_sent').on('campaign_recipients').columns(['state', 'sent_at']).execute();
  await db.schema.createIndex('campaign_recipients_address').on('campaign_recipients').column('address').execute();
  await db.schema
    .createTable('campaign_events')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('campaign_id', 'text')
    .addColumn('recipient_id', 'text')
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text')
    .addColumn('detail', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('campaign_events_campaign').on('campaign_events').columns(['campaign_id', 'kind']).execute();
  await db.schema.createIndex('campaign_events_address').on('campaign_events').columns(['address', 'kind']).execute();
  await db.schema
    .createTable('campaign_provider_limits')
    .addColumn('preset', 'text', (c) => c.primaryKey().notNull())
    .addColumn('per_minute', 'integer', (c) => c.notNull())
    .addColumn('per_day', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'campaign_provider_limits',
    'campaign_events',
    'campaign_recipients',
    'campaigns',
    'campaign_suppressions',
    'campaign_list_members',
    'campaign_lists',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
