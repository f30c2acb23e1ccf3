import type { Kysely } from 'kysely';

// The accounts domain's tables (types in db/tables/accounts.ts): second factors, login
// records, unusual-login alerts, failure throttles, invite/reset tokens, and two columns on
// sessions (second-factor state, time of the last full re-authentication).
export async function up(db: Kysely<unknown>): Promise<void> {
  // Existing sessions were opened before second factors existed: they count as complete.
  await db.schema
    .alterTable('sessions')
    .addColumn('second_factor', 'text', (c) => c.notNull().defaultTo('done'))
    .execute();
  await db.schema.alterTable('sessions').addColumn('reauth_at', 'bigint').execute();

  await db.schema
    .createTable('totp_factors')
    .addColumn('user_id', 'text', (c) => c.primaryKey().notNull().references('users.id').onDelete('cascade'))
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'bigint')
    .addColumn('last_counter', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recovery_codes_user_idx').on('recovery_codes').column('user_id').execute();

  await db.schema
    .createTable('login_records')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('country', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('device', 'text')
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('anomalies', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_records_user_at_idx').on('login_records').columns(['user_id', 'at']).execute();
  await db.schema.createIndex('login_records_ip_at_idx').on('login_records').columns(['ip', 'at']).execute();
  await db.schema.createIndex('login_records_at_idx').on('login_records').column('at').execute();

  await db.schema
    .createTable('security_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('login_record_id', 'text', (c) => c.references('login_records.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('emailed_at', 'bigint')
    .execute();
  await db.schema.createIndex('security_alerts_user_idx').on('security_alerts').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('security_alerts_created_idx').on('security_alerts').column('created_at').execute();

  await db.schema
    .createTable('login_throttles')
    .addColumn('key', 'text', (c) => c.primaryKey().notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('locked_until', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('account_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('account_tokens_user_idx').on('account_tokens').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['account_tokens', 'login_throttles', 'security_alerts', 'login_records', 'recovery_codes', 'totp_factors']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('sessions').dropColumn('reauth_at').execute();
  await db.schema.alterTable('sessions').dropColumn('second_factor').execute();
}
