import type { AuthResults } from '../conversations/index.js';

/** A reason a sales assistant can read, in both UI languages. */
export type Reason = { en: string; 'zh-CN': string };

export type FraudSignal = {
  /** Stable name, e.g. `lookalike_domain`; the UI and tests key on it. */
  code: string;
  /** Points added to the score; negative for reassuring evidence. */
  weight: number;
  reason: Reason;
};

export type FraudLevel = 'none' | 'warn' | 'high';

export type Assessment = { score: number; level: FraudLevel; signals: FraudSignal[] };

export type Address = { address: string | null; name: string | null };

/** What an attachment turned out to be once opened (archives listed, encryption detected). */
export type AttachmentFacts = {
  filename: string;
  mime: string;
  /** Present when the attachment is a ZIP archive that could be listed. */
  archive?: { entries: string[]; encrypted: boolean } | undefined;
  /** The bytes are a program (MZ, ELF, Mach-O), whatever the name says. */
  program?: boolean | undefined;
};

/** The text of one readable document attachment (whitespace collapsed, NFKC). */
export type AttachmentDocument = { filename: string; text: string };

/** The parts of one incoming mail the signals look at; built from parseMail or from stored rows. */
export type FraudMail = {
  from: Address | null;
  replyTo: Address[];
  subject: string;
  text: string;
  inReplyTo: string | null;
  references: string[];
  attachments: AttachmentFacts[];
  /** Text read from PDF/DOCX attachments (attachment-text.ts): payment words and bank details hide there too. */
  documents: AttachmentDocument[];
  authResults: AuthResults | null;
  /** Sent to a list (List-Id, Precedence: bulk/list): newsletters legitimately answer elsewhere. */
  bulk: boolean;
};

export type BankIdentifierKind = 'iban' | 'bic' | 'account';
export type BankIdentifier = { kind: BankIdentifierKind; value: string };

/**
 * What the workspace knew before this mail: read from the database by history.ts, passed
 * to the pure signal functions so they can be tested without one.
 */
export type FraudHistory = {
  /** Registrable domains of the team's own mailboxes. */
  ownDomains: string[];
  /**
   * Trusted company domains (trust.ts: the team wrote to them, clean mail over time, a person vouched)
   * the sender may imitate: those trusted before the sender was, plus the sender's own when trusted.
   * Nothing learned from flagged mail is here until a person clears the flag.
   */
  knownDomains: string[];
  /** Domains a person vouched for (admin mark, cleared flag, confirmed call): never suspected as look-alikes. */
  establishedDomains: string[];
  /** Trusted contacts (name + address) whose name equals the sender's display name; empty when the sender is trusted. */
  contactsNamedLikeSender: { name: string; address: string }[];
  /** The sender's company (or free-mail address) is trusted: not a first contact. */
  senderTrusted: boolean;
  /** Bank identifiers seen before, per company domain (only ones not first seen in a high-risk mail). */
  bankIdentifiers: Record<string, BankIdentifier[]>;
  /** The thread this mail replies into, when it names a stored message: who the customer side was (flagged senders left out). */
  thread: { conversationId: string; counterpartyAddresses: string[] } | null;
  /** Phone numbers (E.164) an admin vouched for: not a call-back scam's number. */
  trustedPhones?: string[] | undefined;
};

/** A mail that is only its sender (and Reply-To): what the look-alike check of an address reads. */
export function addressOnlyMail(from: string, replyTo: string[] = []): FraudMail {
  return {
    from: { address: from, name: null },
    replyTo: replyTo.map((address) => ({ address, name: null })),
    subject: '',
    text: '',
    inReplyTo: null,
    references: [],
    attachments: [],
    documents: [],
    authResults: null,
    bulk: false,
  };
}
