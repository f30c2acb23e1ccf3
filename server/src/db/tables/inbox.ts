/**
 * Tables of the inbox domain (migration 0007_inbox). Kept in their own file so
 * domains grow their part of the schema without touching each other's.
 */
export type InboxTables = Record<never, never>;
