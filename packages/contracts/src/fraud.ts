import { z } from 'zod';

/** Fraud checks on incoming mail: GET /api/conversations/:id/fraud and phone confirmations. */
export const fraudLevels = ['none', 'warn', 'high'] as const;
export const FraudLevelSchema = z.enum(fraudLevels);
export type FraudLevel = z.infer<typeof FraudLevelSchema>;

export const FraudReasonSchema = z.object({ en: z.string(), 'zh-CN': z.string() });
export const FraudSignalSchema = z.object({ code: z.string(), weight: z.number(), reason: FraudReasonSchema });
export type FraudSignal = z.infer<typeof FraudSignalSchema>;

export const FraudAssessmentSchema = z.object({
  messageId: z.string(),
  from: z.string().nullable(),
  receivedAt: z.number().int(),
  score: z.number().int(),
  level: FraudLevelSchema,
  signals: z.array(FraudSignalSchema),
  /** A person marked the flag "not fraud" (POST /api/conversations/:id/fraud/clear); it no longer counts. */
  cleared: z.object({ at: z.number().int(), byUserId: z.string(), reason: z.string() }).nullable(),
});

export const phoneOutcomes = ['confirmed', 'denied', 'unreachable'] as const;
export const PhoneOutcomeSchema = z.enum(phoneOutcomes);

export const PhoneConfirmationSchema = z.object({
  id: z.string(),
  contact: z.object({ id: z.string(), address: z.string(), name: z.string().nullable() }),
  phone: z.string(),
  calledBy: z.object({ id: z.string(), name: z.string() }),
  calledAt: z.number().int(),
  outcome: PhoneOutcomeSchema,
  note: z.string().nullable(),
  recordedBy: z.object({ id: z.string(), name: z.string() }),
  recordedAt: z.number().int(),
});
export type PhoneConfirmation = z.infer<typeof PhoneConfirmationSchema>;

/** A number on the customer record that may be called (never one from the mail). */
export const CallableContactSchema = z.object({
  contactId: z.string(),
  address: z.string(),
  name: z.string().nullable(),
  phone: z.string(),
});

export const ConversationFraudSchema = z.object({
  /** The highest level among the conversation's incoming mail whose flag was not cleared. */
  level: FraudLevelSchema,
  assessments: z.array(FraudAssessmentSchema),
  phoneConfirmation: z.object({
    /** The conversation carries a flag that must be checked by phone before paying, replying with payment details or closing. */
    required: z.boolean(),
    /** A call after the latest such flag reached an answer (confirmed or denied). */
    satisfied: z.boolean(),
    confirmations: z.array(PhoneConfirmationSchema),
    callableContacts: z.array(CallableContactSchema),
  }),
});
export type ConversationFraud = z.infer<typeof ConversationFraudSchema>;

export const PhoneConfirmationInputSchema = z.object({
  /** The contact whose recorded phone number was called; the server copies the number from the record. */
  contactId: z.string().min(1).max(100),
  outcome: PhoneOutcomeSchema,
  /** Epoch ms; defaults to now; not in the future. */
  calledAt: z.number().int().positive().optional(),
  /** The user who made the call; defaults to the one recording it. */
  calledByUserId: z.string().min(1).max(100).optional(),
  note: z.string().max(2000).optional(),
});
export type PhoneConfirmationInput = z.infer<typeof PhoneConfirmationInputSchema>;

/** GET/PUT /api/mailboxes/:id/fraud-settings — the per-mailbox second-approver rule. */
export const MailboxFraudSettingsSchema = z.object({
  /** Outgoing mail with payment details or a bill-of-lading attachment waits for a colleague's approval. */
  secondApprover: z.boolean(),
});
export type MailboxFraudSettings = z.infer<typeof MailboxFraudSettingsSchema>;

export const approvalReasons = ['payment_details', 'bill_of_lading'] as const;
export const ApprovalReasonSchema = z.enum(approvalReasons);

/** POST /api/outbox/:id/approval — a colleague other than the author decides. */
export const ApprovalDecisionInputSchema = z.object({
  decision: z.enum(['approve', 'reject']),
  note: z.string().trim().max(2000).optional(),
});
export type ApprovalDecisionInput = z.infer<typeof ApprovalDecisionInputSchema>;

/** An outgoing mail of the conversation that needs (or needed) a second approver. */
export const PendingApprovalSchema = z.object({
  outboxId: z.string(),
  messageId: z.string(),
  state: z.string(),
  subject: z.string(),
  to: z.array(z.string()),
  reasons: z.array(ApprovalReasonSchema),
  author: z.object({ id: z.string(), name: z.string() }),
  createdAt: z.number().int(),
  /** The signed-in user wrote it (and so may not approve it). */
  mine: z.boolean(),
  /** The signed-in user may decide: not the author, reply access to the mailbox. */
  canDecide: z.boolean(),
  decision: z
    .object({
      decision: z.enum(['approved', 'rejected']),
      by: z.object({ id: z.string(), name: z.string() }),
      at: z.number().int(),
      note: z.string().nullable(),
    })
    .nullable(),
});
export type PendingApproval = z.infer<typeof PendingApprovalSchema>;
export const PendingApprovalListSchema = z.object({ items: z.array(PendingApprovalSchema) });

/** PUT /api/contacts/:id/phone — a number from a trusted source, in any usual notation; stored as E.164. */
export const ContactPhoneInputSchema = z.object({
  /** null removes the number. */
  phone: z.string().trim().max(40).nullable(),
  /** ISO 3166 country for numbers written without +country code, e.g. "CN", "DE". */
  defaultCountry: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
});
export type ContactPhoneInput = z.infer<typeof ContactPhoneInputSchema>;
export const ContactPhoneSchema = z.object({ contactId: z.string(), address: z.string(), phone: z.string().nullable() });
export type ContactPhone = z.infer<typeof ContactPhoneSchema>;
/** GET /api/conversations/:id/contacts: the conversation's contacts with their phone numbers. */
export const ConversationContactSchema = ContactPhoneSchema.extend({ name: z.string().nullable() });
export type ConversationContact = z.infer<typeof ConversationContactSchema>;
export const ConversationContactListSchema = z.object({ items: z.array(ConversationContactSchema) });

/** POST /api/conversations/:id/fraud/clear — a person marks one flagged mail "not fraud". */
export const FraudFlagClearInputSchema = z.object({
  messageId: z.string().min(1).max(100),
  /** Why it is not fraud (kept in the audit log): e.g. "called Jonas on the number on record". */
  reason: z.string().trim().min(3).max(500),
});
export type FraudFlagClearInput = z.infer<typeof FraudFlagClearInputSchema>;

/**
 * GET /api/fraud/markers?ids=a,b — the list marker per conversation: the worst flag not cleared
 * (high over warn, the newest on a tie) with the reason of its strongest signal. Conversations
 * without such a flag are left out.
 */
export const FraudMarkerSchema = z.object({
  conversationId: z.string(),
  messageId: z.string(),
  level: z.enum(['warn', 'high']),
  reason: FraudReasonSchema,
});
export type FraudMarker = z.infer<typeof FraudMarkerSchema>;
export const FraudMarkersSchema = z.object({ markers: z.array(FraudMarkerSchema) });
export const FraudMarkersQuerySchema = z.object({
  ids: z
    .string()
    .max(200 * 40)
    .transform((v) => v.split(',').filter(Boolean))
    .pipe(z.array(z.string().min(1).max(64)).max(200)),
});

/** The kinds of party an admin can vouch for (issue 16): a company domain, a contact, a bank account, a phone number. */
export const TrustedPartyKindSchema = z.enum(['domain', 'address', 'bank_account', 'phone']);
export type TrustedPartyKind = z.infer<typeof TrustedPartyKindSchema>;

/** POST /api/fraud/trusted-parties — an admin marks a party trusted (audited; its conversations are judged again). */
export const TrustedPartyInputSchema = z.object({
  kind: TrustedPartyKindSchema,
  /** example.com, anna@example.com, an IBAN / SWIFT / account number, or a phone number in any usual notation. */
  value: z.string().trim().min(3).max(100),
  /** For a bank account: the domain of the company it belongs to. */
  companyDomain: z.string().trim().max(253).optional(),
  /** For a phone number written without +country code: ISO 3166 country, e.g. "CN". */
  defaultCountry: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  /** Why (kept in the audit log): e.g. "confirmed by phone with their CFO". */
  reason: z.string().trim().min(3).max(500),
});
export type TrustedPartyInput = z.infer<typeof TrustedPartyInputSchema>;

/** POST /api/fraud/trusted-parties/:id/revoke — an admin withdraws a mark (also one a cleared flag made). */
export const TrustedPartyRevokeInputSchema = z.object({ reason: z.string().trim().min(3).max(500) });
export type TrustedPartyRevokeInput = z.infer<typeof TrustedPartyRevokeInputSchema>;

/** One mark: by an admin (`admin`) or from a flag cleared as "not fraud" (`cleared`); revoked ones stay listed. */
export const TrustedPartySchema = z.object({
  id: z.string(),
  kind: TrustedPartyKindSchema,
  value: z.string(),
  companyDomain: z.string().nullable(),
  source: z.enum(['admin', 'cleared']),
  reason: z.string(),
  decidedBy: z.string().nullable(),
  createdAt: z.number().int(),
  revokedAt: z.number().int().nullable(),
  revokedBy: z.string().nullable(),
  revokeReason: z.string().nullable(),
});
export type TrustedParty = z.infer<typeof TrustedPartySchema>;
export const TrustedPartyListSchema = z.object({ items: z.array(TrustedPartySchema) });
