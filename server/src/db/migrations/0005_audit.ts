import type { Kysely } from 'kysely';

// The audit domain's tables (types in db/tables/audit.ts).
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
