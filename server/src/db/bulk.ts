import { type RawBuilder, sql } from 'kysely';

/**
 * Bulk statements for ingest: one multi-row INSERT (or one IN list) instead of a statement per
 * row. Both engines cap the bound parameters of a statement (SQLite 32766, PostgreSQL 65535);
 * staying far below keeps statements small enough for the SQLite statement cache to reuse the
 * shapes of full chunks.
 */
export const MAX_PARAMS_PER_STATEMENT = 8_000;

/** Splits rows into chunks whose statements bind at most MAX_PARAMS_PER_STATEMENT values. */
export function chunksFor<T>(rows: readonly T[], paramsPerRow: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMS_PER_STATEMENT / Math.max(1, paramsPerRow)));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}

/**
 * A text bound as a string, or as UTF-8 bytes (decision 0077: a prepare worker's packed texts)
 * which SQLite stores as the same TEXT value through `cast(? as text)`. SQLite only: PostgreSQL's
 * cast would give the bytea's hex, so its callers decode bytes first.
 */
export function asText(value: string | Buffer): string | RawBuilder<string> {
  return typeof value === 'string' ? value : sql<string>`cast(${value} as text)`;
}
