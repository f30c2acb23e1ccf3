import type { Kysely, Selectable, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import type { AuditLogTable } from '../../db/tables/audit.js';
import { canonicalJson, GENESIS_HASH, hashRecord } from './canonical.js';

type Db = Kysely<Database> | Transaction<Database>;
export type AuditRecord = Selectable<AuditLogTable>;

/** Who did it and through which door; `via` lands in the record's details. */
export type AuditActor = {
  actorId: string | null;
  ip?: string | null;
  via: 'api' | 'cli' | 'setup' | 'schedule' | 'system';
  /** The API token the request came with (decision 0049): it lands in the record's details. */
  tokenId?: string;
};
export const systemActor: AuditActor = { actorId: null, via: 'system' };

export type AuditEntry = {
  actorId: string | null;
  /** Dotted, lower case: `mailbox.created`, `user.login_failed` … */
  action: string;
  targetType: string;
  targetId?: string | null | undefined;
  mailboxId?: string | null | undefined;
  ip?: string | null | undefined;
  details?: Record<string, unknown> | undefined;
};

const ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/**
 * Appends a record to the audit chain. Inside the caller's transaction the record
 * commits or rolls back with the change it describes; given the plain database it
 * opens its own transaction.
 *
 * One chain under concurrency: the first statement updates the single chain-head
 * row, which takes its row lock (PostgreSQL) or the write lock (SQLite) until the
 * transaction ends. A second appender waits on that lock and, under READ COMMITTED,
 * reads the head as the first one committed it. A rolled-back append rolls the head
 * back too, so sequence numbers have no gaps.
 */
export async function recordAudit(executor: Db, entry: AuditEntry): Promise<AuditRecord> {
  if (!executor.isTransaction) return (executor as Kysely<Database>).transaction().execute((trx) => append(trx, entry));
  return append(executor, entry);
}

/** Shorthand for the usual case: an actor acting on one target. */
export function recordAuditBy(executor: Db, actor: AuditActor, entry: Omit<AuditEntry, 'actorId' | 'ip'>): Promise<AuditRecord> {
  return recordAudit(executor, {
    ...entry,
    actorId: actor.actorId,
    ip: actor.ip ?? null,
    details: { ...entry.details, via: actor.via, ...(actor.tokenId ? { tokenId: actor.tokenId } : {}) },
  });
}

async function append(trx: Db, entry: AuditEntry): Promise<AuditRecord> {
  if (!ACTION.test(entry.action)) throw new Error(`audit action "${entry.action}" is not dotted lower case`);
  const details = canonicalJson(entry.details ?? {});
  const head = await trx
    .updateTable('audit_chain')
    .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
    .where('id', '=', 'main')
    .returning(['last_seq', 'last_hash'])
    .executeTakeFirst();
  if (!head) throw new Error('audit chain head is missing (migration 0005_audit not applied?)');
  const fields = {
    id: newId(),
    seq: Number(head.last_seq),
    // Taken after the lock, so the time order follows the chain order (clock permitting).
    created_at: Date.now(),
    actor_id: entry.actorId,
    action: entry.action,
    target_type: entry.targetType,
    target_id: entry.targetId ?? null,
    mailbox_id: entry.mailboxId ?? null,
    ip: entry.ip ?? null,
    details,
    prev_hash: head.last_hash,
  };
  const record: AuditRecord = { ...fields, hash: hashRecord(fields) };
  await trx.insertInto('audit_log').values(record).execute();
  await trx.updateTable('audit_chain').set({ last_hash: record.hash, updated_at: record.created_at }).where('id', '=', 'main').execute();
  return record;
}

export type ChainProblem = {
  kind: 'edited' | 'missing' | 'out_of_order' | 'truncated' | 'head_mismatch';
  seq: number;
  id: string | null;
  message: string;
};
export type ChainReport = { ok: boolean; records: number; headSeq: number; headHash: string; problems: ChainProblem[] };

const PAGE = 1000;
const MAX_PROBLEMS = 1000;

/**
 * Walks the chain in sequence order and reports every break:
 * - edited: a record's stored hash is not the hash of its fields (any column changed);
 * - missing: sequence numbers skip (records removed from the middle);
 * - out_of_order: a record's prev_hash names a record other than the one before it
 *   (records swapped, moved, or inserted);
 * - truncated / head_mismatch: the chain head promises records that are not there.
 * Removing the newest records AND rewriting the head row consistently cannot be seen
 * from inside the database: anchor the printed head hash outside (a ticket, a mail).
 */
export async function verifyAuditChain(db: Kysely<Database>): Promise<ChainReport> {
  const problems: ChainProblem[] = [];
  const report = (p: ChainProblem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const head = await db.selectFrom('audit_chain').selectAll().where('id', '=', 'main').executeTakeFirst();
  let expectedSeq = 1;
  let previous: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH };
  let records = 0;
  for (;;) {
    const page = await db.selectFrom('audit_log').selectAll().where('seq', '>', previous.seq).orderBy('seq').limit(PAGE).execute();
    for (const row of page) {
      const seq = Number(row.seq);
      records++;
      if (seq > expectedSeq) {
        report({
          kind: 'missing',
          seq: expectedSeq,
          id: null,
          message:
            seq - expectedSeq === 1
              ? `record #${expectedSeq} is missing (removed)`
              : `records #${expectedSeq}–#${seq - 1} are missing (removed)`,
        });
      }
      if (hashRecord(row) !== row.hash) {
        report({
          kind: 'edited',
          seq,
          id: row.id,
          message: `record #${seq} (${row.id}, ${row.action}) was edited: its content no longer matches its hash`,
        });
      }
      if (row.prev_hash !== previous.hash) {
        const linked = await db.selectFrom('audit_log').select('seq').where('hash', '=', row.prev_hash).executeTakeFirst();
        report({
          kind: 'out_of_order',
          seq,
          id: row.id,
          message: linked
            ? `record #${seq} (${row.id}) should follow record #${Number(linked.seq)}, but follows #${previous.seq}: records were reordered`
            : `record #${seq} (${row.id}) does not follow the record before it (#${previous.seq}): a record before it was removed, replaced or inserted`,
        });
      }
      previous = { seq, hash: row.hash };
      expectedSeq = seq + 1;
    }
    if (page.length < PAGE) break;
  }
  const headSeq = head ? Number(head.last_seq) : 0;
  const headHash = head?.last_hash ?? GENESIS_HASH;
  if (!head) {
    report({ kind: 'head_mismatch', seq: 0, id: null, message: 'the chain head row is missing' });
  } else if (headSeq > previous.seq) {
    report({
      kind: 'truncated',
      seq: previous.seq + 1,
      id: null,
      message: `the newest records #${previous.seq + 1}–#${headSeq} are missing (removed from the end)`,
    });
  } else if (headSeq !== previous.seq || headHash !== previous.hash) {
    report({
      kind: 'head_mismatch',
      seq: previous.seq,
      id: null,
      message: `the chain head (#${headSeq}) does not match the newest record (#${previous.seq})`,
    });
  }
  return { ok: problems.length === 0, records, headSeq, headHash, problems };
}
