import { findPreset } from '@pier/contracts';
import type { Kysely } from 'kysely';
import { newId } from '../../../db/ids.js';
import type { Database, MailboxRow } from '../../../db/schema.js';
import { userDisplayNames } from '../../workspace/index.js';
import { recordAudit } from '../audit-log.js';

/**
 * Providers without ManageSieve (Tencent Exmail, Alibaba Mail; `noManageSieve` in their preset):
 * the forwarding audit cannot read the mailbox's rules, so an admin checks the provider's console
 * by hand and records it here: when, who, whether forwarding was found, a note. Each record is
 * also an audit entry; the last one per mailbox shows on the forwarding page and in the quarterly
 * report.
 */
export function hasNoManageSieve(preset: string): boolean {
  return findPreset(preset)?.noManageSieve === true;
}

export async function recordManualForwardingCheck(
  db: Kysely<Database>,
  mailbox: Pick<MailboxRow, 'id' | 'address'>,
  input: { forwardingFound: boolean; note: string },
  actorId: string,
  now: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('forwarding_manual_checks')
      .values({
        id: newId(),
        mailbox_id: mailbox.id,
        checked_at: now,
        checked_by: actorId,
        forwarding_found: input.forwardingFound ? 1 : 0,
        note: input.note,
      })
      .execute();
    await recordAudit(trx, {
      actorId,
      action: 'forwarding.manual_check_recorded',
      targetType: 'mailbox',
      targetId: mailbox.id,
      mailboxId: mailbox.id,
      details: { mailbox: mailbox.address, forwardingFound: input.forwardingFound, note: input.note },
    });
  });
}

export type ManualCheck = { checkedAt: number; checkedBy: string; forwardingFound: boolean; note: string };

/** The last by-hand check of each mailbox (checked before `until`, when given), with the checker's name. */
export async function lastManualChecks(db: Kysely<Database>, until?: number): Promise<Map<string, ManualCheck>> {
  const rows = await db
    .selectFrom('forwarding_manual_checks as c')
    .select(['c.mailbox_id', 'c.checked_at', 'c.checked_by', 'c.forwarding_found', 'c.note'])
    .$if(until !== undefined, (qb) => qb.where('c.checked_at', '<', until ?? 0))
    .orderBy('c.checked_at', 'desc')
    .execute();
  const last = new Map<string, ManualCheck>();
  for (const r of rows) {
    if (last.has(r.mailbox_id)) continue;
    last.set(r.mailbox_id, {
      checkedAt: Number(r.checked_at),
      checkedBy: r.checked_by,
      forwardingFound: Number(r.forwarding_found) === 1,
      note: r.note,
    });
  }
  // Names through the workspace module (it owns users); someone since removed shows as "—".
  const names = await userDisplayNames(
    db,
    [...last.values()].map((c) => c.checkedBy),
  );
  for (const check of last.values()) check.checkedBy = names.get(check.checkedBy) ?? '—';
  return last;
}
