/**
 * Tables of the accounts domain (migration 0004_accounts). Kept in their own file so
 * domains grow their part of the schema without touching each other's.
 */
export type AccountsTables = Record<never, never>;
