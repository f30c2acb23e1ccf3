import type { Kysely } from 'kysely';

// Replies to a campaign shown beside the reply itself in the conversation view (issue 21, decision
// 0058): a campaign event names the message it came from, not only its conversation.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('campaign_events').addColumn('message_id', 'text').execute();
  await db.schema.createIndex('campaign_events_message').on('campaign_events').column('message_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('campaign_events_message').execute();
  await db.schema.alterTable('campaign_events').dropColumn('message_id').execute();
}
