import type { AuditQuery, AuditRecordDto } from '@pier/contracts';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';

type Filters = Omit<AuditQuery, 'limit' | 'before'>;

/** Audit records matching the filters, newest first, with the actor and mailbox named (both may be gone). */
export async function queryAuditLog(
  db: Kysely<Database>,
  filters: Filters,
  page: { before?: number | undefined; limit: number },
): Promise<AuditRecordDto[]> {
  const rows = await db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .leftJoin('mailboxes as m', 'm.id', 'a.mailbox_id')
    .select([
      'a.id',
      'a.seq',
      'a.created_at',
      'a.actor_id',
      'a.action',
      'a.target_type',
      'a.target_id',
      'a.mailbox_id',
      'a.ip',
      'a.details',
      'a.hash',
      'u.name as actor_name',
      'u.email as actor_email',
      'm.address as mailbox_address',
    ])
    .$if(filters.actorId !== undefined, (q) => q.where('a.actor_id', '=', filters.actorId as string))
    .$if(filters.action !== undefined, (q) => {
      const action = filters.action as string;
      // A trailing dot asks for the whole family: `mailbox.` → mailbox.created, mailbox.removed …
      // substr, not LIKE: `_` is a LIKE wildcard and the engines escape it differently.
      return action.endsWith('.')
        ? q.where(sql<string>`substr(a.action, 1, ${action.length})`, '=', action)
        : q.where('a.action', '=', action);
    })
    .$if(filters.targetType !== undefined, (q) => q.where('a.target_type', '=', filters.targetType as string))
    .$if(filters.targetId !== undefined, (q) => q.where('a.target_id', '=', filters.targetId as string))
    .$if(filters.mailboxId !== undefined, (q) => q.where('a.mailbox_id', '=', filters.mailboxId as string))
    .$if(filters.from !== undefined, (q) => q.where('a.created_at', '>=', filters.from as number))
    .$if(filters.to !== undefined, (q) => q.where('a.created_at', '<', filters.to as number))
    .$if(page.before !== undefined, (q) => q.where('a.seq', '<', page.before as number))
    .orderBy('a.seq', 'desc')
    .limit(page.limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    seq: Number(r.seq),
    createdAt: Number(r.created_at),
    actorId: r.actor_id,
    actor: r.actor_id && r.actor_email ? { id: r.actor_id, name: r.actor_name ?? '', email: r.actor_email } : null,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    mailboxId: r.mailbox_id,
    mailboxAddress: r.mailbox_address ?? null,
    ip: r.ip,
    details: JSON.parse(r.details) as Record<string, unknown>,
    hash: r.hash,
  }));
}
