import type { Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../audit/index.js';
import { suppressAddress } from './suppression.js';
import { verifyUnsubscribeToken } from './tokens.js';

/** The recipient a token names, with what the confirmation page may show (the sender, the address masked). */
export async function recipientOfToken(db: Kysely<Database>, key: Buffer, token: string) {
  const recipientId = verifyUnsubscribeToken(key, token);
  if (!recipientId) return null;
  const row = await db
    .selectFrom('campaign_recipients')
    .innerJoin('campaigns', 'campaigns.id', 'campaign_recipients.campaign_id')
    .select(['campaign_recipients.id', 'campaign_recipients.address', 'campaign_recipients.campaign_id', 'campaigns.mailbox_id'])
    .where('campaign_recipients.id', '=', recipientId)
    .executeTakeFirst();
  return row ?? null;
}

/** "b***@customer.test": enough for the reader to know it is theirs, not enough to learn an address from a leaked link. */
export function maskAddress(address: string): string {
  const [local = '', domain = ''] = address.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

/**
 * Unsubscribes the recipient a token names, at once: the address joins the suppression list (no
 * campaign can mail it again, queued ones included), the recipient row and the campaign's counts
 * show it, and the audit log records it (who by token, which campaign, from where). Idempotent.
 */
export async function unsubscribeByToken(
  db: Kysely<Database>,
  key: Buffer,
  input: { token: string; via: 'one_click' | 'page' | 'mailto'; ip: string | null; now: number },
): Promise<{ ok: boolean; address?: string }> {
  const recipient = await recipientOfToken(db, key, input.token);
  if (!recipient) return { ok: false };
  await db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('campaign_recipients')
      .set({ unsubscribed_at: input.now })
      .where('id', '=', recipient.id)
      .where('unsubscribed_at', 'is', null)
      .executeTakeFirst();
    const added = await suppressAddress(trx, {
      address: recipient.address,
      reason: 'unsubscribed',
      campaignId: recipient.campaign_id,
      detail: input.via,
      now: input.now,
    });
    if (Number(changed.numUpdatedRows) === 0 && !added) return;
    await trx
      .insertInto('campaign_events')
      .values({
        id: newId(),
        campaign_id: recipient.campaign_id,
        recipient_id: recipient.id,
        address: recipient.address,
        kind: 'unsubscribe',
        conversation_id: null,
        detail: input.via,
        created_at: input.now,
      })
      .execute();
    await recordAudit(trx, {
      actorId: null,
      action: 'campaign.unsubscribed',
      targetType: 'campaign',
      targetId: recipient.campaign_id,
      mailboxId: recipient.mailbox_id,
      ip: input.ip,
      details: { address: recipient.address, recipientId: recipient.id, via: input.via },
    });
  });
  return { ok: true, address: recipient.address };
}
