/**
 * Tables of the fraud domain (migration 0006_fraud). Kept in their own file so
 * domains grow their part of the schema without touching each other's.
 */
export type FraudTables = Record<never, never>;
