import MailComposer from 'nodemailer/lib/mail-composer';
import { z } from 'zod';
import { systemClock } from '../../clock.js';
import type { MailboxRow } from '../../db/schema.js';
import type { CampaignListMembersTable, CampaignListsTable } from '../../db/tables/campaigns.js';
import { type AnyJobHandler, defineJob } from '../../jobs/registry.js';
import { findMailboxById } from '../mailboxes/index.js';
import { findListById } from './lists.js';
import { OPT_IN_SEND_JOB, scheduleOptInSend } from './opt-in.js';
import { optInMailContent } from './opt-in-page.js';
import { OPT_IN_TOKEN_TTL_MS, signOptInToken } from './opt-in-token.js';
import type { CampaignWorkerDeps } from './send-job.js';
import { sendMarketingMail, smtpFailureOf } from './smtp-send.js';
import { isSuppressed } from './suppression.js';
import { sendingBudget } from './throttle.js';

/**
 * Sending the double opt-in confirmation mails (decision 0059): from the list's marketing mailbox
 * through its SMTP with the outbox's `sendRawMail`, throttled with the campaigns under the same
 * provider caps, exactly once per request by decision 0008's protocol on the member row: `queued →
 * sending` committed before the SMTP session, then `sent | failed | uncertain`. A row left `sending`
 * longer than SENDING_LEASE_MS (the process died mid-session) is recorded `uncertain` and never
 * resent on its own; an admin may resend it from the page. A suppressed address gets none.
 */
const SENDING_LEASE_MS = 10 * 60_000;
const Payload = z.object({ listId: z.string() });

export function optInJobHandlers(deps: CampaignWorkerDeps): AnyJobHandler[] {
  return [defineJob({ name: OPT_IN_SEND_JOB, payload: Payload, run: ({ listId }) => runOptInSend(deps, listId) })];
}

export const confirmationUrl = (baseUrl: string, key: Buffer, optInId: string, expiresAt: number) =>
  `${baseUrl.replace(/\/+$/, '')}/confirm-subscription/${signOptInToken(key, optInId, expiresAt)}`;

/** One run over a list's queued confirmation mails: as many as the mailbox's caps allow now, then a next run when due. */
export async function runOptInSend(deps: CampaignWorkerDeps, listId: string): Promise<void> {
  const { db, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const interrupted = await db
    .updateTable('campaign_list_members')
    .set({ opt_in_mail_state: 'uncertain', opt_in_error: 'Pier stopped while this mail was being sent: it may or may not have left' })
    .where('list_id', '=', listId)
    .where('opt_in_mail_state', '=', 'sending')
    .where('opt_in_sent_at', '<', clock.now() - SENDING_LEASE_MS)
    .executeTakeFirst();
  if (Number(interrupted.numUpdatedRows) > 0)
    logger.warn(
      { listId, count: Number(interrupted.numUpdatedRows) },
      'confirmation mails interrupted earlier: marked uncertain, not resent',
    );
  const list = await findListById(db, listId);
  // Turned off: imported members' mails wait (turning it on queues a run); those who asked by the
  // public sign-up form (decision 0071) get theirs whatever the list's own setting.
  if (!list?.opt_in_mailbox_id) return;
  const signupsOnly = list.double_opt_in !== 1;
  const mailbox = await findMailboxById(db, list.opt_in_mailbox_id);
  const baseUrl = await deps.publicUrl();
  if (!mailbox?.smtp_host || mailbox.purpose !== 'marketing' || !baseUrl) {
    logger.warn({ listId }, 'confirmation mails wait: no public URL, or the mailbox is gone, has no SMTP or is no marketing mailbox');
    return;
  }
  for (;;) {
    const now = clock.now();
    const { budget, retryAt } = await sendingBudget(db, { mailboxId: mailbox.id, preset: mailbox.preset, campaignRate: 10_000, now });
    const next = await db
      .selectFrom('campaign_list_members')
      .selectAll()
      .where('list_id', '=', listId)
      .where('opt_in_mail_state', '=', 'queued')
      .$if(signupsOnly, (q) => q.where('signup_ip', 'is not', null))
      .orderBy('added_at')
      .orderBy('address')
      .limit(Math.max(1, Math.min(budget, 100)))
      .execute();
    if (next.length === 0) return settleLater(deps, listId);
    if (budget === 0) return scheduleOptInSend(db, listId, retryAt);
    for (const member of next) {
      const retry = await sendConfirmation(deps, mailbox, list, member, baseUrl);
      if (retry) return scheduleOptInSend(db, listId, clock.now() + 5 * 60_000);
    }
  }
}

/** Rows another run is sending now: look again when their lease is over (uncertain if still `sending`). */
async function settleLater(deps: CampaignWorkerDeps, listId: string): Promise<void> {
  const row = await deps.db
    .selectFrom('campaign_list_members')
    .select((eb) => eb.fn.min('opt_in_sent_at').as('oldest'))
    .where('list_id', '=', listId)
    .where('opt_in_mail_state', '=', 'sending')
    .executeTakeFirst();
  if (row?.oldest !== null && row?.oldest !== undefined)
    await scheduleOptInSend(deps.db, listId, Number(row.oldest) + SENDING_LEASE_MS + 1);
}

/** Sends one member's confirmation mail; true when the server refused before DATA and the run should wait. */
async function sendConfirmation(
  deps: CampaignWorkerDeps,
  mailbox: MailboxRow,
  list: CampaignListsTable,
  member: CampaignListMembersTable,
  baseUrl: string,
): Promise<boolean> {
  const { db, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const where = { list_id: list.id, address: member.address };
  if (member.opt_in_state !== 'pending' || !member.opt_in_id) {
    await db
      .updateTable('campaign_list_members')
      .set({ opt_in_mail_state: null })
      .where('list_id', '=', where.list_id)
      .where('address', '=', where.address)
      .where('opt_in_mail_state', '=', 'queued')
      .execute();
    return false;
  }
  // Unsubscribed, bounced or complained (now or before the import): no confirmation mail either.
  if (await isSuppressed(db, member.address)) {
    await db
      .updateTable('campaign_list_members')
      .set({ opt_in_mail_state: 'suppressed' })
      .where('list_id', '=', where.list_id)
      .where('address', '=', where.address)
      .where('opt_in_mail_state', '=', 'queued')
      .execute();
    return false;
  }
  const now = clock.now();
  const claimed = await db
    .updateTable('campaign_list_members')
    .set({ opt_in_mail_state: 'sending', opt_in_mails: member.opt_in_mails + 1, opt_in_sent_at: now })
    .where('list_id', '=', where.list_id)
    .where('address', '=', where.address)
    .where('opt_in_mail_state', '=', 'queued')
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) return false;
  const done = (set: Partial<CampaignListMembersTable>) =>
    db
      .updateTable('campaign_list_members')
      .set(set)
      .where('list_id', '=', where.list_id)
      .where('address', '=', where.address)
      .where('opt_in_mail_state', '=', 'sending')
      .execute();
  try {
    const raw = await buildConfirmationMime(
      mailbox,
      member,
      confirmationUrl(baseUrl, deps.unsubscribeKey, member.opt_in_id, now + OPT_IN_TOKEN_TTL_MS),
      member.opt_in_mails + 1,
      new Date(now),
    );
    const accepted = await sendMarketingMail(deps, mailbox, member.address, raw);
    await done(
      accepted.rejected.length > 0
        ? { opt_in_mail_state: 'failed', opt_in_error: `refused: ${accepted.response}`.slice(0, 500) }
        : { opt_in_mail_state: 'sent', opt_in_error: null },
    );
    return false;
  } catch (error) {
    const failure = smtpFailureOf(error);
    const message = `${failure.code}: ${failure.message}`.slice(0, 500);
    if (failure.outcome === 'unknown') {
      await done({ opt_in_mail_state: 'uncertain', opt_in_error: message });
      logger.warn({ listId: list.id, code: failure.code }, 'confirmation mail outcome unknown: marked uncertain');
      return false;
    }
    // Refused for good, or refused twice in a row before DATA: failed (an admin may resend later).
    if (failure.permanent || member.opt_in_error !== null) {
      await done({ opt_in_mail_state: 'failed', opt_in_error: message });
      return false;
    }
    // Not sent: queued again once, the attempt not counted (nor in the throttle's window).
    await done({
      opt_in_mail_state: 'queued',
      opt_in_mails: member.opt_in_mails,
      opt_in_sent_at: member.opt_in_sent_at,
      opt_in_error: message,
    });
    return true;
  }
}

/**
 * The confirmation mail: From and Reply-To the marketing mailbox, in the member's language, the
 * signed link in both parts; `Auto-Submitted: auto-generated` (RFC 3834) so no autoresponder answers it.
 */
export async function buildConfirmationMime(
  mailbox: Pick<MailboxRow, 'address' | 'display_name'>,
  member: Pick<CampaignListMembersTable, 'address' | 'name' | 'opt_in_id' | 'opt_in_language'>,
  url: string,
  attempt: number,
  date: Date,
): Promise<Buffer> {
  const sender = mailbox.display_name || mailbox.address;
  const content = optInMailContent(member.opt_in_language ?? 'en', sender, url);
  const composer = new MailComposer({
    from: { name: mailbox.display_name, address: mailbox.address },
    to: member.name ? { name: member.name, address: member.address } : member.address,
    replyTo: mailbox.address,
    subject: content.subject,
    messageId: `<optin.${member.opt_in_id}.${attempt}@${mailbox.address.split('@')[1] ?? 'localhost'}>`,
    date,
    text: content.text,
    html: content.html,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Pier-Opt-In': '1', 'X-Mailer': 'Pier' },
  });
  return composer.compile().build();
}
