import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { enqueueJob } from '../../jobs/queue.js';
import { SEND_JOB, sendJobKey } from './queue-send.js';

/**
 * A second approver's decision on mail held for approval (decision 0015): approved, it is scheduled
 * to leave now; rejected, it never leaves. The fraud module decides and records the approval; the
 * mail is this module's, so the change is here (passed to fraud's routes by http.ts). Conditional on
 * the state, so two approvers clicking at once decide once: false when it was not waiting.
 */
export async function settleAwaitingApproval(
  trx: Transaction<Database>,
  input: { outboxId: string; approved: boolean; at: number },
): Promise<boolean> {
  const { outboxId, approved, at } = input;
  const moved = await trx
    .updateTable('outbox_messages')
    .set(approved ? { state: 'scheduled', send_after: at, updated_at: at } : { state: 'rejected', updated_at: at })
    .where('id', '=', outboxId)
    .where('state', '=', 'awaiting_approval')
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 0) return false;
  if (approved) await enqueueJob(trx, { name: SEND_JOB, payload: { outboxId }, runAt: at, dedupeKey: sendJobKey(outboxId, 0) });
  return true;
}
