import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';
import { findCampaign, scheduleSendRun } from './campaigns.js';

/**
 * How long a recipient claimed for sending (`sending`) may stay so before a run takes the process that
 * claimed it for dead: longer than the SMTP timeouts of a session (30 s to connect, 120 s per reply).
 */
export const SENDING_LEASE_MS = 10 * 60_000;

/**
 * Cancels a campaign that is scheduled, sending or paused (decision 0068): in one transaction the
 * campaign turns `cancelled` and every recipient still `pending` turns `cancelled` (never sent), and
 * the cancel is audited. Exactly once holds because a run claims a recipient with a conditional
 * `pending → sending` update: a claim that lost to the cancel sends nothing; a recipient claimed
 * before it is in an SMTP session and ends `sent`, `failed` or `uncertain` like any other. A run
 * queued after the lease marks such a claim `uncertain` if its process died meanwhile.
 */
export async function cancelCampaign(
  db: Kysely<Database>,
  input: { id: string; actor: AuditActor; now: number },
): Promise<{ cancelled: number; inFlight: number }> {
  return db.transaction().execute(async (trx) => {
    const campaign = await findCampaign(trx, input.id);
    if (!campaign) throw new AppError('campaign.not_found', 404, 'no such campaign');
    const changed = await trx
      .updateTable('campaigns')
      .set({ state: 'cancelled', updated_at: input.now })
      .where('id', '=', campaign.id)
      .where('state', 'in', ['sending', 'paused'])
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) === 0)
      throw new AppError(
        'campaign.invalid_state',
        409,
        `the campaign is ${campaign.state}: only a scheduled, sending or paused one is cancelled`,
      );
    const dropped = await trx
      .updateTable('campaign_recipients')
      .set({ state: 'cancelled' })
      .where('campaign_id', '=', campaign.id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    const inFlight = await trx
      .selectFrom('campaign_recipients')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('campaign_id', '=', campaign.id)
      .where('state', '=', 'sending')
      .executeTakeFirstOrThrow();
    const result = { cancelled: Number(dropped.numUpdatedRows), inFlight: Number(inFlight.n) };
    await recordAuditBy(trx, input.actor, {
      action: 'campaign.cancelled',
      targetType: 'campaign',
      targetId: campaign.id,
      mailboxId: campaign.mailbox_id,
      details: { subject: campaign.subject, from: campaign.state, ...result },
    });
    if (result.inFlight > 0) await scheduleSendRun(trx, campaign.id, input.now + SENDING_LEASE_MS);
    return result;
  });
}
