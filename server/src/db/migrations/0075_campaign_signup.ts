import type { Kysely } from 'kysely';

// A public sign-up form per static list (issue 21, decision 0071): the list's switch, the random slug
// of its public URL and the page's title and intro; per member the requester's IP and browser when it
// came by the form; the attempts the rate limits count, in the database so they hold across nodes.
// Expand-only: new columns are nullable or defaulted, so a node of the release before keeps working.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('campaign_lists')
    .addColumn('signup_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  for (const column of ['signup_slug', 'signup_title', 'signup_intro'])
    await db.schema.alterTable('campaign_lists').addColumn(column, 'text').execute();
  await db.schema.createIndex('campaign_lists_signup_slug').unique().on('campaign_lists').column('signup_slug').execute();
  for (const column of ['signup_ip', 'signup_user_agent'])
    await db.schema.alterTable('campaign_list_members').addColumn(column, 'text').execute();
  await db.schema
    .createTable('campaign_signup_attempts')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('campaign_signup_attempts_key').on('campaign_signup_attempts').columns(['key', 'at']).execute();
  await db.schema.createIndex('campaign_signup_attempts_at').on('campaign_signup_attempts').column('at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('campaign_signup_attempts').execute();
  await db.schema.dropIndex('campaign_lists_signup_slug').execute();
  for (const column of ['signup_ip', 'signup_user_agent']) await db.schema.alterTable('campaign_list_members').dropColumn(column).execute();
  for (const column of ['signup_enabled', 'signup_slug', 'signup_title', 'signup_intro'])
    await db.schema.alterTable('campaign_lists').dropColumn(column).execute();
}
