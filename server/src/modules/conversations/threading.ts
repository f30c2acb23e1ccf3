/**
 * Which conversation a new mail joins: a pure decision over what the mail says (its threading
 * headers, subject, customer) and the candidate conversations that ingest looked up for it.
 * The rule that keeps mailboxes apart (decision 0027): a mail joins only a conversation that is
 * already in every mailbox it was delivered to; otherwise it starts a new one there. A mail never
 * widens who can read mail that is already stored.
 */

/** Replies whose threading headers were lost join a conversation with the same subject and customer this recent. */
export const SUBJECT_FALLBACK_WINDOW_MS = 60 * 24 * 60 * 60_000;

/** What threading needs to know about a new mail. */
export type ThreadMail = {
  /** The mailboxes this mail was delivered to (one for a sync batch; all recipients for SMTP). */
  mailboxes: readonly string[];
  /** In-Reply-To first, then References. */
  references: readonly string[];
  /** The normalised subject (subjectKey) and whether it carries a reply or forward prefix. */
  subjectKey: string;
  isReplyOrForward: boolean;
  /** The customer side: who wrote in, or whom the team wrote to. */
  counterparty: string | null;
  receivedAt: number;
};

/** Candidate conversations, each found by one kind of evidence (stored or earlier in the same batch). */
export type ThreadEvidence = {
  /** The conversation named by a Pier Message-ID among the references whose tag verifies, if it exists. */
  pierConversation: string | null;
  /** Conversations of the messages the references name, with those messages' dates. */
  referenced: readonly { conversationId: string; receivedAt: number }[];
  /** Conversations of replies to this mail that arrived before it. */
  repliedBy: readonly string[];
  /**
   * Conversations with the same subject key and customer (the address, or a colleague at the
   * same company domain), with their last activity and whether a reply or forward started them.
   */
  sameSubject: readonly { conversationId: string; lastMessageAt: number; startedAsReply: boolean }[];
};

export type ThreadDecision =
  | { conversationId: string; by: 'pier-id' | 'references' | 'reply' | 'subject' }
  /** A new conversation; `related` are the conversations the evidence named in other mailboxes. */
  | { conversationId: null; related: string[] };

/**
 * Whether the subject-and-customer fallback applies (and its candidates are worth looking up):
 * a reply without threading headers, or an original without them (its replies may have come first).
 */
export function usesSubjectFallback(mail: ThreadMail): boolean {
  return mail.references.length === 0 && mail.counterparty !== null && mail.subjectKey !== '';
}

/**
 * Most reliable evidence first:
 * 1. a verified Pier Message-ID in the references (survives providers that rewrite Message-IDs);
 * 2. the references naming a stored message (the newest one);
 * 3. a stored reply naming this mail (newest-first sync stores replies first);
 * 4. a reply-prefixed subject + the same customer (address, or a colleague at the same company
 *    domain, never a free-mail one) within 60 days (Outlook replies that lost their headers); an
 *    original without prefix joins only a conversation its replies started, newer than it. Two
 *    customers writing "Inquiry" never meet here: the customer is part of the key, and a subject
 *    without Re:/Fwd: never joins an old thread on its own.
 * Each kind only counts conversations that `mailboxesOf` says are in all of the mail's mailboxes.
 */
export function decideThread(
  mail: ThreadMail,
  evidence: ThreadEvidence,
  mailboxesOf: (conversationId: string) => ReadonlySet<string> | undefined,
): ThreadDecision {
  const related = new Set<string>();
  const inReach = (conversationId: string) => {
    const mailboxes = mailboxesOf(conversationId);
    const ok = mail.mailboxes.length > 0 && mail.mailboxes.every((m) => mailboxes?.has(m));
    if (!ok) related.add(conversationId);
    return ok;
  };

  if (evidence.pierConversation && inReach(evidence.pierConversation)) {
    return { conversationId: evidence.pierConversation, by: 'pier-id' };
  }
  let newest: { conversationId: string; receivedAt: number } | undefined;
  for (const match of evidence.referenced) {
    if (newest && match.receivedAt <= newest.receivedAt) continue;
    if (inReach(match.conversationId)) newest = match;
  }
  if (newest) return { conversationId: newest.conversationId, by: 'references' };
  const reply = evidence.repliedBy.find(inReach);
  if (reply) return { conversationId: reply, by: 'reply' };
  if (usesSubjectFallback(mail)) {
    const since = mail.receivedAt - SUBJECT_FALLBACK_WINDOW_MS;
    const until = mail.receivedAt + SUBJECT_FALLBACK_WINDOW_MS;
    // A reply joins a recent conversation; an original joins only one its replies started,
    // when they are newer than it (newest-first sync stores the replies first).
    const fits = (c: ThreadEvidence['sameSubject'][number]) =>
      mail.isReplyOrForward ? c.lastMessageAt >= since : c.startedAsReply && c.lastMessageAt >= mail.receivedAt && c.lastMessageAt <= until;
    let best: ThreadEvidence['sameSubject'][number] | undefined;
    for (const candidate of evidence.sameSubject) {
      if (!fits(candidate) || (best && candidate.lastMessageAt <= best.lastMessageAt)) continue;
      if (inReach(candidate.conversationId)) best = candidate;
    }
    if (best) return { conversationId: best.conversationId, by: 'subject' };
  }
  return { conversationId: null, related: [...related] };
}
