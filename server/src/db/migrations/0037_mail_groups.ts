import type { Kysely } from 'kysely';

// Mail groups (types in db/tables/mail-groups.ts, decision 0034): a team's routing mode, cap, lead and
// escalation delay, the round-robin cursor (moved in the routing transaction), "away" per member, the
// team a mailbox routes new conversations to, one routing record per conversation (routed once,
// escalated once), and the conversation's escalation mark that the "unassigned too long" view reads.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('teams')
    .addColumn('lead_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .execute();
  await db.schema
    .alterTable('teams')
    .addColumn('routing', 'text', (c) => c.notNull().defaultTo('manual'))
    .execute();
  await db.schema.alterTable('teams').addColumn('open_cap', 'integer').execute();
  await db.schema
    .alterTable('teams')
    .addColumn('escalate_after_hours', 'integer', (c) => c.defaultTo(4))
    .execute();
  await db.schema.alterTable('teams').addColumn('rr_cursor', 'text').execute();
  await db.schema
    .alterTable('teams')
    .addColumn('routing_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('team_members')
    .addColumn('away', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('mailbox_routes')
    .addColumn('mailbox_id', 'text', (c) => c.primaryKey().notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('mailbox_routes_team_idx').on('mailbox_routes').column('team_id').execute();

  await db.schema
    .createTable('conversation_routing')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey().notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('mailbox_id', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('assignee_id', 'text')
    .addColumn('routed_at', 'bigint', (c) => c.notNull())
    .addColumn('escalated_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('conversation_routing_pending_idx')
    .on('conversation_routing')
    .columns(['escalated_at', 'routed_at'])
    .execute();

  await db.schema.alterTable('conversations').addColumn('escalated_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversations').dropColumn('escalated_at').execute();
  await db.schema.dropTable('conversation_routing').execute();
  await db.schema.dropTable('mailbox_routes').execute();
  await db.schema.alterTable('team_members').dropColumn('away').execute();
  for (const column of ['routing_seq', 'rr_cursor', 'escalate_after_hours', 'open_cap', 'routing', 'lead_id']) {
    await db.schema.alterTable('teams').dropColumn(column).execute();
  }
}
