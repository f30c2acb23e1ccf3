import type { Kysely } from 'kysely';
import { type Clock, systemClock } from '../../clock.js';
import type { Database, MailboxRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { HostGuard } from '../mailboxes/index.js';
import type { SecretBox } from '../security/index.js';
import type { ListMember } from './lists.js';
import { buildCampaignMime, renderForRecipient } from './mail.js';
import { sanitizeCampaignHtml } from './merge.js';
import { sendMarketingMail } from './smtp-send.js';

type Deps = {
  db: Kysely<Database>;
  secrets: SecretBox;
  hosts: HostGuard;
  clock?: Clock | undefined;
  unsubscribeKey: Buffer;
  publicUrl: () => Promise<string | undefined>;
};
type Template = { subject: string; html: string; text: string };

/** A preview's unsubscribe link: well signed, but names no recipient, so it unsubscribes nobody. */
const PREVIEW_RECIPIENT = 'preview';

async function linksOf(deps: Deps) {
  const baseUrl = await deps.publicUrl();
  if (!baseUrl) throw new AppError('campaign.no_public_url', 409, 'set Pier’s public URL first: the unsubscribe link points to it');
  return { baseUrl, key: deps.unsubscribeKey };
}

/** The mail one list member would get: merged subject, HTML (through the outgoing wall) and text. */
export async function previewCampaign(deps: Deps, template: Template, member: ListMember) {
  const html = await sanitizeCampaignHtml(template.html);
  const rendered = await renderForRecipient(
    // Links as written: a preview's clicks would count nobody.
    { subject: template.subject, html_template: html, text_template: template.text, track_clicks: 0 },
    { id: PREVIEW_RECIPIENT, name: member.name, company: member.company, country: member.country },
    await linksOf(deps),
  );
  return { address: member.address, subject: rendered.subject, html: rendered.html, text: rendered.text };
}

/** A test send to one address now, "[Test]" in the subject, through the marketing mailbox's SMTP; counted nowhere. */
export async function sendTestMail(deps: Deps, mailbox: MailboxRow, input: Template & { to: string }, now: number): Promise<void> {
  if (mailbox.purpose !== 'marketing')
    throw new AppError('campaign.not_marketing_mailbox', 400, 'campaigns go only from a marketing mailbox');
  const html = await sanitizeCampaignHtml(input.html);
  const domain = mailbox.address.split('@')[1] ?? 'localhost';
  const raw = await buildCampaignMime(
    mailbox,
    {
      id: 'test',
      mailbox_id: mailbox.id,
      list_id: 'test',
      subject: `[Test] ${input.subject}`,
      html_template: html,
      text_template: input.text,
      state: 'sending',
      rate_per_minute: 1,
      send_at: now,
      local_time: null,
      company_time_zone: 'UTC',
      track_clicks: 0,
      track_opens: 0,
      created_by: null,
      created_at: now,
      updated_at: now,
    },
    {
      id: PREVIEW_RECIPIENT,
      campaign_id: 'test',
      address: input.to,
      name: null,
      company: null,
      country: null,
      state: 'pending',
      due_at: now,
      message_id_header: `<campaign.test.${now}.${Math.random().toString(36).slice(2)}@${domain}>`,
      attempts: 0,
      error: null,
      sent_at: null,
      bounced_at: null,
      bounce_kind: null,
      unsubscribed_at: null,
      replied_at: null,
      complained_at: null,
    },
    await linksOf(deps),
    new Date((deps.clock ?? systemClock).now()),
  );
  await sendMarketingMail(deps, mailbox, input.to, raw, { connectionTimeout: 30_000, socketTimeout: 60_000 });
}
