import type { Kysely } from 'kysely';

// Urgent jobs first (decision 0056): the worker first claims the due jobs of a few names (a reply
// being sent, a sign-in mail) before the rest, so a reply does not wait behind the thousands of
// jobs an initial sync queues. This index lets that claim find them without walking the backlog.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('jobs_name_due_idx').on('jobs').columns(['name', 'state', 'run_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('jobs_name_due_idx').execute();
}
