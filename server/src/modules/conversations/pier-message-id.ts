import { randomBytes } from 'node:crypto';

/**
 * Pier's own Message-IDs carry the conversation they belong to, so a reply finds its
 * conversation even when the customer's client or provider drops References and In-Reply-To
 * (Outlook rewrites them, some webmails keep only In-Reply-To, forwarding tools keep neither).
 * Shape: `<{random base36}.pier-{conversation id as 32 hex}@{domain}>` — unique per mail
 * (RFC 5322 §3.6.4), and the token survives any client that quotes the id it answers.
 */
const TOKEN = /^[0-9a-z]+\.pier-([0-9a-f]{32})@[^\s@<>]+$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const DOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

export function newPierMessageId(conversationId: string, domain: string): string {
  if (!UUID.test(conversationId)) throw new Error(`not a conversation id: ${conversationId}`);
  if (!DOMAIN.test(domain)) throw new Error(`not a sending domain: ${domain}`);
  // 96 random bits keep ids of one conversation apart; base36 keeps the id short and dot-atom safe.
  const random = BigInt(`0x${randomBytes(12).toString('hex')}`).toString(36);
  return `<${random}.pier-${conversationId.replaceAll('-', '').toLowerCase()}@${domain.toLowerCase()}>`;
}

/**
 * The conversation id carried by the first Pier Message-ID among `ids` (angle brackets
 * optional), or null. Pass In-Reply-To first, then References newest first. Ids of other
 * software, and tokens that do not restore to a UUID, are ignored.
 */
export function conversationIdFromMessageIds(ids: string[]): string | null {
  for (const id of ids) {
    const hex = TOKEN.exec(id.trim().replace(/^<|>$/g, ''))?.[1]?.toLowerCase();
    if (!hex) continue;
    const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    if (UUID.test(uuid)) return uuid;
  }
  return null;
}
