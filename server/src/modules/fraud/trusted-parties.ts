import { domainToASCII } from 'node:url';
import type { TrustedParty, TrustedPartyInput } from '@pier/contracts';
import { newId } from '../../db/ids.js';
import { AppError } from '../../errors.js';
import { recordAudit } from '../audit/index.js';
import { companyDomainFor } from '../contacts/index.js';
import { normalisePhone } from './contact-phone.js';
import { isFreeMailDomain, registrableDomainOf } from './domains.js';
import { conversationsAbout, type FraudDeps, reassessConversations } from './reassess.js';
import { bankAccountOf } from './signals/bank-identifiers.js';

type Actor = { userId: string; ip?: string | null };

/** Every mark a person made (admin marks and cleared flags), revoked ones included, newest first. */
export async function listTrustedParties(deps: FraudDeps): Promise<TrustedParty[]> {
  const rows = await deps.db
    .selectFrom('fraud_trusted_parties as t')
    .leftJoin('users as u', 'u.id', 't.decided_by')
    .leftJoin('users as r', 'r.id', 't.revoked_by')
    .select([
      't.id',
      't.kind',
      't.value',
      't.company_domain',
      't.source',
      't.reason',
      't.created_at',
      't.revoked_at',
      't.revoke_reason',
      'u.name as decided_by_name',
      'r.name as revoked_by_name',
    ])
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    value: r.value,
    companyDomain: r.company_domain,
    source: r.source,
    reason: r.reason,
    decidedBy: r.decided_by_name,
    createdAt: Number(r.created_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
    revokedBy: r.revoked_by_name,
    revokeReason: r.revoke_reason,
  }));
}

/** The stored form of what an admin typed, or 400: registrable domain, lower-case address, IBAN/BIC/account, E.164. */
function normaliseParty(input: TrustedPartyInput): { value: string; companyDomain: string | null } {
  const invalid = (what: string) => new AppError('fraud.party_invalid', 400, what);
  switch (input.kind) {
    case 'domain': {
      const domain = registrableDomainOf(`x@${domainToASCII(input.value.trim().toLowerCase())}`);
      if (!domain) throw invalid('not a domain: write it as example.com');
      // Trusting gmail.com would trust every stranger who opens a mailbox there.
      if (isFreeMailDomain(domain)) throw new AppError('fraud.party_free_mail', 400, 'a free-mail domain: trust the address instead');
      return { value: domain, companyDomain: null };
    }
    case 'address': {
      const address = input.value.trim().toLowerCase();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) throw invalid('not an e-mail address');
      return { value: address, companyDomain: null };
    }
    case 'bank_account': {
      const account = bankAccountOf(input.value);
      if (!account) throw invalid('not a bank account: an IBAN, a SWIFT/BIC code or an account number of 8 to 34 digits');
      const company = input.companyDomain ? registrableDomainOf(`x@${domainToASCII(input.companyDomain.trim().toLowerCase())}`) : null;
      if (!company) throw invalid('a bank account is trusted for one company: give its domain (companyDomain)');
      return { value: account.value, companyDomain: company };
    }
    case 'phone':
      return { value: normalisePhone(input.value, input.defaultCountry), companyDomain: null };
  }
}

/** Conversations whose judgement a change of trust in this party can change. */
async function affectedConversations(deps: FraudDeps, party: { kind: string; value: string; companyDomain: string | null }) {
  if (party.kind === 'domain') return conversationsAbout(deps.db, { domain: party.value, address: null });
  if (party.kind === 'address') return conversationsAbout(deps.db, { domain: companyDomainFor(party.value), address: party.value });
  if (party.kind === 'bank_account') return conversationsAbout(deps.db, { domain: party.companyDomain, address: null });
  // A phone number: the mails that named it as a number to call.
  const rows = await deps.db
    .selectFrom('fraud_assessments')
    .innerJoin('conversation_messages', 'conversation_messages.message_id', 'fraud_assessments.message_id')
    .where('fraud_assessments.signals', 'like', '%"callback_number"%')
    .select('conversation_messages.conversation_id')
    .distinct()
    .execute();
  return rows.map((r) => r.conversation_id);
}

/**
 * An admin vouches for a party: a company domain, a contact's address, a bank account of one
 * company, or a phone number. Audited `fraud.party_trusted`; the conversations about that party
 * are judged again. Marking a party that already has a live mark of the same kind is a 409.
 */
export async function markPartyTrusted(
  deps: FraudDeps,
  actor: Actor,
  input: TrustedPartyInput,
): Promise<{ id: string; reassessed: string[] }> {
  const party = { kind: input.kind, ...normaliseParty(input) };
  const id = newId();
  await deps.db.transaction().execute(async (trx) => {
    const live = await trx
      .selectFrom('fraud_trusted_parties')
      .where('kind', '=', party.kind)
      .where('value', '=', party.value)
      .where('revoked_at', 'is', null)
      .where((eb) => (party.companyDomain ? eb('company_domain', '=', party.companyDomain) : eb.lit(true)))
      .select('id')
      .executeTakeFirst();
    if (live) throw new AppError('fraud.party_already_trusted', 409, `${party.value} is already trusted`);
    await trx
      .insertInto('fraud_trusted_parties')
      .values({
        id,
        kind: party.kind,
        value: party.value,
        company_domain: party.companyDomain,
        source: 'admin',
        message_id: null,
        reason: input.reason,
        decided_by: actor.userId,
        created_at: Date.now(),
      })
      .execute();
    await recordAudit(trx, {
      actorId: actor.userId,
      action: 'fraud.party_trusted',
      targetType: 'fraud_trusted_party',
      targetId: id,
      ip: actor.ip ?? null,
      details: { kind: party.kind, value: party.value, companyDomain: party.companyDomain, reason: input.reason },
    });
  });
  return { id, reassessed: await reassessConversations(deps, await affectedConversations(deps, party)) };
}

/**
 * An admin withdraws a mark (its own, another admin's, or the trust a cleared flag gave): the
 * row stays with who revoked it, when and why; audited `fraud.party_trust_revoked`; the
 * conversations about that party are judged again. The cleared flag itself stays cleared.
 */
export async function revokeTrustedParty(
  deps: FraudDeps,
  actor: Actor,
  input: { id: string; reason: string },
): Promise<{ reassessed: string[] }> {
  const row = await deps.db.selectFrom('fraud_trusted_parties').where('id', '=', input.id).selectAll().executeTakeFirst();
  if (!row) throw new AppError('fraud.party_not_found', 404, 'no such trust mark');
  await deps.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('fraud_trusted_parties')
      .set({ revoked_at: Date.now(), revoked_by: actor.userId, revoke_reason: input.reason })
      .where('id', '=', input.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError('fraud.party_already_revoked', 409, 'that trust mark was already revoked');
    await recordAudit(trx, {
      actorId: actor.userId,
      action: 'fraud.party_trust_revoked',
      targetType: 'fraud_trusted_party',
      targetId: input.id,
      ip: actor.ip ?? null,
      details: { kind: row.kind, value: row.value, companyDomain: row.company_domain, source: row.source, reason: input.reason },
    });
  });
  const party = { kind: row.kind, value: row.value, companyDomain: row.company_domain };
  return { reassessed: await reassessConversations(deps, await affectedConversations(deps, party)) };
}
