import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { conversationAssignee } from '../conversations/index.js';
import { notify } from '../notifications/index.js';
import { emitWebhookEvent } from '../webhooks/index.js';
import type { FraudLevel } from './types.js';

/**
 * Tells the person a conversation is assigned to that a mail in it was just flagged (warn or
 * high): kind `fraud_flag`, pushed to their devices when they chose "fraud" (push/kinds.ts).
 * The in-app notice names the conversation; a push carries only the kind and the ids.
 */
export async function notifyAssigneeOfFlag(
  trx: Kysely<Database> | Transaction<Database>,
  input: { conversationId: string; messageId: string; level: FraudLevel },
): Promise<void> {
  if (input.level === 'none') return;
  // The same moment is the fraud.flagged webhook (decision 0049), assigned or not.
  await emitWebhookEvent(trx, 'fraud.flagged', { conversationId: input.conversationId, messageId: input.messageId, level: input.level });
  const conversation = await conversationAssignee(trx, input.conversationId);
  if (!conversation?.assignee_id) return;
  await notify(trx, {
    userId: conversation.assignee_id,
    kind: 'fraud_flag',
    data: { conversationId: input.conversationId, messageId: input.messageId, level: input.level, subject: conversation.subject },
  });
}
