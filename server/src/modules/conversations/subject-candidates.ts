import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { companyDomainFor } from '../contacts/index.js';
import { findConversationsBySubjects } from './conversation-queries.js';
import { SUBJECT_FALLBACK_WINDOW_MS, type ThreadMail, usesSubjectFallback } from './threading.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A stored conversation the subject fallback may offer (decision 0039). */
export type StoredSubjectMatch = { conversation_id: string; last_message_at: number; subject: string };

/** How many stored conversations one mail is offered, newest first (what the per-mail query's LIMIT was). */
const PER_MAIL = 5;

/**
 * The stored conversations of the subject fallback for a whole batch in one query (per chunk),
 * instead of one query per mail without threading headers: every conversation with one of the
 * batch's subject keys and customers, in the batch's mailboxes, recent enough for its oldest
 * mail. Each mail then picks its own from them in memory with the same rules the per-mail
 * query had: same subject key, the customer's address or a colleague at the same company domain,
 * active within the window, in every mailbox of the mail, the newest five.
 */
export async function loadStoredSubjectMatches(db: Db, mails: readonly ThreadMail[]) {
  const wanted = mails.filter((m) => usesSubjectFallback(m) && m.counterparty !== null);
  const byKey = new Map<string, (StoredSubjectMatch & { counterparty: string; mailboxes: Set<string> })[]>();
  if (wanted.length > 0) {
    const rows = await findConversationsBySubjects(db, {
      customers: wanted.map((m) => ({
        subjectKey: m.subjectKey,
        address: m.counterparty as string,
        companyDomain: companyDomainFor(m.counterparty as string),
      })),
      since: Math.min(...wanted.map((m) => m.receivedAt)) - SUBJECT_FALLBACK_WINDOW_MS,
      mailboxIds: [...new Set(wanted.flatMap((m) => m.mailboxes))],
    });
    const seen = new Map<string, { mailboxes: Set<string> }>();
    for (const row of rows) {
      const known = seen.get(row.conversation_id);
      if (known) {
        known.mailboxes.add(row.mailbox_id);
        continue;
      }
      const match = {
        conversation_id: row.conversation_id,
        last_message_at: row.last_message_at,
        subject: row.subject,
        counterparty: row.counterparty ?? '',
        mailboxes: new Set([row.mailbox_id]),
      };
      seen.set(row.conversation_id, match);
      const list = byKey.get(row.subject_key);
      if (list) list.push(match);
      else byKey.set(row.subject_key, [match]);
    }
  }

  /** The stored candidates of one mail, newest first, as the per-mail query returned them. */
  const forMail = (mail: ThreadMail): StoredSubjectMatch[] => {
    if (!usesSubjectFallback(mail) || !mail.counterparty) return [];
    const address = mail.counterparty;
    const since = mail.receivedAt - SUBJECT_FALLBACK_WINDOW_MS;
    const company = companyDomainFor(address);
    const sameCustomer = (counterparty: string) =>
      counterparty === address || (company !== null && (counterparty.endsWith(`@${company}`) || counterparty.endsWith(`.${company}`)));
    return (byKey.get(mail.subjectKey) ?? [])
      .filter((c) => c.last_message_at >= since && sameCustomer(c.counterparty) && mail.mailboxes.every((m) => c.mailboxes.has(m)))
      .sort((a, b) => b.last_message_at - a.last_message_at || (a.conversation_id < b.conversation_id ? -1 : 1))
      .slice(0, PER_MAIL)
      .map(({ conversation_id, last_message_at, subject }) => ({ conversation_id, last_message_at, subject }));
  };
  /** Every conversation any mail of the batch may be offered (their mailboxes are read at once). */
  const conversationIds = [...byKey.values()].flat().map((c) => c.conversation_id);
  return { forMail, conversationIds };
}
