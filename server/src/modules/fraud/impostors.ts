import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { companyDomainFor } from '../contacts/index.js';
import { registrableDomainOf } from './domains.js';
import { withLookalikeCandidates } from './history.js';
import { lookalikeSignals } from './signals/lookalike-domain.js';
import { loadTrust, type TrustMap, trustOf } from './trust.js';
import { addressOnlyMail, type FraudHistory } from './types.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Who is an impostor, never offered as "the customer" to call or to record a number for:
 * - the sender of a mail that is flagged (not cleared) and imitates someone — as judged then
 *   (`imitated`), or now (its domain is a look-alike of a party that has since earned trust);
 * - the Reply-To target of a flagged mail, when it is another domain than the sender's;
 * and their companies (the look-alike domain). A party that earned trust (trust.ts) is never one:
 * a real customer's hijacked account stays callable on the number on record. A stranger whose
 * first mail is flagged but imitates nobody stays callable too: a number from the contract is
 * how that flag gets checked.
 */
export async function impostorContacts(db: Db): Promise<{ contacts: string[]; companies: string[] }> {
  const rows = await db
    .selectFrom('fraud_assessments')
    .innerJoin('message_contacts', 'message_contacts.message_id', 'fraud_assessments.message_id')
    .innerJoin('contacts', 'contacts.id', 'message_contacts.contact_id')
    .innerJoin('messages', 'messages.id', 'fraud_assessments.message_id')
    .leftJoin('companies', 'companies.id', 'contacts.company_id')
    .where('message_contacts.role', 'in', ['from', 'reply_to'])
    .where('fraud_assessments.cleared_at', 'is', null)
    .where((eb) => eb.or([eb('fraud_assessments.level', '!=', 'none'), eb('fraud_assessments.imitated', '!=', '[]')]))
    .select([
      'contacts.id',
      'contacts.address',
      'contacts.company_id',
      'companies.domain',
      'message_contacts.role',
      'messages.from_addr',
      'fraud_assessments.imitated',
    ])
    .distinct()
    .execute();
  if (rows.length === 0) return { contacts: [], companies: [] };
  // Their own parties, and the domains their addresses could be taken to imitate (decision 0065).
  const parties = await withLookalikeCandidates(
    db,
    rows.map((r) => r.address),
  );
  const trust = await loadTrust(db, { ...parties, domains: [...parties.domains, ...rows.flatMap((r) => r.domain ?? [])] });
  const history = await lookalikeHistory(db, trust);
  const suspects = rows.filter((r) => {
    if (trustOf(trust, r.address, r.domain) !== undefined) return false;
    if (r.role === 'reply_to') return registrableDomainOf(r.address) !== registrableDomainOf(r.from_addr);
    return r.imitated !== '[]' || imitatesNow(r.address, history);
  });
  return {
    contacts: [...new Set(suspects.map((r) => r.id))],
    companies: [...new Set(suspects.map((r) => r.company_id).filter((c): c is string => c !== null))],
  };
}

/** What the look-alike check needs, as the workspace is now: our domains, trusted and vouched ones. */
async function lookalikeHistory(db: Db, trust: TrustMap): Promise<FraudHistory> {
  const mailboxes = await db.selectFrom('mailboxes').select('address').execute();
  return {
    ownDomains: [...new Set(mailboxes.map((m) => registrableDomainOf(m.address)).filter((d): d is string => d !== null))],
    knownDomains: [...trust.domains.keys()],
    establishedDomains: [...trust.domains].filter(([, t]) => t.vouched).map(([d]) => d),
    contactsNamedLikeSender: [],
    bankIdentifiers: {},
    thread: null,
    senderTrusted: false,
  };
}

function imitatesNow(address: string, history: FraudHistory): boolean {
  if (!companyDomainFor(address)) return false;
  return lookalikeSignals(addressOnlyMail(address), history).imitated.length > 0;
}
