import { z } from 'zod';
import { FirstReplyFiguresSchema } from './reports.js';

/** Actions Pier writes today; other modules add theirs (any dotted lower-case name is valid). */
export const knownAuditActions = [
  'user.created',
  'user.login',
  'user.login_failed',
  'mailbox.created',
  'mailbox.updated',
  'mailbox.paused',
  'mailbox.resumed',
  'mailbox.removed',
  'mailbox_access.granted',
  'mailbox_access.revoked',
  'mailbox.routing_changed',
  'audit.exported',
  'audit.report_generated',
  'audit.report_exported',
  'forwarding.external_redirect_found',
  'forwarding_rule.created',
  'forwarding_rule.updated',
  'forwarding_rule.removed',
  'rule.created',
  'rule.updated',
  'rule.enabled',
  'rule.disabled',
  'rule.deleted',
  'rule.reordered',
  'forwarding.sieve_settings_changed',
  'forwarding.manual_check_recorded',
  'audit.report_mailed',
  'user.invited',
  'user.account_link_mailed',
  'user.invitation_accepted',
  'user.password_reset_requested',
  'user.password_reset',
  'user.role_changed',
  'user.deactivated',
  'user.reactivated',
  'user.two_factor_enrolled',
  'user.passkey_added',
  'user.passkey_removed',
  'user.recovery_codes_regenerated',
  'user.two_factor_removed',
  'user.two_factor_reset',
  'session.revoked',
  'security.policy_changed',
  'workspace.public_url_changed',
  'fraud.phone_confirmation_recorded',
  'outbox.uncertain_resent',
  'outbox.uncertain_marked_sent',
  'forwarding.uncertain_resent',
  'forwarding.uncertain_marked_sent',
  'team.created',
  'team.renamed',
  'team.member_added',
  'team.member_removed',
  'team.deleted',
  'team.lead_changed',
  'team.settings_changed',
  'team.member_away',
  'team.member_back',
  'outbox.approval_requested',
  'outbox.approved',
  'outbox.rejected',
  'mailbox.second_approver_changed',
  'contact.phone_changed',
  'upload.mbox',
  'upload.eml',
  'mailbox.business_hours_changed',
  'mailbox.sla_policy_changed',
  'mailbox.signature_logo_changed',
  'faq.answer_deleted',
  'faq.folder_deleted',
  'campaign.segment_updated',
  'campaign.segment_deleted',
  'campaign.cancelled',
  'campaign.member_added',
  'campaign.unsubscribed',
  'campaign.opt_in_enabled',
  'campaign.opt_in_confirmed',
  'campaign.opt_in_resent',
  'campaign.suppression_lifted',
  'campaign.member_updated',
  'campaign.member_removed',
  'campaign.signup_enabled',
  'campaign.signup_disabled',
  'campaign.signup_updated',
  'campaign.signup',
  'customer.imported',
  'customer.owner_changed',
  'customer.updated',
  'customer.company_updated',
  'customer.merged',
  'customer.pool_settings_changed',
  'customer.returned_to_pool',
  'customer.exported',
  'fraud.flag_cleared',
  'fraud.party_trusted',
  'fraud.party_trust_revoked',
  'api_token.created',
  'api_token.revoked',
  'webhook.created',
  'webhook.changed',
  'webhook.deleted',
  'webhook.secret_shown',
  'webhook.redelivered',
] as const;

const epochMs = z.coerce.number().int().min(0);
const id = z.string().min(1).max(64);

export const AuditQuerySchema = z.object({
  actorId: id.optional(),
  /** Exact action, or a prefix ending in a dot (`mailbox.`). */
  action: z
    .string()
    .max(100)
    .regex(/^[a-z0-9_.]+$/)
    .optional(),
  targetType: z.string().max(40).optional(),
  targetId: id.optional(),
  mailboxId: id.optional(),
  /** Inclusive lower bound, epoch ms. */
  from: epochMs.optional(),
  /** Exclusive upper bound, epoch ms. */
  to: epochMs.optional(),
  /** Page cursor: records with a smaller sequence number (newest first). */
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditActorSchema = z.object({ id: z.string(), name: z.string(), email: z.string() });

export const AuditRecordSchema = z.object({
  id: z.string(),
  seq: z.number(),
  createdAt: z.number(),
  actorId: z.string().nullable(),
  actor: AuditActorSchema.nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  mailboxId: z.string().nullable(),
  mailboxAddress: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditRecordDto = z.infer<typeof AuditRecordSchema>;

export const AuditPageSchema = z.object({
  items: z.array(AuditRecordSchema),
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: z.number().nullable(),
});
export type AuditPage = z.infer<typeof AuditPageSchema>;

export const AuditChainStatusSchema = z.object({
  ok: z.boolean(),
  records: z.number(),
  headSeq: z.number(),
  headHash: z.string(),
  problems: z.array(z.object({ kind: z.string(), seq: z.number(), id: z.string().nullable(), message: z.string() })),
});
export type AuditChainStatus = z.infer<typeof AuditChainStatusSchema>;

export const SieveFindingSchema = z.object({
  script: z.string(),
  kind: z.enum(['redirect', 'redirect_copy', 'notify', 'pipe']),
  target: z.string(),
  external: z.boolean(),
  active: z.boolean(),
  firstSeenAt: z.number(),
  lastSeenAt: z.number(),
});

export const MailboxSieveStatusSchema = z.object({
  mailboxId: z.string(),
  address: z.string(),
  status: z.enum(['ok', 'unavailable', 'auth_failed', 'unsupported', 'error', 'disabled']).nullable(),
  lastCheckedAt: z.number().nullable(),
  lastError: z.string().nullable(),
  findings: z.array(SieveFindingSchema),
  /** Where the scan connects: the IMAP host on this port (default 4190); settable per mailbox. */
  port: z.number().int(),
  tls: z.enum(['starttls', 'tls', 'none']),
  enabled: z.boolean(),
  /** The provider (by its preset) offers no ManageSieve: forwarding is checked by hand in its console. */
  manualOnly: z.boolean(),
  /** The provider preset, for the by-hand steps ("exmail", "aliyun", …). */
  preset: z.string(),
  /** The last by-hand check of the provider's console, whatever the provider. */
  manualCheck: z.object({ checkedAt: z.number(), checkedBy: z.string(), forwardingFound: z.boolean(), note: z.string() }).nullable(),
});
/** POST /api/forwarding/sieve/:mailboxId/manual-check: "I checked the provider's console on …". */
export const RecordManualCheckSchema = z.object({
  forwardingFound: z.boolean(),
  note: z.string().trim().max(1000).default(''),
});
export type RecordManualCheck = z.input<typeof RecordManualCheckSchema>;
/** PUT /api/forwarding/sieve/:mailboxId: the ManageSieve port and TLS of one mailbox, or no scan at all. */
export const SaveSieveSettingsSchema = z.object({
  enabled: z.boolean(),
  port: z.number().int().min(1).max(65535),
  tls: z.enum(['starttls', 'tls', 'none']),
});
export type SaveSieveSettings = z.infer<typeof SaveSieveSettingsSchema>;

/** A forwarding rule made in Pier itself (per mailbox: every incoming mail, or mail from one sender domain). */
export const PierForwardingRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  mailboxId: z.string().nullable(),
  mailboxAddress: z.string().nullable(),
  /** null: every incoming mail; else only mail whose From is this domain (or a subdomain of it). */
  senderDomain: z.string().nullable(),
  target: z.string(),
  external: z.boolean(),
  enabled: z.boolean(),
  createdBy: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Mails forwarded by this rule so far. */
  forwarded: z.number(),
});
export type PierForwardingRule = z.infer<typeof PierForwardingRuleSchema>;

const domainName = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(253)
  .regex(/^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'a domain such as customer.com');
export const SaveForwardingRuleSchema = z.object({
  mailboxId: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(120),
  senderDomain: domainName.nullable().default(null),
  target: z.string().trim().toLowerCase().email().max(320),
  enabled: z.boolean().default(true),
});
export type SaveForwardingRule = z.input<typeof SaveForwardingRuleSchema>;
export const ForwardingRuleListSchema = z.object({ items: z.array(PierForwardingRuleSchema) });

export const ForwardingAuditSchema = z.object({
  companyDomains: z.array(z.string()),
  pierRules: z.object({ available: z.boolean(), items: z.array(PierForwardingRuleSchema) }),
  sieve: z.array(MailboxSieveStatusSchema),
});
export type ForwardingAudit = z.infer<typeof ForwardingAuditSchema>;

/** A forward whose outcome is unknown (no answer after the mail was handed over): a person decides. */
export const UncertainForwardSchema = z.object({
  ruleId: z.string(),
  ruleName: z.string(),
  messageId: z.string(),
  mailboxAddress: z.string().nullable(),
  target: z.string(),
  external: z.boolean(),
  subject: z.string(),
  from: z.string().nullable(),
  error: z.string().nullable(),
  since: z.number(),
});
export type UncertainForward = z.infer<typeof UncertainForwardSchema>;
export const UncertainForwardListSchema = z.object({ items: z.array(UncertainForwardSchema) });
export const ResolveForwardSchema = z.object({
  ruleId: z.string().min(1).max(64),
  messageId: z.string().min(1).max(64),
  action: z.enum(['resend', 'mark_sent']),
});
export type ResolveForward = z.infer<typeof ResolveForwardSchema>;

const unavailable = z.object({ available: z.literal(false), reason: z.string() });
const section = <T extends z.ZodType>(item: T) => z.union([z.object({ available: z.literal(true), items: z.array(item) }), unavailable]);

/** The quarterly audit report (stored as generated, so a later export shows the same figures). */
export const QuarterlyReportSchema = z.object({
  version: z.literal(1),
  periodStart: z.number(),
  periodEnd: z.number(),
  generatedAt: z.number(),
  mailboxesWithoutMail: section(z.object({ id: z.string(), address: z.string(), lastMailAt: z.number().nullable() })),
  usersNotLoggedIn: section(
    z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.string(), lastLoginAt: z.number().nullable() }),
  ),
  usersWithout2fa: section(z.object({ id: z.string(), email: z.string(), role: z.string() })),
  accessChanges: section(
    z.object({
      seq: z.number(),
      at: z.number(),
      action: z.string(),
      actorId: z.string().nullable(),
      targetId: z.string().nullable(),
      mailboxId: z.string().nullable(),
      details: z.record(z.string(), z.unknown()),
      /** Who did it (name and email) and whom or what it changed (an account's email, a team's name), as of the report. */
      actor: z.string().nullable().optional(),
      target: z.string().nullable().optional(),
      mailbox: z.string().nullable().optional(),
    }),
  ),
  externalForwarding: section(
    z.object({
      mailbox: z.string(),
      source: z.enum(['sieve', 'pier']),
      script: z.string(),
      target: z.string(),
      active: z.boolean(),
      firstSeenAt: z.number(),
    }),
  ),
  pierForwardingRules: section(
    z.object({
      mailbox: z.string(),
      name: z.string(),
      senderDomain: z.string().nullable(),
      target: z.string(),
      external: z.boolean(),
      enabled: z.boolean(),
      createdBy: z.string().nullable(),
      createdAt: z.number(),
    }),
  ),
  failedLogins: section(z.object({ email: z.string(), count: z.number(), ips: z.array(z.string()) })),
  unusualLogins: section(
    z.object({ at: z.number(), userId: z.string(), email: z.string(), kind: z.string(), detail: z.record(z.string(), z.unknown()) }),
  ),
  fraudFlags: section(
    z.object({
      at: z.number(),
      conversationId: z.string(),
      subject: z.string(),
      from: z.string().nullable(),
      level: z.enum(['warn', 'high']),
      score: z.number(),
      signals: z.array(z.string()),
      confirmations: z.array(z.object({ at: z.number(), outcome: z.string(), calledBy: z.string() })),
    }),
  ),
  /** First-reply compliance per mailbox and team (decision 0033). */
  slaCompliance: section(FirstReplyFiguresSchema),
  /**
   * Mailboxes at providers without ManageSieve (Tencent Exmail, Alibaba Mail): the last by-hand
   * check of the provider's console for forwarding when the report was made, or null (not checked).
   * Optional: reports stored before it existed have no such section.
   */
  manualForwardingChecks: section(
    z.object({
      mailbox: z.string(),
      preset: z.string(),
      checkedAt: z.number().nullable(),
      checkedBy: z.string().nullable(),
      forwardingFound: z.boolean().nullable(),
      note: z.string(),
    }),
  ).optional(),
});
export type QuarterlyReportDto = z.infer<typeof QuarterlyReportSchema>;

export const StoredReportSchema = z.object({
  id: z.string(),
  createdAt: z.number(),
  createdBy: z.string().nullable(),
  trigger: z.string(),
  report: QuarterlyReportSchema,
});
export type StoredReportDto = z.infer<typeof StoredReportSchema>;

export const ReportListSchema = z.object({
  items: z.array(z.object({ id: z.string(), periodStart: z.number(), periodEnd: z.number(), createdAt: z.number(), trigger: z.string() })),
});

export const GenerateReportSchema = z
  .object({
    from: z.number().int().min(0),
    to: z.number().int().min(1),
    /** Also mail it to the admins (through PIER_SYSTEM_MAILBOX); the scheduled report always is. */
    mail: z.boolean(),
  })
  .partial()
  .refine((v) => v.from === undefined || v.to === undefined || v.from < v.to, { message: 'from must be before to' });
