import { createHash } from 'node:crypto';
import type { AuditLogTable } from '../../db/tables/audit.js';

/**
 * The canonical serialisation the audit chain hashes. It must never change for
 * records already written (a change would make every old record look edited), so
 * it is versioned: a future form gets a new prefix and verify picks by prefix.
 *
 * v1: the prefix line `pier-audit-v1`, then a JSON array of the fields in this
 * fixed order, every value a JSON string or null: integers (seq, created_at) as
 * decimal strings, so neither engine's number type nor a float rendering can
 * change the bytes; `details` as the stored canonical-JSON text, verbatim.
 */
export const CANONICAL_PREFIX = 'pier-audit-v1\n';
export const GENESIS_HASH = '0'.repeat(64);

/** Every stored field except the record's own hash. */
export type ChainedFields = Omit<AuditLogTable, 'hash'>;

export function canonicalRecord(r: ChainedFields): string {
  return (
    CANONICAL_PREFIX +
    JSON.stringify([
      r.id,
      integerString(r.seq),
      integerString(r.created_at),
      r.actor_id,
      r.action,
      r.target_type,
      r.target_id,
      r.mailbox_id,
      r.ip,
      r.details,
      r.prev_hash,
    ])
  );
}

export function hashRecord(r: ChainedFields): string {
  return createHash('sha256').update(canonicalRecord(r), 'utf8').digest('hex');
}

function integerString(value: number | string | bigint): string {
  // PostgreSQL drivers may hand back bigint as string; accept both, refuse anything else.
  const text = String(value);
  if (!/^-?\d+$/.test(text)) throw new Error(`audit: expected an integer, got ${text}`);
  return text;
}

/**
 * JSON with object keys sorted (UTF-16 code-unit order, as Array.sort does) at
 * every depth, no whitespace, undefined members dropped, Dates as ISO strings.
 * Refuses values JSON cannot carry faithfully (NaN, Infinity, bigint, functions).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value, 0));
}

function normalise(value: unknown, depth: number): unknown {
  if (depth > 20) throw new Error('audit details nest too deeply');
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('audit details: numbers must be finite');
    return value;
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : normalise(v, depth + 1)));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalise(v, depth + 1);
    }
    return out;
  }
  throw new Error(`audit details: cannot record a ${typeof value}`);
}
