import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Pier's own Message-IDs carry the conversation they belong to, so a reply finds its
 * conversation even when the customer's client or provider drops References and In-Reply-To
 * (Outlook rewrites them, some webmails keep only In-Reply-To, forwarding tools keep neither).
 * Shape: `<{random base36}.pier-{conversation id as 32 hex}.{tag}@{domain}>`, where the tag is
 * an HMAC-SHA256 (96 bits, hex) of everything before the `@`, keyed with a key derived from the
 * workspace secret key. Every customer sees these ids, so without the tag anyone could name any
 * conversation; with it, only ids Pier wrote name one (decision 0027). Ids of the first shape,
 * `<{random}.pier-{hex}@{domain}>` without a tag, are read like any other software's ids.
 */
const TAGGED = /^([0-9a-z]+\.pier-([0-9a-f]{32}))\.([0-9a-f]{24})@[^\s@<>]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const DOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;
const TAG_BYTES = 12;

export type PierMessageIds = {
  /** A new Message-ID for a mail of this conversation, unique per mail (RFC 5322 §3.6.4). */
  create(conversationId: string, domain: string): string;
  /**
   * The conversation named by the first Pier Message-ID among `ids` whose tag verifies (angle
   * brackets optional; pass In-Reply-To first, then References), or null. It says only that Pier
   * wrote that id for that conversation: whether a mail may join it is threading's decision.
   */
  verifiedConversation(ids: readonly string[]): string | null;
};

/** The Message-ID tagger of a workspace, keyed from its secret key (the one the secret box uses). */
export function createPierMessageIds(secretKey: Buffer): PierMessageIds {
  // A key of its own (HKDF): the tag never reveals anything about the key that seals mailbox passwords.
  const key = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'pier/message-id-tag/v1', 32));
  const tagOf = (signed: string) => createHmac('sha256', key).update(signed).digest().subarray(0, TAG_BYTES);
  return {
    create(conversationId, domain) {
      if (!UUID.test(conversationId)) throw new Error(`not a conversation id: ${conversationId}`);
      if (!DOMAIN.test(domain)) throw new Error(`not a sending domain: ${domain}`);
      // 96 random bits keep ids of one conversation apart; base36 keeps the id short and dot-atom safe.
      const random = BigInt(`0x${randomBytes(12).toString('hex')}`).toString(36);
      const signed = `${random}.pier-${conversationId.replaceAll('-', '').toLowerCase()}`;
      return `<${signed}.${tagOf(signed).toString('hex')}@${domain.toLowerCase()}>`;
    },
    verifiedConversation(ids) {
      for (const id of ids) {
        // Relays may change the case; Pier writes lower case only.
        const match = TAGGED.exec(id.trim().replace(/^<|>$/g, '').toLowerCase());
        if (!match?.[1] || !match[2] || !match[3]) continue;
        if (!timingSafeEqual(tagOf(match[1]), Buffer.from(match[3], 'hex'))) continue;
        const hex = match[2];
        const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
        if (UUID.test(uuid)) return uuid;
      }
      return null;
    },
  };
}
