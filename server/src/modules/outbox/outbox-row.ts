import type { Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import type { OutboxMessagesTable } from '../../db/tables/outbox.js';

/** What a new outgoing mail is; the rest of its row starts empty (no attempt, no answer, no bounce). */
export type NewOutboxMessage = Pick<
  OutboxMessagesTable,
  'message_id' | 'message_id_header' | 'conversation_id' | 'mailbox_id' | 'created_by' | 'state' | 'send_after' | 'draft_json'
> &
  Partial<Pick<OutboxMessagesTable, 'id' | 'approval_reasons' | 'automatic_kind'>> & {
    envelope: { from: string; to: string[] };
    now: number;
  };

/** Writes the outbox row of a mail just stored (a person's or Pier's automatic one), in the caller's transaction. */
export async function insertOutboxMessage(trx: Transaction<Database>, input: NewOutboxMessage): Promise<OutboxMessagesTable> {
  const { envelope, now, ...fields } = input;
  const row: OutboxMessagesTable = {
    ...fields,
    id: input.id ?? newId(),
    attempts: 0,
    error_code: null,
    error_detail: null,
    envelope: JSON.stringify(envelope),
    smtp_response: null,
    rejected: '[]',
    sent_at: null,
    sent_copy: 'pending',
    sent_copy_detail: null,
    bounced_at: null,
    bounce_detail: null,
    approval_reasons: input.approval_reasons ?? null,
    automatic_kind: input.automatic_kind ?? null,
    created_at: now,
    updated_at: now,
  };
  await trx.insertInto('outbox_messages').values(row).execute();
  return row;
}
