import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { companyDomainFor } from '../contacts/index.js';
import {
  findConversationsByMessageIds,
  findConversationsByReplies,
  findMessagesOutsideMailbox,
  selectConversationForBump,
  selectConversationMailboxes,
  selectConversationsForBump,
} from './conversation-queries.js';
import type { TeamActivityCheck } from './ingest.js';
import type { StorableMail } from './packed-mail.js';
import type { PierMessageIds } from './pier-message-id.js';
import type { ConversationRelation } from './relations.js';
import { isReplyOrForward, subjectKey } from './subject.js';
import { loadStoredSubjectMatches } from './subject-candidates.js';
import { decideThread, type ThreadMail, usesSubjectFallback } from './threading.js';

type Db = Kysely<Database> | Transaction<Database>;
type Parsed = StorableMail['parsed'];

/** A conversation a batch adds to or starts, as the batch's writes need it. */
export type ConversationState = {
  isNew: boolean;
  subject: string;
  subjectKey: string;
  counterparty: string | null;
  lastMessageAt: number;
  /** Stored conversations: what the database had when the batch first touched it. */
  storedStatus?: string;
  storedLastMessageAt?: number;
  /** A message from the customer reopens a stored conversation that is not open. */
  reopen: boolean;
};

/** A new mail of the batch, with every mailbox the batch delivers it to, as its first delivery in the batch has it. */
export type FreshMail = {
  parsed: Parsed;
  mailboxes: string[];
  direction: 'in' | 'out';
  receivedAt: number;
  conversationId?: string | undefined;
};
/** A mail already stored that the batch delivers (again) to a mailbox. */
export type RepeatDelivery = { messageId: string; conversationId: string; mailboxId: string };

/**
 * The threading of one batch: what the batch needs from the database is read first in a few
 * IN-list queries; the batch's own messages and conversations are kept in memory, so later mails
 * of the batch find them as stored mail would be found. The decision itself is `decideThread`.
 */
export async function startBatchThreading(
  trx: Db,
  ctx: { ownAddresses: ReadonlySet<string>; messageIds: PierMessageIds; teamActivity: TeamActivityCheck },
  fresh: FreshMail[],
  repeats: RepeatDelivery[],
) {
  const conversations = new Map<string, ConversationState>();
  /** The mailboxes each known conversation is in: stored links plus the batch's own. */
  const mailboxSets = new Map<string, Set<string>>();
  const headerMatches = new Map<string, { receivedAt: number; conversationId: string }[]>();
  const replyMatches = new Map<string, string[]>();
  const addTo = <V>(map: Map<string, V[]>, key: string, value: V) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };

  const referencesOf = (p: Parsed) => [...(p.inReplyTo ? [p.inReplyTo] : []), ...p.references];
  const named = [...new Set(fresh.flatMap((f) => referencesOf(f.parsed)))];
  for (const row of await findConversationsByMessageIds(trx, named)) {
    if (row.message_id_header)
      addTo(headerMatches, row.message_id_header, { receivedAt: row.received_at, conversationId: row.conversation_id });
  }
  const own = [...new Set(fresh.map((f) => f.parsed.messageId).filter((id): id is string => Boolean(id)))];
  for (const row of await findConversationsByReplies(trx, own)) {
    if (row.in_reply_to) addTo(replyMatches, row.in_reply_to, row.conversation_id);
  }
  const pierConversations = new Map(fresh.map((f) => [f, ctx.messageIds.verifiedConversation(referencesOf(f.parsed))]));
  const threadMails = new Map(
    fresh.map((f): [FreshMail, ThreadMail] => [
      f,
      {
        mailboxes: f.mailboxes,
        references: referencesOf(f.parsed),
        subjectKey: subjectKey(f.parsed.subject),
        isReplyOrForward: isReplyOrForward(f.parsed.subject),
        counterparty: counterpartyOf(f.parsed, f.direction, ctx.ownAddresses),
        receivedAt: f.receivedAt,
      },
    ]),
  );
  // The outbox names its conversation: only the other mails look for one by subject.
  const storedSubjectMatches = await loadStoredSubjectMatches(
    trx,
    fresh.flatMap((f) => (f.conversationId ? [] : [threadMails.get(f) as ThreadMail])),
  );

  // The stored conversations the evidence names, read at once (a subject match's when it is offered).
  const evidence = new Set([
    ...[...headerMatches.values()].flat().map((m) => m.conversationId),
    ...[...replyMatches.values()].flat(),
    ...[...pierConversations.values()].filter((id): id is string => id !== null),
    ...fresh.flatMap((f) => (f.conversationId ? [f.conversationId] : [])),
    ...repeats.map((r) => r.conversationId),
  ]);
  const storedRows = new Map((await selectConversationsForBump(trx, [...evidence])).map((row) => [row.id, row]));
  const loadMailboxes = async (ids: string[]) => {
    for (const id of ids) if (!mailboxSets.has(id)) mailboxSets.set(id, new Set());
    for (const row of await selectConversationMailboxes(trx, ids)) mailboxSets.get(row.conversation_id)?.add(row.mailbox_id);
  };
  await loadMailboxes([...new Set([...storedRows.keys(), ...storedSubjectMatches.conversationIds])]);

  // Stored mail delivered to a mailbox its conversation is not in: which messages would that show?
  const outside = new Map<string, string[]>();
  const deliveredAgain = new Set(repeats.map((r) => `${r.messageId}\n${r.mailboxId}`));
  for (const mailboxId of new Set(repeats.map((r) => r.mailboxId))) {
    const unlinked = repeats.filter((r) => r.mailboxId === mailboxId && !mailboxSets.get(r.conversationId)?.has(mailboxId));
    const ids = [...new Set(unlinked.map((r) => r.conversationId))];
    for (const row of await findMessagesOutsideMailbox(trx, ids, mailboxId)) {
      if (!deliveredAgain.has(`${row.message_id}\n${mailboxId}`)) addTo(outside, `${row.conversation_id}\n${mailboxId}`, row.message_id);
    }
  }
  // A copy may link a conversation holding only this mail, unless the team worked on it already:
  // its notes and replies must not follow the sender's re-sent first mail into another mailbox.
  const mayLink = repeats.filter(
    (r) => !mailboxSets.get(r.conversationId)?.has(r.mailboxId) && !outside.has(`${r.conversationId}\n${r.mailboxId}`),
  );
  const workedOn = await ctx.teamActivity(trx, [...new Set(mayLink.map((r) => r.conversationId))]);
  /** The batch's new messages in stored conversations, with the mailboxes they were delivered to. */
  const joinedInBatch = new Map<string, (readonly string[])[]>();

  const touchStored = async (id: string): Promise<ConversationState> => {
    let state = conversations.get(id);
    if (!state) {
      const row = storedRows.get(id) ?? (await selectConversationForBump(trx, id));
      if (!row) throw new Error(`conversation ${id} vanished`);
      state = {
        isNew: false,
        subject: row.subject,
        subjectKey: row.subject_key,
        counterparty: row.counterparty,
        lastMessageAt: row.last_message_at,
        storedStatus: row.status,
        storedLastMessageAt: row.last_message_at,
        reopen: false,
      };
      conversations.set(id, state);
    }
    return state;
  };
  const exists = (id: string) => conversations.has(id) || storedRows.has(id);

  /** The candidates of the subject fallback: the newest stored ones in the mail's mailboxes, then the batch's. */
  const sameSubject = (mail: ThreadMail) => {
    if (!usesSubjectFallback(mail) || !mail.counterparty) return [];
    const company = companyDomainFor(mail.counterparty);
    const sameCustomer = (counterparty: string | null) =>
      counterparty !== null && (counterparty === mail.counterparty || (company !== null && companyDomainFor(counterparty) === company));
    const candidates: { conversationId: string; lastMessageAt: number; startedAsReply: boolean }[] = [];
    for (const stored of storedSubjectMatches.forMail(mail)) {
      const at = conversations.get(stored.conversation_id)?.lastMessageAt ?? stored.last_message_at;
      candidates.push({ conversationId: stored.conversation_id, lastMessageAt: at, startedAsReply: isReplyOrForward(stored.subject) });
    }
    for (const [id, c] of conversations) {
      if (c.subjectKey === mail.subjectKey && sameCustomer(c.counterparty))
        candidates.push({ conversationId: id, lastMessageAt: c.lastMessageAt, startedAsReply: isReplyOrForward(c.subject) });
    }
    return candidates;
  };

  /** Conversations this batch keeps apart from ones the evidence named (see relations.ts). */
  const relations: ConversationRelation[] = [];

  return {
    conversations,
    relations,

    /** The conversation of a new mail: the one the sender chose (the outbox), or threading's. */
    async threadNew(mail: FreshMail): Promise<string> {
      const { parsed, direction, receivedAt } = mail;
      const thread = threadMails.get(mail);
      if (!thread) throw new Error('a new mail was not given to startBatchThreading');
      const { counterparty } = thread;
      const pierConversation = pierConversations.get(mail) ?? null;
      // The outbox names the conversation (a new mail's does not exist yet); threading finds only existing ones.
      const decision = mail.conversationId
        ? { conversationId: exists(mail.conversationId) ? mail.conversationId : null, related: [] }
        : decideThread(
            thread,
            {
              pierConversation: pierConversation && exists(pierConversation) ? pierConversation : null,
              referenced: thread.references.flatMap((id) => headerMatches.get(id) ?? []),
              repliedBy: parsed.messageId ? (replyMatches.get(parsed.messageId) ?? []) : [],
              sameSubject: sameSubject(thread),
            },
            (id) => mailboxSets.get(id),
          );
      const joined = decision.conversationId;
      const conversationId = joined ?? mail.conversationId ?? newId();
      // Evidence that named a conversation in another mailbox: a link for people who can read both.
      if (!joined && 'related' in decision) {
        for (const relatedId of decision.related) relations.push({ conversationId, relatedId, reason: 'thread' });
      }
      if (joined) {
        // A new message moves the conversation up the list (never down: mail can arrive late).
        const state = await touchStored(joined);
        if (state.lastMessageAt < receivedAt) state.lastMessageAt = receivedAt;
        if (direction === 'in') state.reopen = true;
        addTo(joinedInBatch, joined, mail.mailboxes);
      } else {
        conversations.set(conversationId, {
          isNew: true,
          subject: parsed.subject,
          subjectKey: thread.subjectKey,
          counterparty,
          lastMessageAt: receivedAt,
          reopen: false,
        });
      }
      const mailboxes = mailboxSets.get(conversationId) ?? new Set<string>();
      for (const m of mail.mailboxes) mailboxes.add(m);
      mailboxSets.set(conversationId, mailboxes);
      // Later mails of the batch find this one as stored mail would be found.
      if (parsed.messageId) addTo(headerMatches, parsed.messageId, { receivedAt, conversationId });
      if (parsed.inReplyTo) addTo(replyMatches, parsed.inReplyTo, conversationId);
      return conversationId;
    },

    /**
     * Whether mail delivered to `mailboxId` shows its conversation there. A new mail's conversation
     * is in all its mailboxes already; a stored mail delivered to one more mailbox brings its
     * conversation along only when every other message of it was delivered there too: the same mail
     * to sales@ and info@ is one conversation in both queues, but a copy never opens a thread, nor a
     * conversation the team has worked on (notes, replies, a person's events).
     */
    showsIn(conversationId: string, mailboxId: string): boolean {
      const mailboxes = mailboxSets.get(conversationId);
      if (mailboxes?.has(mailboxId)) return true;
      if (outside.has(`${conversationId}\n${mailboxId}`)) return false;
      if (workedOn.has(conversationId)) return false;
      if ((joinedInBatch.get(conversationId) ?? []).some((delivered) => !delivered.includes(mailboxId))) return false;
      mailboxes?.add(mailboxId);
      return true;
    },
  };
}

/** The customer side of a message: who wrote in, or whom the team wrote to. */
function counterpartyOf(parsed: Parsed, direction: 'in' | 'out', own: ReadonlySet<string>): string | null {
  const candidates = direction === 'in' ? [parsed.from, ...parsed.replyTo] : [...parsed.to, ...parsed.cc];
  return candidates.map((a) => a?.address?.toLowerCase()).find((a): a is string => Boolean(a) && !own.has(a as string)) ?? null;
}
