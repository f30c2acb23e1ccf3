import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { insertCampaignEvent } from './feedback.js';

/**
 * Click tracking (optional per campaign, off by default; decision 0058). Each http(s) link of the
 * HTML version points to `/c?t=TOKEN`, a token naming the recipient and the target URL, signed, so the
 * redirect is no open redirect and a click cannot be forged for another recipient. The plain-text
 * version keeps its links as written.
 */
const keyOf = (unsubscribeKey: Buffer) => Buffer.from(hkdfSync('sha256', unsubscribeKey, Buffer.alloc(0), 'pier campaign click v1', 32));
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

// DOMPurify serialises attribute values escaping only these (the HTML serialisation algorithm).
const ATTRIBUTE_ENTITIES: Record<string, string> = { '&amp;': '&', '&quot;': '"', '&nbsp;': '\u00a0', '&lt;': '<', '&gt;': '>' };
const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/** The HTML with every http(s) href but `keep` (the unsubscribe link) sent through the signed redirect. */
export function rewriteLinks(html: string, input: { baseUrl: string; key: Buffer; recipientId: string; keep: string }): string {
  const base = input.baseUrl.replace(/\/+$/, '');
  return html.replace(/\bhref="(https?:[^"]*)"/gi, (whole, raw: string) => {
    const url = raw.replace(/&(amp|quot|nbsp|lt|gt);/g, (e) => ATTRIBUTE_ENTITIES[e] ?? e);
    if (url === input.keep) return whole;
    return `href="${escapeAttribute(`${base}/c?t=${signClickToken(input.key, input.recipientId, url)}`)}"`;
  });
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
