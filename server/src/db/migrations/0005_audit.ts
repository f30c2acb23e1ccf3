import { type Kysely, PostgresAdapter, sql } from 'kysely';

// The audit domain's tables (types in db/tables/audit.ts). No foreign keys from
// the log: history outlives the users and mailboxes it names.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('mailbox_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  // Append-only in the database too: the application never updates or deletes a record, so
  // a trigger refusing both stops mistakes and casual edits. Someone who can drop the trigger
  // can still edit rows; the hash chain is what makes that visible (`pier audit verify`).
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_log is append-only'; end $$`.execute(db);
    await sql`create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function audit_log_append_only()`.execute(db);
  } else {
    await sql`create trigger audit_log_no_update before update on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
    await sql`create trigger audit_log_no_delete before delete on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  }
  // verify looks a broken link's prev_hash up to tell "reordered" from "removed".
  await db.schema.createIndex('audit_log_hash_idx').on('audit_log').column('hash').execute();
  await db.schema.createIndex('audit_log_created_idx').on('audit_log').column('created_at').execute();
  await db.schema.createIndex('audit_log_actor_idx').on('audit_log').columns(['actor_id', 'created_at']).execute();
  await db.schema.createIndex('audit_log_action_idx').on('audit_log').columns(['action', 'created_at']).execute();
  await db.schema.createIndex('audit_log_mailbox_idx').on('audit_log').columns(['mailbox_id', 'created_at']).execute();
  await db.schema.createIndex('audit_log_target_idx').on('audit_log').columns(['target_id', 'created_at']).execute();

  await db.schema
    .createTable('audit_chain')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('last_hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db
    .insertInto('audit_chain' as never)
    .values({ id: 'main', last_seq: 0, last_hash: '0'.repeat(64), updated_at: Date.now() } as never)
    .execute();

  await db.schema
    .createTable('sieve_findings')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('script_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('external', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sieve_findings_unique')
    .on('sieve_findings')
    .columns(['mailbox_id', 'script_name', 'kind', 'target'])
    .unique()
    .execute();

  await db.schema
    .createTable('mailbox_sieve')
    .addColumn('mailbox_id', 'text', (c) => c.primaryKey().notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('port', 'integer', (c) => c.notNull())
    .addColumn('tls', 'text', (c) => c.notNull())
    .addColumn('last_checked_at', 'bigint')
    .addColumn('last_status', 'text')
    .addColumn('last_error', 'text')
    .execute();

  await db.schema
    .createTable('audit_reports')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('period_start', 'bigint', (c) => c.notNull())
    .addColumn('period_end', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_reports_created_idx').on('audit_reports').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_reports').execute();
  await db.schema.dropTable('mailbox_sieve').execute();
  await db.schema.dropTable('sieve_findings').execute();
  await db.schema.dropTable('audit_chain').execute();
  await db.schema.dropTable('audit_log').execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`drop function if exists audit_log_append_only()`.execute(db);
}
