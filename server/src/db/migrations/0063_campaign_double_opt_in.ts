import type { Kysely } from 'kysely';

// Double opt-in, optional per static list (issue 21, decision 0059): the list's setting and the
// mailbox its confirmation mails go from; per member its confirmation state, the mail's exactly-once
// state (decision 0008's protocol), and the consent evidence of the click (time, IP, user agent).
// Expand-only: every new column is nullable or defaulted, so a node of the release before keeps
// inserting members (they count as single opt-in, as before).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('campaign_lists')
    .addColumn('double_opt_in', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('campaign_lists').addColumn('opt_in_mailbox_id', 'text').execute();
  for (const [name, type] of [
    ['opt_in_state', 'text'],
    ['opt_in_id', 'text'],
    ['opt_in_language', 'text'],
    ['opt_in_mail_state', 'text'],
    ['opt_in_sent_at', 'bigint'],
    ['opt_in_error', 'text'],
    ['confirmed_at', 'bigint'],
    ['confirmed_ip', 'text'],
    ['confirmed_user_agent', 'text'],
  ] as const) {
    await db.schema.alterTable('campaign_list_members').addColumn(name, type).execute();
  }
  await db.schema
    .alterTable('campaign_list_members')
    .addColumn('opt_in_mails', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('campaign_list_members_opt_in_id').unique().on('campaign_list_members').column('opt_in_id').execute();
  await db.schema
    .createIndex('campaign_list_members_opt_in_mail')
    .on('campaign_list_members')
    .columns(['list_id', 'opt_in_mail_state'])
    .execute();
  await db.schema.createIndex('campaign_list_members_opt_in_sent').on('campaign_list_members').column('opt_in_sent_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('campaign_list_members_opt_in_sent').execute();
  await db.schema.dropIndex('campaign_list_members_opt_in_mail').execute();
  await db.schema.dropIndex('campaign_list_members_opt_in_id').execute();
  for (const name of [
    'opt_in_mails',
    'confirmed_user_agent',
    'confirmed_ip',
    'confirmed_at',
    'opt_in_error',
    'opt_in_sent_at',
    'opt_in_mail_state',
    'opt_in_language',
    'opt_in_id',
    'opt_in_state',
  ]) {
    await db.schema.alterTable('campaign_list_members').dropColumn(name).execute();
  }
  await db.schema.alterTable('campaign_lists').dropColumn('opt_in_mailbox_id').execute();
  await db.schema.alterTable('campaign_lists').dropColumn('double_opt_in').execute();
}
