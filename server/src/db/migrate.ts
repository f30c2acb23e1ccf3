import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as m0001 from './migrations/0001_foundation.js';
import * as m0002 from './migrations/0002_mail_engine.js';
import * as m0003 from './migrations/0003_search.js';
import * as m0004 from './migrations/0004_accounts.js';
import * as m0005 from './migrations/0005_audit.js';
import * as m0006 from './migrations/0006_fraud.js';
import * as m0007 from './migrations/0007_inbox.js';
import * as m0008 from './migrations/0008_outbox.js';
import * as m0011 from './migrations/0011_list_line.js';
import * as m0013 from './migrations/0013_fraud_gates.js';
import * as m0014 from './migrations/0014_passkeys.js';
import * as m0015 from './migrations/0015_forwarding_rules.js';
import * as m0016 from './migrations/0016_raw_identity.js';
import * as m0024 from './migrations/0024_loop_guard.js';
import * as m0030 from './migrations/0030_conversation_relations.js';
import * as m0031 from './migrations/0031_mail_categories_auto_reply.js';
import * as m0033 from './migrations/0033_rules.js';
import * as m0035 from './migrations/0035_mailbox_settings.js';
import * as m0036 from './migrations/0036_conversation_sla.js';
import * as m0037 from './migrations/0037_mail_groups.js';
import * as m0039 from './migrations/0039_fraud_trust.js';
import * as m0042 from './migrations/0042_web_push.js';
import * as m0044 from './migrations/0044_manual_forwarding_checks.js';
import * as m0046 from './migrations/0046_sync_progress.js';
import * as m0047 from './migrations/0047_fraud_trust_marks.js';
import * as m0048 from './migrations/0048_signature_logos.js';
import * as m0051 from './migrations/0051_customers.js';
import * as m0052 from './migrations/0052_customer_pools.js';
import * as m0053 from './migrations/0053_api_tokens.js';
import * as m0054 from './migrations/0054_webhooks.js';
import * as m0055 from './migrations/0055_knowledge.js';
import * as m0057 from './migrations/0057_campaigns.js';
import * as m0060 from './migrations/0060_jobs_by_name.js';
import * as m0062 from './migrations/0062_campaign_reply_messages.js';
import * as m0063 from './migrations/0063_campaign_double_opt_in.js';
import * as m0066 from './migrations/0066_search_docs_inline.js';
import * as m0067 from './migrations/0067_sender_history_index.js';
import * as m0068 from './migrations/0068_contact_name_index.js';
import * as m0069 from './migrations/0069_escalated_view_index.js';
import * as m0071 from './migrations/0071_campaign_member_search.js';
import * as m0075 from './migrations/0075_campaign_signup.js';
import * as m0077 from './migrations/0077_campaign_suppression_lifts.js';
import * as m0082 from './migrations/0082_search_gin_pending_list.js';
import { buildOnlineIndexes } from './online-indexes.js';
import type { Database } from './schema.js';

// Listed statically so the compiled build needs no directory scan and the order is explicit.
const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_mail_engine': m0002,
  '0003_search': m0003,
  '0004_accounts': m0004,
  '0005_audit': m0005,
  '0006_fraud': m0006,
  '0007_inbox': m0007,
  '0008_outbox': m0008,
  '0011_list_line': m0011,
  '0013_fraud_gates': m0013,
  '0014_passkeys': m0014,
  '0015_forwarding_rules': m0015,
  '0016_raw_identity': m0016,
  '0024_loop_guard': m0024,
  '0030_conversation_relations': m0030,
  '0031_mail_categories_auto_reply': m0031,
  '0033_rules': m0033,
  '0035_mailbox_settings': m0035,
  '0036_conversation_sla': m0036,
  '0037_mail_groups': m0037,
  '0039_fraud_trust': m0039,
  '0042_web_push': m0042,
  '0044_manual_forwarding_checks': m0044,
  '0046_sync_progress': m0046,
  '0047_fraud_trust_marks': m0047,
  '0048_signature_logos': m0048,
  '0053_api_tokens': m0053,
  '0054_webhooks': m0054,
  '0055_knowledge': m0055,
  '0051_customers': m0051,
  '0052_customer_pools': m0052,
  '0057_campaigns': m0057,
  '0060_jobs_by_name': m0060,
  '0062_campaign_reply_messages': m0062,
  '0063_campaign_double_opt_in': m0063,
  '0066_search_docs_inline': m0066,
  '0067_sender_history_index': m0067,
  '0068_contact_name_index': m0068,
  '0069_escalated_view_index': m0069,
  '0071_campaign_member_search': m0071,
  '0075_campaign_signup': m0075,
  '0077_campaign_suppression_lifts': m0077,
  '0082_search_gin_pending_list': m0082,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  // Migrations see the schema as it was when they were written, not today's types.
  const migrator = new Migrator({
    db: db as unknown as Kysely<unknown>,
    provider,
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
    // Work streams merge in any order: a migration numbered below one already applied
    // (e.g. 0014 arriving after 0015) still runs instead of being refused.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Indexes PostgreSQL builds without locking writers out, outside the migrations' transaction.
  await buildOnlineIndexes(db);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
