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
  /** The highest level among the conversation's incoming mail. */
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
