import type { Kysely } from 'kysely';

// The accounts domain's tables (types in db/tables/accounts.ts).
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
