import { expressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { contactsOfParties, type PartyContact } from '../contacts/index.js';
import {
  conversationsWithMailFromContacts,
  firstMailSentToContacts,
  incomingMailSpansOfContacts,
  type MailCondition,
} from '../conversations/index.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Incoming mail from a party over at least this span (and count) makes it known without a reply. */
export const HISTORY_MIN_MESSAGES = 3;
export const HISTORY_MIN_SPAN_MS = 14 * 24 * 3600_000;

/** Since when a party is trusted, and whether a person vouched for it (admin mark, cleared flag, confirmed call). */
export type Trust = { since: number; vouched: boolean };

/** The parties whose trust is wanted: company domains and (lower-case) addresses. */
export type TrustParties = { domains: Iterable<string>; addresses: Iterable<string> };

/**
 * Trust of the parties that were asked for (`asked`): trusted company domains and (free-mail)
 * addresses among them. A party not asked for is not known here: `trustOf` refuses it.
 */
export type TrustMap = {
  domains: Map<string, Trust>;
  addresses: Map<string, Trust>;
  asked: { domains: ReadonlySet<string>; addresses: ReadonlySet<string> };
};

/**
 * Reads who is *known* among the given parties: a company domain becomes trusted only from
 * - mail the team sent to it (from Pier or the provider's Sent folder), except replies inside a
 *   conversation where that company's own mail is flagged and not cleared (a reply to the fraudster);
 * - incoming mail from it that was not flagged (or was cleared), at least three over two weeks;
 * - a person: an admin's mark or a cleared flag (`fraud_trusted_parties`), or a confirmed phone call.
 * The mail being judged (`excludeMessageId`) is never evidence for itself. Free-mail addresses are
 * trusted the same way, one address at a time (gmail.com is nobody's company).
 *
 * Only the asked parties' mail is read (decision 0065): from the company's contacts (or the
 * address's contact) through their mail, so the cost follows those parties' mail, not the
 * workspace's. A mail asks for its own parties and its look-alike candidates (history.ts).
 * The contacts and the mail are read through their modules (contacts, conversations); the
 * conditions on assessments are this module's.
 */
export async function loadTrust(db: Db, parties: TrustParties, excludeMessageId = ''): Promise<TrustMap> {
  const asked = {
    domains: new Set([...parties.domains].filter(Boolean)),
    addresses: new Set([...parties.addresses].filter(Boolean).map((a) => a.toLowerCase())),
  };
  const domains = new Map<string, Trust>();
  const addresses = new Map<string, Trust>();
  const trust: TrustMap = { domains, addresses, asked };
  if (asked.domains.size === 0 && asked.addresses.size === 0) return trust;
  const add = (map: Map<string, Trust>, key: string, since: number, vouched: boolean) => {
    const old = map.get(key);
    map.set(key, { since: Math.min(old?.since ?? since, since), vouched: vouched || (old?.vouched ?? false) });
  };
  const wanted = { domains: [...asked.domains], addresses: [...asked.addresses] };
  const contacts = await contactsOfParties(db, wanted);
  const contactIds = contacts.map((c) => c.id);
  const [replies, incoming, marks, calls] = await Promise.all([
    contactIds.length > 0 ? loadReplies(db, contactIds, excludeMessageId) : [],
    contactIds.length > 0 ? incomingMailSpansOfContacts(db, contactIds, excludeMessageId, isCleanAssessment) : [],
    db
      .selectFrom('fraud_trusted_parties')
      .where('revoked_at', 'is', null)
      .where((eb) =>
        eb.or([
          ...(wanted.domains.length > 0 ? [eb.and([eb('kind', '=', 'domain'), eb('value', 'in', wanted.domains)])] : []),
          ...(wanted.addresses.length > 0 ? [eb.and([eb('kind', '=', 'address'), eb('value', 'in', wanted.addresses)])] : []),
        ]),
      )
      .select(['kind', 'value', 'created_at'])
      .execute(),
    contactIds.length === 0 ? [] : confirmedCalls(db, contacts),
  ]);
  for (const r of replies) {
    if (r.domain) add(domains, r.domain, Number(r.since), false);
    else add(addresses, r.address.toLowerCase(), Number(r.since), false);
  }
  // Rows are per address; a company's colleagues add up.
  const spans = new Map<string, { count: number; first: number; last: number }>();
  for (const r of incoming) {
    const key = r.domain ? `d:${r.domain}` : `a:${r.address.toLowerCase()}`;
    const old = spans.get(key);
    const [count, first, last] = [Number(r.count), Number(r.first), Number(r.last)];
    spans.set(
      key,
      old ? { count: old.count + count, first: Math.min(old.first, first), last: Math.max(old.last, last) } : { count, first, last },
    );
  }
  for (const [key, s] of spans) {
    if (s.count < HISTORY_MIN_MESSAGES || s.last - s.first < HISTORY_MIN_SPAN_MS) continue;
    add(key.startsWith('d:') ? domains : addresses, key.slice(2), s.first, false);
  }
  for (const m of marks) add(m.kind === 'domain' ? domains : addresses, m.value, Number(m.created_at), true);
  for (const c of calls) {
    if (c.domain) add(domains, c.domain, Number(c.called_at), true);
    else add(addresses, c.address.toLowerCase(), Number(c.called_at), true);
  }
  return trust;
}

/** Assessments that still count as a flag: warn or high, not cleared by a person. */
export function unresolvedFlags(db: Db) {
  return db
    .selectFrom('fraud_assessments')
    .where('fraud_assessments.level', '!=', 'none')
    .where('fraud_assessments.cleared_at', 'is', null)
    .select('fraud_assessments.message_id');
}

/**
 * Confirmed phone calls to these contacts, as their party: the contact's company domain (null for
 * a company-less contact) and address.
 */
async function confirmedCalls(db: Db, contacts: PartyContact[]) {
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const rows = await db
    .selectFrom('fraud_phone_confirmations')
    .where('outcome', '=', 'confirmed')
    .where('contact_id', 'in', [...byId.keys()])
    .select(['contact_id', 'called_at'])
    .execute();
  return rows.flatMap((r) => {
    const contact = byId.get(r.contact_id);
    return contact ? [{ domain: contact.domain, address: contact.address, called_at: r.called_at }] : [];
  });
}

/**
 * A mail assessed, as a flag (warn or high) no person cleared, or else as clean (not flagged, or
 * cleared): an EXISTS on the assessment's key, one lookup per mail as the join it replaced.
 */
function assessedAs(kind: 'unresolved flag' | 'clean'): MailCondition {
  return (messageId) => {
    const eb = expressionBuilder<Database, never>();
    return eb.exists(
      eb
        .selectFrom('fraud_assessments as fa')
        .select('fa.message_id')
        .where('fa.message_id', '=', messageId)
        .where((w) =>
          kind === 'clean'
            ? w.or([w('fa.level', '=', 'none'), w('fa.cleared_at', 'is not', null)])
            : w.and([w('fa.level', '!=', 'none'), w('fa.cleared_at', 'is', null)]),
        ),
    );
  };
}
const isUnresolvedFlag = assessedAs('unresolved flag');
const isCleanAssessment = assessedAs('clean');

/**
 * Earliest mail the team sent to each company (or company-less address), per conversation, and
 * the (conversation, company or address) pairs where that party's own mail is flagged: a reply
 * there went to the fraudster. Flagged mail is rare, so the pairs are a short list.
 */
async function loadReplies(db: Db, contactIds: string[], excludeMessageId: string) {
  const [sent, flagged] = await Promise.all([
    firstMailSentToContacts(db, contactIds, excludeMessageId),
    conversationsWithMailFromContacts(db, contactIds, isUnresolvedFlag),
  ]);
  const key = (conversationId: string, domain: string | null, address: string) =>
    `${conversationId}\n${domain ?? `@${address.toLowerCase()}`}`;
  const toFraudster = new Set(flagged.map((f) => key(f.conversation_id, f.domain, f.address)));
  return sent.filter((r) => !toFraudster.has(key(r.conversation_id, r.domain, r.address)));
}

/**
 * Trust of the party behind an address: its company's, or the address's own for free mail (or an
 * address an admin vouched for). Both must have been asked for: an unasked party would read as
 * a stranger, so that is a programming error, not an answer.
 */
export function trustOf(trust: TrustMap, address: string, companyDomain: string | null): Trust | undefined {
  const lower = address.toLowerCase();
  if ((companyDomain && !trust.asked.domains.has(companyDomain)) || !trust.asked.addresses.has(lower)) {
    throw new Error(`trust of ${companyDomain ?? lower} was not loaded`);
  }
  return (companyDomain ? trust.domains.get(companyDomain) : undefined) ?? trust.addresses.get(lower);
}
