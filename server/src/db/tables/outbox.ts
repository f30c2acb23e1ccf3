/**
 * Tables of the outbox domain (migration 0008_outbox). Kept in their own file so
 * domains grow their part of the schema without touching each other's.
 */
export type OutboxTables = Record<never, never>;
