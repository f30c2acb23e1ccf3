import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailboxRow } from '../../db/schema.js';
import type { CampaignRecipientsTable, CampaignsTable } from '../../db/tables/campaigns.js';
import { rewriteLinks } from './clicks.js';
import { type MergeValues, mentionsUnsubscribe, renderTemplate, unsubscribeFooter } from './merge.js';
import { signUnsubscribeToken } from './tokens.js';

export type CampaignLinks = { baseUrl: string; key: Buffer };

export const unsubscribeUrl = (links: CampaignLinks, recipientId: string) =>
  `${links.baseUrl.replace(/\/+$/, '')}/unsubscribe/${signUnsubscribeToken(links.key, recipientId)}`;

/** The merged subject, HTML and text of one recipient's mail (the preview shows exactly this). */
export async function renderForRecipient(
  campaign: Pick<CampaignsTable, 'subject' | 'html_template' | 'text_template' | 'track_clicks'>,
  recipient: Pick<CampaignRecipientsTable, 'id' | 'name' | 'company' | 'country'>,
  links: CampaignLinks,
): Promise<{ subject: string; html: string; text: string; unsubscribeUrl: string }> {
  const url = unsubscribeUrl(links, recipient.id);
  const values: MergeValues = { name: recipient.name, company: recipient.company, country: recipient.country, unsubscribe_url: url };
  // The template went through the outgoing-HTML wall when queued; merged values are escaped.
  let html = renderTemplate(campaign.html_template, values, 'html');
  let text = renderTemplate(campaign.text_template, values, 'text');
  if (!mentionsUnsubscribe(campaign.html_template)) html += unsubscribeFooter(url, 'html');
  if (!mentionsUnsubscribe(campaign.text_template)) text += unsubscribeFooter(url, 'text');
  if (campaign.track_clicks === 1)
    html = rewriteLinks(html, { baseUrl: links.baseUrl, key: links.key, recipientId: recipient.id, keep: url });
  return { subject: renderTemplate(campaign.subject, values, 'text'), html, text, unsubscribeUrl: url };
}

/**
 * One recipient's mail: From and Reply-To the marketing mailbox (answers land in its queue, never
 * info@'s), the final Message-ID kept on the recipient row (bounces, complaints and replies find
 * it), List-Unsubscribe with https and mailto and the RFC 8058 one-click header, Precedence: bulk.
 */
export async function buildCampaignMime(
  mailbox: Pick<MailboxRow, 'address' | 'display_name'>,
  campaign: CampaignsTable,
  recipient: CampaignRecipientsTable,
  links: CampaignLinks,
  date: Date,
): Promise<Buffer> {
  const rendered = await renderForRecipient(campaign, recipient, links);
  const token = signUnsubscribeToken(links.key, recipient.id);
  const composer = new MailComposer({
    from: { name: mailbox.display_name, address: mailbox.address },
    to: recipient.name ? { name: recipient.name, address: recipient.address } : recipient.address,
    replyTo: mailbox.address,
    subject: rendered.subject,
    messageId: recipient.message_id_header,
    date,
    text: rendered.text,
    html: rendered.html,
    headers: {
      'List-Unsubscribe': `<${rendered.unsubscribeUrl}>, <mailto:${mailbox.address}?subject=unsubscribe%20${token}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `<${campaign.list_id}.campaigns.${mailbox.address.split('@')[1] ?? 'localhost'}>`,
      Precedence: 'bulk',
      'X-Pier-Campaign': campaign.id,
      'X-Mailer': 'Pier',
    },
  });
  return composer.compile().build();
}
