import { PostgresAdapter, sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * Makes a count-then-insert decision atomic across nodes: takes PostgreSQL transaction-level
 * advisory locks on the given keys, so a second transaction deciding on any of them waits until the
 * first commits, and its next statement (READ COMMITTED) sees the first one's rows. The keys are
 * taken in sorted order so two deciders never wait on each other crosswise. SQLite has one writer
 * and Pier one connection to it: its transactions already run one after another.
 */
export async function lockDecision(trx: Transaction<Database>, keys: readonly string[]): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const key of [...new Set(keys)].sort()) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
  }
}
