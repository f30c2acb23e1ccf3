import type { Kysely } from 'kysely';

// The outbox domain's tables (types in db/tables/outbox.ts).
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
