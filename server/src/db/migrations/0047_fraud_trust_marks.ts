import type { Kysely } from 'kysely';

// Admin trust marks (issue 16, decision 0041): besides domains and addresses, a bank account
// (of one company) or a phone number can be vouched for, and any mark can be revoked. A revoked
// mark stays as the record of what was once trusted; only marks without revoked_at count.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('fraud_trusted_parties').addColumn('company_domain', 'text').execute();
  await db.schema.alterTable('fraud_trusted_parties').addColumn('revoked_at', 'bigint').execute();
  await db.schema.alterTable('fraud_trusted_parties').addColumn('revoked_by', 'text').execute();
  await db.schema.alterTable('fraud_trusted_parties').addColumn('revoke_reason', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('fraud_trusted_parties').dropColumn('revoke_reason').execute();
  await db.schema.alterTable('fraud_trusted_parties').dropColumn('revoked_by').execute();
  await db.schema.alterTable('fraud_trusted_parties').dropColumn('revoked_at').execute();
  await db.schema.alterTable('fraud_trusted_parties').dropColumn('company_domain').execute();
}
