import { z } from 'zod';

/** Customers (issue 19, decision 0048): the directory of contacts and companies, their timeline, pools and CSV. */

const Id = z.string().min(1).max(64);
const Tag = z.string().trim().min(1).max(40);
export const CustomFieldsSchema = z.record(z.string().trim().min(1).max(60), z.string().max(500));

export const CustomerListQuerySchema = z.object({
  q: z.string().max(200).optional(),
  country: z.string().length(2).optional(),
  /** A user's id, `me`, or `none` (in the pool). */
  owner: z.string().max(64).optional(),
  tag: z.string().max(40).optional(),
  /** Last mail with the customer within the last N days / none for at least N days. */
  contactedWithinDays: z.coerce.number().int().min(1).max(3650).optional(),
  quietForDays: z.coerce.number().int().min(1).max(3650).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type CustomerListQuery = z.infer<typeof CustomerListQuerySchema>;

export const ContactSummarySchema = z.object({
  id: z.string(),
  address: z.string(),
  name: z.string().nullable(),
  company: z.object({ id: z.string(), name: z.string(), domain: z.string() }).nullable(),
  country: z.string().nullable(),
  /** The number verified for call-back (fraud's phone confirmations call it). */
  verifiedPhone: z.string().nullable(),
  owner: z.object({ id: z.string(), name: z.string() }).nullable(),
  tags: z.array(z.string()),
  firstSeenAt: z.number(),
  lastSeenAt: z.number(),
});
export type ContactSummary = z.infer<typeof ContactSummarySchema>;
export const ContactListSchema = z.object({ items: z.array(ContactSummarySchema), total: z.number().int() });
export type ContactList = z.infer<typeof ContactListSchema>;

export const CompanySummarySchema = z.object({
  id: z.string(),
  domain: z.string(),
  name: z.string(),
  country: z.string().nullable(),
  tags: z.array(z.string()),
  contacts: z.number().int(),
  lastSeenAt: z.number().nullable(),
});
export type CompanySummary = z.infer<typeof CompanySummarySchema>;
export const CompanyListSchema = z.object({ items: z.array(CompanySummarySchema), total: z.number().int() });
export type CompanyList = z.infer<typeof CompanyListSchema>;

export const ContactPhoneEntrySchema = z.object({ phone: z.string(), label: z.string().nullable(), verified: z.boolean() });
export const ContactDetailSchema = ContactSummarySchema.extend({
  phones: z.array(ContactPhoneEntrySchema),
  customFields: CustomFieldsSchema,
  /** Addresses of the duplicates merged into this contact. */
  mergedAddresses: z.array(z.string()),
  ownedSince: z.number().nullable(),
});
export type ContactDetail = z.infer<typeof ContactDetailSchema>;
export const CompanyDetailSchema = CompanySummarySchema.extend({ people: z.array(ContactSummarySchema) });
export type CompanyDetail = z.infer<typeof CompanyDetailSchema>;

export const ContactUpdateSchema = z
  .object({
    name: z.string().trim().max(200).nullable(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .nullable(),
    tags: z.array(Tag).max(30),
    customFields: CustomFieldsSchema,
    /** The further numbers (any usual writing; stored as E.164). The verified one is not among them. */
    phones: z.array(z.object({ phone: z.string().trim().min(3).max(40), label: z.string().trim().max(40).nullable() })).max(10),
    /** Admins give a customer to anyone (or the pool, null); others only to themselves from the pool (claim). */
    ownerId: Id.nullable(),
  })
  .partial()
  .strict();
export type ContactUpdate = z.infer<typeof ContactUpdateSchema>;
export const CompanyUpdateSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .nullable(),
    tags: z.array(Tag).max(30),
  })
  .partial()
  .strict();
export type CompanyUpdate = z.infer<typeof CompanyUpdateSchema>;

export const CustomerNoteRequestSchema = z.object({ body: z.string().trim().min(1).max(5000) });
export const MergeContactsRequestSchema = z.object({ keepId: Id, mergeIds: z.array(Id).min(1).max(20) });
export const MergeContactsResultSchema = z.object({ kept: z.string(), merged: z.number().int() });

/** A contact's or company's history, newest first: only the conversations of mailboxes the reader may read. */
export const CustomerTimelineItemSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('conversation'),
    at: z.number(),
    conversationId: z.string(),
    subject: z.string(),
    status: z.string(),
    mailboxes: z.array(z.string()),
    contact: z.string(),
  }),
  z.object({ kind: z.literal('note'), at: z.number(), id: z.string(), author: z.string().nullable(), body: z.string() }),
  z.object({ kind: z.literal('fraud_flag'), at: z.number(), conversationId: z.string(), level: z.string(), cleared: z.boolean() }),
  z.object({
    kind: z.literal('phone_confirmation'),
    at: z.number(),
    conversationId: z.string(),
    phone: z.string(),
    outcome: z.string(),
  }),
  z.object({
    kind: z.literal('bank_detail'),
    at: z.number(),
    type: z.string(),
    value: z.string(),
    firstSeenAt: z.number(),
    lastSeenAt: z.number(),
  }),
  z.object({
    kind: z.literal('owner'),
    at: z.number(),
    owner: z.string().nullable(),
    reason: z.string(),
    actor: z.string().nullable(),
    contact: z.string(),
  }),
]);
export type CustomerTimelineItem = z.infer<typeof CustomerTimelineItemSchema>;
export const CustomerTimelineSchema = z.object({ items: z.array(CustomerTimelineItemSchema) });
export type CustomerTimeline = z.infer<typeof CustomerTimelineSchema>;

export const CustomerPoolSettingsSchema = z.object({
  enabled: z.boolean(),
  /** An owned contact without mail for this many days returns to the pool… */
  days: z.number().int().min(7).max(3650),
  /** …after its owner was told this many days before. */
  noticeDays: z.number().int().min(1).max(60),
});
export type CustomerPoolSettings = z.infer<typeof CustomerPoolSettingsSchema>;

/** The fields a CSV column can fill; `custom` makes the column a custom field named after its header. */
export const csvFields = ['address', 'name', 'company_name', 'country', 'phones', 'owner', 'tags', 'custom', 'ignore'] as const;
export const CsvFieldSchema = z.enum(csvFields);
export type CsvField = z.infer<typeof CsvFieldSchema>;
export const CsvPreviewRequestSchema = z.object({ csv: z.string().min(1).max(5_000_000) });
export const CsvPreviewSchema = z.object({
  headers: z.array(z.string()),
  sample: z.array(z.array(z.string())),
  rows: z.number().int(),
  /** What each header maps to by its name (the CLI imports with exactly this). */
  suggested: z.array(CsvFieldSchema),
});
export type CsvPreview = z.infer<typeof CsvPreviewSchema>;
export const CsvImportRequestSchema = z.object({ csv: z.string().min(1).max(5_000_000), mapping: z.array(CsvFieldSchema) });
export type CsvImportRequest = z.infer<typeof CsvImportRequestSchema>;
export const CsvImportResultSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.array(z.object({ line: z.number().int(), reason: z.string() })),
});
export type CsvImportResult = z.infer<typeof CsvImportResultSchema>;
