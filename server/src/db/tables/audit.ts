/**
 * Tables of the audit domain (migration 0005_audit). Kept in their own file so
 * domains grow their part of the schema without touching each other's.
 */
export type AuditTables = Record<never, never>;
