import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { companyDomainFor } from '../contacts/index.js';
import { registrableDomainOf } from './domains.js';
import { companyLookalikeIndex } from './lookalike-companies.js';
import { bankAccountOf } from './signals/bank-identifiers.js';
import { normaliseName } from './signals/display-name.js';
import { lookalikeCandidates } from './signals/lookalike-index.js';
import { loadTrust, type TrustParties, trustOf, unresolvedFlags } from './trust.js';
import type { BankIdentifier, BankIdentifierKind, FraudHistory, FraudMail } from './types.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Reads what the workspace knew before a mail, for the pure signal functions. `messageId`
 * (a stored mail being assessed) is left out of everything, so a mail never vouches for itself;
 * `conversationId` is its thread. A mail that is not stored (CLI `fraud check`) finds its thread
 * through In-Reply-To/References.
 */
export async function loadFraudHistory(
  db: Db,
  mail: FraudMail,
  options: { messageId?: string; conversationId?: string } = {},
): Promise<FraudHistory> {
  const exclude = options.messageId ?? '';
  const mailboxes = await db.selectFrom('mailboxes').select('address').execute();
  const ownAddresses = new Set(mailboxes.map((m) => m.address.toLowerCase()));
  const ownDomains = [...new Set(mailboxes.map((m) => registrableDomainOf(m.address)).filter((d): d is string => d !== null))];
  const from = mail.from?.address ?? null;
  const senderCompany = from ? companyDomainFor(from) : null;
  const trust = await loadTrust(db, await partiesJudgedWith(db, mail), exclude);

  // Look-alikes are judged from the newcomer to the established party: a sender may imitate only
  // parties trusted before it was, and one a person vouched for is never suspected.
  const sender = from ? trustOf(trust, from, senderCompany) : undefined;
  const knownDomains = [...trust.domains]
    .filter(([domain, t]) => domain === senderCompany || !sender || t.since < sender.since)
    .map(([domain]) => domain);
  const establishedDomains = [...trust.domains].filter(([, t]) => t.vouched).map(([domain]) => domain);

  let contactsNamedLikeSender: FraudHistory['contactsNamedLikeSender'] = [];
  const name = mail.from?.name ? normaliseName(mail.from.name) : '';
  // A trusted sender is a real party: two real people may share a name.
  if (name && !sender) {
    // Names are compared normalised; SQL narrows by lower() and the exact comparison happens here.
    // SQLite's lower() folds only A–Z, so the name is also offered lowered that way: else a Cyrillic
    // or Greek name never matches there (PostgreSQL folds all letters and matches the first value).
    const asked = mail.from?.name?.trim() ?? '';
    const lowered = [...new Set([asked.toLowerCase(), asked.replace(/[A-Z]+/g, (letters) => letters.toLowerCase())])];
    const rows = await db
      .selectFrom('contacts')
      .innerJoin('message_contacts', 'message_contacts.contact_id', 'contacts.id')
      .leftJoin('companies', 'companies.id', 'contacts.company_id')
      .where('message_contacts.message_id', '!=', exclude)
      .where('contacts.name', 'is not', null)
      .where((eb) => eb(eb.fn('lower', ['contacts.name']), 'in', lowered))
      .select(['contacts.address', 'contacts.name', 'companies.domain'])
      .distinct()
      .execute();
    // Only known people count: a name learned from an impostor's mail proves nothing.
    const same = rows.filter((r) => r.name !== null && normaliseName(r.name) === name);
    const parties = partiesOf(same.map((r) => r.address));
    const named = await loadTrust(db, { ...parties, domains: [...parties.domains, ...same.flatMap((r) => r.domain ?? [])] }, exclude);
    contactsNamedLikeSender = same
      .filter((r) => trustOf(named, r.address, r.domain) !== undefined)
      .map((r) => ({ name: r.name as string, address: r.address }));
  }

  const identifiers = await db
    .selectFrom('fraud_bank_identifiers')
    .innerJoin('companies', 'companies.id', 'fraud_bank_identifiers.company_id')
    .where('fraud_bank_identifiers.status', '=', 'trusted')
    .where('fraud_bank_identifiers.first_message_id', '!=', exclude)
    .select(['companies.domain', 'fraud_bank_identifiers.kind', 'fraud_bank_identifiers.value'])
    .orderBy('fraud_bank_identifiers.last_seen_at', 'desc')
    .execute();
  const bankIdentifiers: Record<string, BankIdentifier[]> = {};
  const addIdentifier = (domain: string, id: BankIdentifier) => {
    bankIdentifiers[domain] = [...(bankIdentifiers[domain] ?? []), id];
  };
  for (const row of identifiers) addIdentifier(row.domain, { kind: row.kind as BankIdentifierKind, value: row.value });
  // Bank accounts and phone numbers an admin vouched for (trusted-parties.ts), not revoked.
  const marks = await db
    .selectFrom('fraud_trusted_parties')
    .where('kind', 'in', ['bank_account', 'phone'])
    .where('revoked_at', 'is', null)
    .select(['kind', 'value', 'company_domain'])
    .execute();
  for (const m of marks) {
    const account = m.kind === 'bank_account' ? bankAccountOf(m.value) : null;
    if (account && m.company_domain) addIdentifier(m.company_domain, account);
  }

  return {
    ownDomains,
    knownDomains,
    establishedDomains,
    contactsNamedLikeSender,
    bankIdentifiers,
    thread: await loadThread(db, mail, options, ownAddresses),
    senderTrusted: sender !== undefined,
    trustedPhones: marks.filter((m) => m.kind === 'phone').map((m) => m.value),
  };
}

/**
 * The parties a mail's judgement reads trust for: its sender's and Reply-To's companies (or
 * free-mail addresses), and the company domains it could be taken to imitate. Every check that
 * reads knownDomains or establishedDomains asks about these only (decision 0065).
 */
export async function partiesJudgedWith(db: Db, mail: Pick<FraudMail, 'from' | 'replyTo'>): Promise<TrustParties> {
  const addresses = [mail.from?.address, ...mail.replyTo.map((r) => r.address)].filter((a): a is string => Boolean(a));
  return withLookalikeCandidates(db, addresses);
}

/** The parties of these addresses plus the company domains they could be taken to imitate. */
export async function withLookalikeCandidates(db: Db, addresses: string[]): Promise<TrustParties> {
  const parties = partiesOf(addresses);
  if (addresses.length === 0) return parties;
  return {
    domains: [...parties.domains, ...lookalikeCandidates(addresses, await companyLookalikeIndex(db))],
    addresses: parties.addresses,
  };
}

/** Each address, and its company domain (and registrable domain, which the signals compare). */
function partiesOf(addresses: string[]): { domains: string[]; addresses: string[] } {
  const domains = new Set<string>();
  for (const address of addresses) {
    for (const domain of [companyDomainFor(address), registrableDomainOf(address)]) if (domain) domains.add(domain);
  }
  return { domains: [...domains], addresses: addresses.map((a) => a.toLowerCase()) };
}

async function loadThread(
  db: Db,
  mail: FraudMail,
  options: { messageId?: string; conversationId?: string },
  ownAddresses: ReadonlySet<string>,
): Promise<FraudHistory['thread']> {
  let conversationId = options.conversationId;
  if (!conversationId) {
    const ids = [...(mail.inReplyTo ? [mail.inReplyTo] : []), ...mail.references];
    if (ids.length === 0) return null;
    const hit = await db
      .selectFrom('messages')
      .innerJoin('conversation_messages', 'conversation_messages.message_id', 'messages.id')
      .where('messages.message_id_header', 'in', ids)
      .select('conversation_messages.conversation_id')
      .executeTakeFirst();
    conversationId = hit?.conversation_id;
  }
  if (!conversationId) return null;
  const earlier = await db
    .selectFrom('messages')
    .innerJoin('conversation_messages', 'conversation_messages.message_id', 'messages.id')
    .where('conversation_messages.conversation_id', '=', conversationId)
    .where('messages.id', '!=', options.messageId ?? '')
    .select([
      'messages.id',
      'messages.direction',
      'messages.from_addr',
      'messages.to_addrs',
      'messages.cc_addrs',
      (eb) => eb('messages.id', 'in', unresolvedFlags(db)).as('flagged'),
    ])
    .execute();
  if (earlier.length === 0) return null;
  // A flagged mail's sender (and whoever it asked replies to go to) is not a party of the thread:
  // otherwise the real customer writing again would look like the intruder.
  const flaggedIds = earlier.filter((m) => Boolean(m.flagged)).map((m) => m.id);
  const intruders = new Set(
    flaggedIds.length === 0
      ? []
      : (
          await db
            .selectFrom('message_contacts')
            .innerJoin('contacts', 'contacts.id', 'message_contacts.contact_id')
            .where('message_contacts.message_id', 'in', flaggedIds)
            .where('message_contacts.role', 'in', ['from', 'reply_to'])
            .select('contacts.address')
            .execute()
        ).map((c) => c.address.toLowerCase()),
  );
  const parties = new Set<string>();
  for (const m of earlier) {
    if (m.flagged) continue;
    const addresses = m.direction === 'in' ? [m.from_addr] : [...parseList(m.to_addrs), ...parseList(m.cc_addrs)];
    for (const a of addresses) {
      const address = a?.toLowerCase();
      if (address && !ownAddresses.has(address) && !intruders.has(address)) parties.add(address);
    }
  }
  return { conversationId, counterpartyAddresses: [...parties] };
}

function parseList(json: string): string[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
