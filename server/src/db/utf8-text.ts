import { type RawBuilder, sql } from 'kysely';
import type { Engine } from './database.js';

/**
 * A TEXT value given as UTF-8 bytes or as a string. Mail texts cross from the prepare workers as
 * bytes (decision 0045): they never become strings on the main thread, and the engine stores the
 * same TEXT value the string would have been. SQLite reads a BLOB cast to TEXT in the database
 * encoding (UTF-8); PostgreSQL decodes bytea with convert_from.
 */
export function textValue(engine: Engine, value: string | Uint8Array): string | RawBuilder<string> {
  if (typeof value === 'string') return value;
  // A view that crossed a thread is a plain Uint8Array; both drivers bind a Buffer as bytes.
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return engine === 'postgres' ? sql<string>`convert_from(${bytes}, 'UTF8')` : sql<string>`cast(${bytes} as text)`;
}
