import type { Kysely } from 'kysely';

// The inbox domain's tables (types in db/tables/inbox.ts).
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
