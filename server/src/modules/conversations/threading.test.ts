import { describe, expect, it } from 'vitest';
import { decideThread, SUBJECT_FALLBACK_WINDOW_MS, type ThreadEvidence, type ThreadMail, usesSubjectFallback } from './threading.js';

const now = Date.UTC(2026, 11, 6, 12);
const mail = (over: Partial<ThreadMail> = {}): ThreadMail => ({
  mailboxes: ['sales'],
  references: [],
  subjectKey: 'invoice 117',
  isReplyOrForward: false,
  counterparty: 'payer@customer.test',
  receivedAt: now,
  ...over,
});
const none: ThreadEvidence = { pierConversation: null, referenced: [], repliedBy: [], sameSubject: [] };
const evidence = (over: Partial<ThreadEvidence>): ThreadEvidence => ({ ...none, ...over });
/** Which mailboxes each conversation is in. */
const inMailboxes =
  (map: Record<string, string[]>) =>
  (id: string): ReadonlySet<string> | undefined =>
    map[id] ? new Set(map[id]) : undefined;
const mailboxesOf = inMailboxes({
  salesThread: ['sales'],
  olderSalesThread: ['sales'],
  accountingThread: ['accounting'],
  shared: ['sales', 'info'],
  everywhere: ['sales', 'info', 'accounting'],
});

describe('decideThread: a mail joins only a conversation already in every mailbox it reached', () => {
  it('starts a new conversation when nothing names one', () => {
    expect(decideThread(mail(), none, mailboxesOf)).toEqual({ conversationId: null, related: [] });
  });

  it('joins the conversation its references name in the same mailbox', () => {
    const decided = decideThread(
      mail({ references: ['<a@x>'] }),
      evidence({ referenced: [{ conversationId: 'salesThread', receivedAt: now - 1 }] }),
      mailboxesOf,
    );
    expect(decided).toEqual({ conversationId: 'salesThread', by: 'references' });
  });

  it('never joins a conversation of another mailbox by references, and names it as related', () => {
    const decided = decideThread(
      mail({ references: ['<a@x>'] }),
      evidence({ referenced: [{ conversationId: 'accountingThread', receivedAt: now - 1 }] }),
      mailboxesOf,
    );
    expect(decided).toEqual({ conversationId: null, related: ['accountingThread'] });
  });

  it('takes the newest referenced conversation within reach, passing over a newer one out of reach', () => {
    const referenced = [
      { conversationId: 'olderSalesThread', receivedAt: now - 3 },
      { conversationId: 'accountingThread', receivedAt: now - 1 },
      { conversationId: 'salesThread', receivedAt: now - 2 },
    ];
    expect(decideThread(mail({ references: ['<a@x>'] }), evidence({ referenced }), mailboxesOf)).toEqual({
      conversationId: 'salesThread',
      by: 'references',
    });
  });

  it('keeps the first of two equally new references (as the stored order had it)', () => {
    const referenced = [
      { conversationId: 'olderSalesThread', receivedAt: now - 1 },
      { conversationId: 'salesThread', receivedAt: now - 1 },
    ];
    expect(decideThread(mail({ references: ['<a@x>'] }), evidence({ referenced }), mailboxesOf).conversationId).toBe('olderSalesThread');
  });

  it('trusts a verified Pier id only for a conversation in the mailbox, before any other evidence', () => {
    const referenced = [{ conversationId: 'olderSalesThread', receivedAt: now }];
    expect(
      decideThread(mail({ references: ['<p@acme>'] }), evidence({ pierConversation: 'salesThread', referenced }), mailboxesOf),
    ).toEqual({ conversationId: 'salesThread', by: 'pier-id' });
    expect(
      decideThread(mail({ references: ['<p@acme>'] }), evidence({ pierConversation: 'accountingThread', referenced }), mailboxesOf),
    ).toEqual({ conversationId: 'olderSalesThread', by: 'references' });
  });

  it('joins the conversation of a reply that arrived first, only within reach', () => {
    expect(decideThread(mail(), evidence({ repliedBy: ['accountingThread', 'salesThread'] }), mailboxesOf)).toEqual({
      conversationId: 'salesThread',
      by: 'reply',
    });
    expect(decideThread(mail(), evidence({ repliedBy: ['accountingThread'] }), mailboxesOf)).toEqual({
      conversationId: null,
      related: ['accountingThread'],
    });
  });

  it('a mail to two mailboxes joins only a conversation in both; otherwise one new conversation for both', () => {
    const referenced = [{ conversationId: 'salesThread', receivedAt: now }];
    expect(decideThread(mail({ mailboxes: ['sales', 'info'], references: ['<a@x>'] }), evidence({ referenced }), mailboxesOf)).toEqual({
      conversationId: null,
      related: ['salesThread'],
    });
    const shared = [{ conversationId: 'shared', receivedAt: now }];
    expect(
      decideThread(mail({ mailboxes: ['sales', 'info'], references: ['<a@x>'] }), evidence({ referenced: shared }), mailboxesOf)
        .conversationId,
    ).toBe('shared');
    // A conversation in more mailboxes than the mail reached is within reach.
    const everywhere = [{ conversationId: 'everywhere', receivedAt: now }];
    expect(decideThread(mail({ references: ['<a@x>'] }), evidence({ referenced: everywhere }), mailboxesOf).conversationId).toBe(
      'everywhere',
    );
  });

  it('never joins a conversation whose mailboxes are unknown, nor anything for a mail that reached no mailbox', () => {
    const referenced = [{ conversationId: 'unknown', receivedAt: now }];
    expect(decideThread(mail({ references: ['<a@x>'] }), evidence({ referenced }), mailboxesOf).conversationId).toBeNull();
    const salesThread = [{ conversationId: 'salesThread', receivedAt: now }];
    expect(
      decideThread(mail({ mailboxes: [], references: ['<a@x>'] }), evidence({ referenced: salesThread }), mailboxesOf).conversationId,
    ).toBeNull();
  });
});

describe('decideThread: the subject-and-customer fallback', () => {
  const reply = mail({ isReplyOrForward: true });

  it('joins the newest conversation with the same subject and customer, within reach and within 60 days', () => {
    const sameSubject = [
      { conversationId: 'olderSalesThread', lastMessageAt: now - 5, startedAsReply: false },
      { conversationId: 'accountingThread', lastMessageAt: now - 1, startedAsReply: false },
      { conversationId: 'salesThread', lastMessageAt: now - 2, startedAsReply: false },
    ];
    expect(decideThread(reply, evidence({ sameSubject }), mailboxesOf)).toEqual({ conversationId: 'salesThread', by: 'subject' });
  });

  it('ignores a conversation quiet for longer than the window', () => {
    const sameSubject = [{ conversationId: 'salesThread', lastMessageAt: now - SUBJECT_FALLBACK_WINDOW_MS - 1, startedAsReply: false }];
    expect(decideThread(reply, evidence({ sameSubject }), mailboxesOf).conversationId).toBeNull();
    const edge = [{ conversationId: 'salesThread', lastMessageAt: now - SUBJECT_FALLBACK_WINDOW_MS, startedAsReply: false }];
    expect(decideThread(reply, evidence({ sameSubject: edge }), mailboxesOf).conversationId).toBe('salesThread');
  });

  it('lets an original without prefix join only a conversation its replies started, newer than it (newest-first sync)', () => {
    const startedByReply = [{ conversationId: 'salesThread', lastMessageAt: now + 60_000, startedAsReply: true }];
    expect(decideThread(mail(), evidence({ sameSubject: startedByReply }), mailboxesOf).conversationId).toBe('salesThread');
    const older = [{ conversationId: 'salesThread', lastMessageAt: now - 60_000, startedAsReply: true }];
    expect(decideThread(mail(), evidence({ sameSubject: older }), mailboxesOf).conversationId).toBeNull();
    const startedByOriginal = [{ conversationId: 'salesThread', lastMessageAt: now + 60_000, startedAsReply: false }];
    expect(decideThread(mail(), evidence({ sameSubject: startedByOriginal }), mailboxesOf).conversationId).toBeNull();
  });

  it('applies only to a reply-prefixed subject without threading headers, from a known customer', () => {
    const sameSubject = [{ conversationId: 'salesThread', lastMessageAt: now, startedAsReply: false }];
    expect(decideThread(mail(), evidence({ sameSubject }), mailboxesOf).conversationId).toBeNull();
    expect(usesSubjectFallback(reply)).toBe(true);
    expect(usesSubjectFallback(mail({ isReplyOrForward: true, references: ['<gone@x>'] }))).toBe(false);
    expect(usesSubjectFallback(mail({ isReplyOrForward: true, counterparty: null }))).toBe(false);
    expect(usesSubjectFallback(mail({ isReplyOrForward: true, subjectKey: '' }))).toBe(false);
    // Headers that name nothing stored do not fall back to the subject either.
    expect(
      decideThread(mail({ isReplyOrForward: true, references: ['<gone@x>'] }), evidence({ sameSubject }), mailboxesOf).conversationId,
    ).toBeNull();
  });

  it('prefers header evidence within reach over a subject match', () => {
    const decided = decideThread(
      mail({ isReplyOrForward: true }),
      evidence({
        repliedBy: ['olderSalesThread'],
        sameSubject: [{ conversationId: 'salesThread', lastMessageAt: now, startedAsReply: false }],
      }),
      mailboxesOf,
    );
    expect(decided).toEqual({ conversationId: 'olderSalesThread', by: 'reply' });
  });
});
