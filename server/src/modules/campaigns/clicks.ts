import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CampaignsTable } from '../../db/tables/campaigns.js';
import { insertCampaignEvent } from './feedback.js';
import { rewriteWebLinks, webLinksOf, webUrlOf } from './html-links.js';

/**
 * Click tracking (optional per campaign, off by default; decision 0058). Each http(s) link of the
 * HTML version points to `/c?t=TOKEN`, a token naming the recipient and the target URL, signed, so the
 * redirect is no open redirect and a click cannot be forged for another recipient. The plain-text
 * version keeps its links as written.
 */
// Derived once per key, not once per link: a 1,000-recipient mail with 30 links signs 30,000 tokens.
const derivedKeys = new WeakMap<Buffer, Buffer>();
function keyOf(unsubscribeKey: Buffer): Buffer {
  let key = derivedKeys.get(unsubscribeKey);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', unsubscribeKey, Buffer.alloc(0), 'pier campaign click v1', 32));
    derivedKeys.set(unsubscribeKey, key);
  }
  return key;
}
const mac = (key: Buffer, recipientId: string, url: string) =>
  createHmac('sha256', keyOf(key)).update(`${recipientId}\n${url}`).digest().subarray(0, 16);

export function signClickToken(key: Buffer, recipientId: string, url: string): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64url');
  return `${b64(recipientId)}.${b64(url)}.${mac(key, recipientId, url).toString('base64url')}`;
}

export function verifyClickToken(key: Buffer, token: string): { recipientId: string; url: string } | null {
  const [idPart, urlPart, macPart, extra] = token.split('.');
  if (!idPart || !urlPart || !macPart || extra !== undefined || token.length > 6000) return null;
  const recipientId = Buffer.from(idPart, 'base64url').toString('utf8');
  const url = Buffer.from(urlPart, 'base64url').toString('utf8');
  const given = Buffer.from(macPart, 'base64url');
  const expected = mac(key, recipientId, url);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (!/^https?:\/\//i.test(url)) return null;
  return { recipientId, url };
}

/**
 * The HTML with every web link sent through the signed redirect, except the unsubscribe link (`keep`,
 * and any link to Pier's own /unsubscribe/ page). mailto:, tel:, anchors and relative links are never
 * rewritten (html-links.ts decides what a link is).
 */
export function rewriteLinks(html: string, input: { baseUrl: string; key: Buffer; recipientId: string; keep: string }): string {
  const base = input.baseUrl.replace(/\/+$/, '');
  const keep = webUrlOf(input.keep);
  const unsubscribePage = webUrlOf(`${base}/unsubscribe/`);
  return rewriteWebLinks(html, (url) =>
    url === keep || (unsubscribePage && url.startsWith(unsubscribePage))
      ? null
      : `${base}/c?t=${signClickToken(input.key, input.recipientId, url)}`,
  );
}

/** A click: recorded as an event of the recipient's campaign (the count is of recipients who clicked). */
export async function recordClick(db: Kysely<Database>, input: { recipientId: string; url: string; now: number }): Promise<boolean> {
  const recipient = await db
    .selectFrom('campaign_recipients')
    .innerJoin('campaigns', 'campaigns.id', 'campaign_recipients.campaign_id')
    .select(['campaign_recipients.id', 'campaign_recipients.campaign_id', 'campaign_recipients.address', 'campaigns.track_clicks'])
    .where('campaign_recipients.id', '=', input.recipientId)
    .executeTakeFirst();
  if (recipient?.track_clicks !== 1) return false;
  await insertCampaignEvent(db, recipient, 'click', { conversationId: null, messageId: null }, input.url, input.now);
  return true;
}

/** A campaign mail has a few dozen links; a report table of more would be unreadable. */
const MAX_LINKS = 200;

/**
 * Clicks per link of a tracking campaign: each web link of its HTML (uncounted ones at 0) and each
 * URL a click reached, with total clicks and unique clicks (recipients who clicked it at least once).
 * A link whose URL carries a merge field differs per recipient: it shows as the URLs clicked. Null
 * when the campaign does not track clicks.
 */
export async function clicksPerLink(db: Kysely<Database>, campaign: Pick<CampaignsTable, 'id' | 'html_template' | 'track_clicks'>) {
  if (campaign.track_clicks !== 1) return null;
  const rows = await db
    .selectFrom('campaign_events')
    .select((eb) => [
      'detail',
      eb.fn.countAll<number | string>().as('total'),
      eb.fn.count<number | string>('recipient_id').distinct().as('unique'),
    ])
    .where('campaign_id', '=', campaign.id)
    .where('kind', '=', 'click')
    .groupBy('detail')
    .execute();
  const counted = new Map(rows.map((r) => [r.detail ?? '', { total: Number(r.total), unique: Number(r.unique) }]));
  const links = webLinksOf(campaign.html_template).filter((url) => !url.includes('%7B%7B'));
  for (const url of counted.keys()) if (url && !links.includes(url)) links.push(url);
  return links
    .map((url) => ({ url, uniqueClicks: counted.get(url)?.unique ?? 0, totalClicks: counted.get(url)?.total ?? 0 }))
    .sort((a, b) => b.uniqueClicks - a.uniqueClicks || b.totalClicks - a.totalClicks)
    .slice(0, MAX_LINKS);
}
