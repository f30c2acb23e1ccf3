import type { Kysely } from 'kysely';

// The fraud domain's tables (types in db/tables/fraud.ts).
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
