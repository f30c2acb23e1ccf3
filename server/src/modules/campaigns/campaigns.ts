import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database, MailboxRow } from '../../db/schema.js';
import type { CampaignRecipientsTable, CampaignsTable } from '../../db/tables/campaigns.js';
import { AppError } from '../../errors.js';
import { enqueueJob } from '../../jobs/queue.js';
import { findListById, findListByName, listMembers } from './lists.js';
import { sanitizeCampaignHtml } from './merge.js';
import { unconfirmedCount } from './opt-in.js';
import { dueAt, isTimeZone } from './schedule.js';
import { suppressedAmong } from './suppression.js';

type Db = Kysely<Database> | Transaction<Database>;

export const CAMPAIGN_SEND_JOB = 'campaign.send';

export type NewCampaign = {
  mailbox: MailboxRow;
  list: { name: string } | { id: string };
  subject: string;
  html: string;
  text: string;
  ratePerMinute?: number | undefined;
  sendAt?: number | undefined;
  /** "09:30": each recipient's mail at that local time (their zone, else companyTimeZone). */
  localTime?: string | null | undefined;
  companyTimeZone?: string | undefined;
  /** Links of the HTML version through the signed redirect, counted (off by default; decision 0058). */
  trackClicks?: boolean | undefined;
  actorId: string | null;
  now: number;
};

/** Enqueues the campaign's next sending run at `runAt` (one run at a time per campaign and moment). */
export async function scheduleSendRun(db: Db, campaignId: string, runAt: number): Promise<void> {
  await enqueueJob(db, {
    name: CAMPAIGN_SEND_JOB,
    payload: { campaignId },
    runAt,
    dedupeKey: `${CAMPAIGN_SEND_JOB}:${campaignId}:${runAt}`,
  });
}

/**
 * Queues a campaign: only from a mailbox whose purpose is marketing; one recipient row per address
 * of the list (each with its final Message-ID and due time), none for an address on the
 * suppression list; the campaign, its recipients and the first sending run in one transaction.
 */
export async function queueCampaign(
  db: Kysely<Database>,
  input: NewCampaign,
): Promise<{ campaign: string; recipients: number; suppressed: number; unconfirmed: number }> {
  const { mailbox } = input;
  if (mailbox.purpose !== 'marketing') {
    throw new AppError('campaign.not_marketing_mailbox', 400, `${mailbox.address} is not a marketing mailbox: campaigns go only from one`);
  }
  if (!mailbox.smtp_host) throw new AppError('outbox.no_smtp', 400, 'this mailbox has no SMTP settings');
  if (!input.subject.trim()) throw new AppError('request.invalid', 400, 'a campaign needs a subject');
  if (!input.text.trim() || !input.html.trim())
    throw new AppError('request.invalid', 400, 'a campaign needs an HTML and a plain-text version');
  const rate = input.ratePerMinute ?? 60;
  if (!Number.isInteger(rate) || rate < 1 || rate > 10_000)
    throw new AppError('request.invalid', 400, 'the rate per minute is 1 to 10,000');
  const companyZone = input.companyTimeZone ?? 'Asia/Shanghai';
  if (!isTimeZone(companyZone)) throw new AppError('request.invalid', 400, `unknown time zone ${companyZone}`);
  if (input.localTime && !/^([01]\d|2[0-3]):[0-5]\d$/.test(input.localTime))
    throw new AppError('request.invalid', 400, 'the local time is HH:MM');
  const list = 'name' in input.list ? await findListByName(db, input.list.name) : await findListById(db, input.list.id);
  if (!list) throw new AppError('campaign.list_not_found', 404, 'no such list');
  const members = await listMembers(db, list, input.now);
  const suppressed = await suppressedAmong(
    db,
    members.map((m) => m.address),
  );
  const seen = new Set<string>();
  const wanted = members.filter((m) => {
    const address = m.address.toLowerCase();
    if (seen.has(address) || suppressed.has(address)) return false;
    seen.add(address);
    return true;
  });
  const sendAt = input.sendAt ?? input.now;
  // Through the outbox's wall once (scripts, forms, tricks removed); merged values are escaped later.
  const html = await sanitizeCampaignHtml(input.html);
  const domain = mailbox.address.split('@')[1] ?? 'localhost';
  const campaign: CampaignsTable = {
    id: newId(),
    mailbox_id: mailbox.id,
    list_id: list.id,
    subject: input.subject,
    html_template: html,
    text_template: input.text,
    state: 'sending',
    rate_per_minute: rate,
    send_at: sendAt,
    local_time: input.localTime ?? null,
    company_time_zone: companyZone,
    track_clicks: input.trackClicks ? 1 : 0,
    track_opens: 0,
    created_by: input.actorId,
    created_at: input.now,
    updated_at: input.now,
  };
  const rows: CampaignRecipientsTable[] = wanted.map((m) => {
    const id = newId();
    return {
      id,
      campaign_id: campaign.id,
      address: m.address.toLowerCase(),
      name: m.name,
      company: m.company,
      country: m.country,
      state: 'pending',
      due_at: dueAt({ sendAt, localTime: campaign.local_time, zone: m.timeZone, companyZone }),
      message_id_header: `<campaign.${id}@${domain}>`,
      attempts: 0,
      error: null,
      sent_at: null,
      bounced_at: null,
      bounce_kind: null,
      unsubscribed_at: null,
      replied_at: null,
      complained_at: null,
    };
  });
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('campaigns').values(campaign).execute();
    // 17 columns a row: 50 rows stay under SQLite's 999 bound parameters.
    for (let i = 0; i < rows.length; i += 50)
      await trx
        .insertInto('campaign_recipients')
        .values(rows.slice(i, i + 50))
        .execute();
    const first = rows.reduce((min, r) => Math.min(min, r.due_at), Number.POSITIVE_INFINITY);
    await scheduleSendRun(trx, campaign.id, Number.isFinite(first) ? first : input.now);
  });
  // Members still waiting for their double opt-in click: not recipients, counted apart (decision 0059).
  const unconfirmed = list.kind === 'static' ? await unconfirmedCount(db, list.id) : 0;
  return { campaign: campaign.id, recipients: rows.length, suppressed: suppressed.size, unconfirmed };
}

export async function findCampaign(db: Db, id: string): Promise<CampaignsTable | undefined> {
  return db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Pause: the running batch stops before its next mail; resume: sending goes on where it stopped. */
export async function setCampaignPaused(db: Kysely<Database>, id: string, paused: boolean, now: number): Promise<CampaignsTable> {
  const from = paused ? 'sending' : 'paused';
  const updated = await db
    .updateTable('campaigns')
    .set({ state: paused ? 'paused' : 'sending', updated_at: now })
    .where('id', '=', id)
    .where('state', '=', from)
    .executeTakeFirst();
  const campaign = await findCampaign(db, id);
  if (!campaign) throw new AppError('campaign.not_found', 404, 'no such campaign');
  if (Number(updated.numUpdatedRows) === 0) throw new AppError('campaign.invalid_state', 409, `the campaign is ${campaign.state}`);
  if (!paused) await scheduleSendRun(db, id, now);
  return campaign;
}

export type CampaignCounts = {
  campaign: string;
  state: CampaignsTable['state'];
  recipients: number;
  /** Queued and not sent yet: waiting for their time or the throttle, or in an SMTP session now (`sending`). */
  pending: number;
  sent: number;
  delivered: number;
  bounced: number;
  failed: number;
  uncertain: number;
  skippedSuppressed: number;
  /** Recipients a cancel took off before their mail was started (decision 0068): never sent. */
  cancelled: number;
  unsubscribed: number;
  complained: number;
  replied: number;
  /** Recipients who clicked a link; null when the campaign does not track clicks (the default). */
  clicked: number | null;
  /** Open tracking is not built (unreliable: images blocked, privacy proxies): null, not 0. */
  opened: null;
};

/** The campaign's counts. Delivered = sent and no bounce came back (SMTP cannot prove delivery). */
export async function campaignCounts(db: Db, id: string): Promise<CampaignCounts> {
  const campaign = await findCampaign(db, id);
  if (!campaign) throw new AppError('campaign.not_found', 404, 'no such campaign');
  const rows = await db
    .selectFrom('campaign_recipients')
    .select((eb) => [
      'state',
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.count<number | string>('bounced_at').as('bounced'),
      eb.fn.count<number | string>('unsubscribed_at').as('unsubscribed'),
      eb.fn.count<number | string>('complained_at').as('complained'),
      eb.fn.count<number | string>('replied_at').as('replied'),
    ])
    .where('campaign_id', '=', id)
    .groupBy('state')
    .execute();
  const by = (state: string) => Number(rows.find((r) => r.state === state)?.n ?? 0);
  const sum = (key: 'bounced' | 'unsubscribed' | 'complained' | 'replied') => rows.reduce((s, r) => s + Number(r[key]), 0);
  const bounced = sum('bounced');
  const sent = by('sent');
  const clicked =
    campaign.track_clicks === 1
      ? await db
          .selectFrom('campaign_events')
          .select((eb) => eb.fn.count<number | string>('recipient_id').distinct().as('n'))
          .where('campaign_id', '=', id)
          .where('kind', '=', 'click')
          .executeTakeFirstOrThrow()
      : null;
  return {
    campaign: id,
    state: campaign.state,
    recipients: rows.reduce((s, r) => s + Number(r.n), 0),
    pending: by('pending') + by('sending'),
    sent,
    // A refusal at RCPT TO is a bounce of a mail that never left: only bounces of sent mail reduce delivered.
    delivered: sent - Number(rows.find((r) => r.state === 'sent')?.bounced ?? 0),
    bounced,
    failed: by('failed'),
    uncertain: by('uncertain'),
    skippedSuppressed: by('suppressed'),
    cancelled: by('cancelled'),
    unsubscribed: sum('unsubscribed'),
    complained: sum('complained'),
    replied: sum('replied'),
    clicked: clicked ? Number(clicked.n) : null,
    opened: null,
  };
}

export async function listCampaigns(db: Db) {
  const rows = await db.selectFrom('campaigns').selectAll().orderBy('created_at', 'desc').limit(200).execute();
  const out = [];
  for (const r of rows)
    out.push({
      id: r.id,
      subject: r.subject,
      mailboxId: r.mailbox_id,
      listId: r.list_id,
      createdAt: Number(r.created_at),
      // In the future while `sending`: scheduled, not started (the page offers its cancel).
      sendAt: Number(r.send_at),
      counts: await campaignCounts(db, r.id),
    });
  return out;
}
