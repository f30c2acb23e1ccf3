import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { z } from 'zod';
import { type Clock, systemClock } from '../../clock.js';
import type { Database, MailboxRow } from '../../db/schema.js';
import type { CampaignRecipientsTable } from '../../db/tables/campaigns.js';
import { type AnyJobHandler, defineJob } from '../../jobs/registry.js';
import { findMailboxById, type HostGuard } from '../mailboxes/index.js';
import type { SmtpTimeouts } from '../outbox/index.js';
import type { SecretBox } from '../security/index.js';
import { CAMPAIGN_SEND_JOB, findCampaign, scheduleSendRun } from './campaigns.js';
import { SENDING_LEASE_MS } from './cancel.js';
import { recordBounce } from './feedback.js';
import { buildCampaignMime } from './mail.js';
import { optInJobHandlers } from './opt-in-send.js';
import { sendMarketingMail, smtpFailureOf } from './smtp-send.js';
import { isSuppressed } from './suppression.js';
import { sendingBudget } from './throttle.js';

export type CampaignWorkerDeps = {
  db: Kysely<Database>;
  secrets: SecretBox;
  hosts?: HostGuard;
  logger: Logger;
  clock?: Clock;
  smtpTimeouts?: SmtpTimeouts;
  /** Signs the unsubscribe links. */
  unsubscribeKey: Buffer;
  /** Pier's public address for the unsubscribe link (PIER_PUBLIC_URL, else where this server listens). */
  publicUrl: () => Promise<string | undefined>;
};

const Payload = z.object({ campaignId: z.string() });
/** A failure before DATA is retried this many times, a minute apart, before the recipient is failed. */
const MAX_ATTEMPTS = 4;

export function campaignJobHandlers(deps: CampaignWorkerDeps): AnyJobHandler[] {
  return [
    defineJob({ name: CAMPAIGN_SEND_JOB, payload: Payload, run: ({ campaignId }) => runCampaignSend(deps, campaignId) }),
    ...optInJobHandlers(deps),
  ];
}

/**
 * One sending run of a campaign: as many mails as the throttle allows now, one SMTP session each,
 * then the next run is queued for when the budget or the next due recipient allows. Exactly once per
 * recipient (decision 0008, per recipient row): `sending` is committed before the session starts, and
 * a run that finds a `sending` row older than the lease (a dead run's) records it `uncertain` and never
 * sends it again; a younger one belongs to a run still in its session (decision 0072).
 */
export async function runCampaignSend(deps: CampaignWorkerDeps, campaignId: string): Promise<void> {
  const { db, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const campaign = await findCampaign(db, campaignId);
  if (!campaign) return;
  // Only a claim older than the lease is a dead run's: a younger one may be another run still inside
  // its SMTP session (a resume right after a pause starts a second run; decision 0072), whose mail
  // would be marked uncertain although it was sent.
  const interrupted = await db
    .updateTable('campaign_recipients')
    .set({ state: 'uncertain', error: 'Pier stopped while this mail was being sent: it may or may not have left' })
    .where('campaign_id', '=', campaignId)
    .where('state', '=', 'sending')
    .where((eb) => eb.or([eb('sent_at', 'is', null), eb('sent_at', '<=', clock.now() - SENDING_LEASE_MS)]))
    .executeTakeFirst();
  if (Number(interrupted.numUpdatedRows) > 0) {
    logger.warn(
      { campaignId, count: Number(interrupted.numUpdatedRows) },
      'campaign sends interrupted earlier: marked uncertain, not resent',
    );
  }
  if (campaign.state !== 'sending') return; // paused or cancelled: resume queues a new run
  const mailbox = await findMailboxById(db, campaign.mailbox_id);
  const baseUrl = await deps.publicUrl();
  if (!mailbox?.smtp_host || mailbox.purpose !== 'marketing' || !baseUrl) {
    const reason = !baseUrl
      ? 'Pier has no public URL for the unsubscribe link'
      : 'the mailbox is gone, has no SMTP or is no marketing mailbox';
    await db.updateTable('campaigns').set({ state: 'paused', updated_at: clock.now() }).where('id', '=', campaignId).execute();
    logger.warn({ campaignId, reason }, 'campaign paused');
    return;
  }
  const links = { baseUrl, key: deps.unsubscribeKey };
  for (;;) {
    const now = clock.now();
    const { budget, retryAt } = await sendingBudget(db, {
      mailboxId: mailbox.id,
      preset: mailbox.preset,
      campaignRate: campaign.rate_per_minute,
      now,
    });
    const next = await db
      .selectFrom('campaign_recipients')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .where('state', '=', 'pending')
      .orderBy('due_at')
      .orderBy('id')
      .limit(Math.max(1, Math.min(budget, 100)))
      .execute();
    if (next.length === 0) {
      // Claims of another run (or of a run that died within the lease) still open: looked at again
      // when their lease ends; that run, if alive, finishes the campaign first.
      const inFlight = await oldestClaim(db, campaignId);
      if (inFlight !== null) return scheduleSendRun(db, campaignId, inFlight + SENDING_LEASE_MS);
      await db
        .updateTable('campaigns')
        .set({ state: 'done', updated_at: now })
        .where('id', '=', campaignId)
        .where('state', '=', 'sending')
        .execute();
      logger.info({ campaignId }, 'campaign sent');
      return;
    }
    const firstDue = Number(next[0]?.due_at);
    if (firstDue > now) return scheduleSendRun(db, campaignId, firstDue);
    if (budget === 0) return scheduleSendRun(db, campaignId, retryAt);
    for (const recipient of next) {
      if (Number(recipient.due_at) > clock.now()) break;
      // Paused meanwhile: stop before the next mail.
      const state = await db.selectFrom('campaigns').select('state').where('id', '=', campaignId).executeTakeFirst();
      if (state?.state !== 'sending') return;
      const retry = await sendOne(deps, mailbox, campaign, recipient, links);
      if (retry) return scheduleSendRun(db, campaignId, clock.now() + 60_000);
    }
  }
}

/** When the oldest recipient still `sending` was claimed, or null when none is. */
async function oldestClaim(db: Kysely<Database>, campaignId: string): Promise<number | null> {
  const row = await db
    .selectFrom('campaign_recipients')
    .select((eb) => eb.fn.min<number | string | null>('sent_at').as('at'))
    .where('campaign_id', '=', campaignId)
    .where('state', '=', 'sending')
    .executeTakeFirst();
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}

/** Sends one recipient's mail; true when the server refused before DATA and the run should wait a minute. */
async function sendOne(
  deps: CampaignWorkerDeps,
  mailbox: MailboxRow,
  campaign: NonNullable<Awaited<ReturnType<typeof findCampaign>>>,
  recipient: CampaignRecipientsTable,
  links: { baseUrl: string; key: Buffer },
): Promise<boolean> {
  const { db, logger } = deps;
  const clock = deps.clock ?? systemClock;
  // Suppressed after the campaign was queued (an unsubscribe from the last campaign, a bounce): never sent.
  if (await isSuppressed(db, recipient.address)) {
    await db
      .updateTable('campaign_recipients')
      .set({ state: 'suppressed' })
      .where('id', '=', recipient.id)
      .where('state', '=', 'pending')
      .execute();
    return false;
  }
  const claimed = await db
    .updateTable('campaign_recipients')
    .set({ state: 'sending', attempts: recipient.attempts + 1, sent_at: clock.now() })
    .where('id', '=', recipient.id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) return false;
  const done = (set: Partial<CampaignRecipientsTable>) =>
    db.updateTable('campaign_recipients').set(set).where('id', '=', recipient.id).where('state', '=', 'sending').execute();
  try {
    const raw = await buildCampaignMime(mailbox, campaign, recipient, links, new Date(clock.now()));
    const accepted = await sendMarketingMail(deps, mailbox, recipient.address, raw);
    await done(
      accepted.rejected.length > 0 ? { state: 'failed', error: `refused: ${accepted.response}`.slice(0, 500) } : { state: 'sent' },
    );
    return false;
  } catch (error) {
    const failure = smtpFailureOf(error);
    if (failure.outcome === 'unknown') {
      await done({ state: 'uncertain', error: failure.message.slice(0, 500) });
      logger.warn({ campaignId: campaign.id, code: failure.code }, 'campaign mail outcome unknown: marked uncertain');
      return false;
    }
    if (failure.permanent || recipient.attempts + 1 >= MAX_ATTEMPTS) {
      await done({ state: 'failed', error: `${failure.code}: ${failure.message}`.slice(0, 500) });
      // The server refused the address itself (5xx to RCPT TO): a hard bounce without a DSN.
      if (failure.code === 'outbox.recipients_refused') {
        await recordBounce(
          db,
          { ...recipient, mailbox_id: mailbox.id },
          true,
          failure.message,
          { conversationId: null, messageId: null },
          clock.now(),
        );
      }
      return false;
    }
    // Not sent (connection refused, 4xx before DATA): back to pending, and the sent_at of this attempt
    // is cleared so the throttle does not count a mail that never left.
    await done({ state: 'pending', sent_at: null, error: `${failure.code}: ${failure.message}`.slice(0, 500) });
    return true;
  }
}
