import { z } from 'zod';

/**
 * A mailbox's auto-reply (issue 15, decision 0031): language versions of a plain-text template,
 * one text inside business hours and one outside, with `{{variable}}` placeholders.
 */
export const autoReplyVariables = ['customer.name', 'mailbox.name', 'expected_reply_time', 'reference'] as const;
export type AutoReplyVariable = (typeof autoReplyVariables)[number];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The placeholders of a template that are not auto-reply variables (refused on save). */
export function unknownAutoReplyVariables(text: string): string[] {
  const known = new Set<string>(autoReplyVariables);
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => (m[1] ?? '').trim()).filter((name) => !known.has(name)))];
}

const TemplateTextSchema = z
  .string()
  .max(10_000)
  .refine((t) => t.trim().length > 0, { message: 'the auto-reply text is empty' })
  .superRefine((text, ctx) => {
    const unknown = unknownAutoReplyVariables(text);
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown variable ${unknown.map((u) => `{{${u}}}`).join(', ')}; known: ${autoReplyVariables.map((v) => `{{${v}}}`).join(', ')}`,
      });
    }
  });

export const AutoReplyVersionSchema = z.object({
  /** BCP-47 primary tag as detectLanguage gives it ("en", "zh", "de"); null = the default version. */
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, 'a language code such as en, zh, de')
    .nullable(),
  insideHours: TemplateTextSchema,
  /** null: the inside-hours text is used at any time. */
  outsideHours: TemplateTextSchema.nullable(),
});
export type AutoReplyVersion = z.infer<typeof AutoReplyVersionSchema>;

export const AutoReplyTemplatesSchema = z
  .object({ versions: z.array(AutoReplyVersionSchema).min(1).max(20) })
  .refine((t) => t.versions.filter((v) => v.language === null).length === 1, {
    message: 'exactly one version is the default (no language)',
  })
  .refine((t) => new Set(t.versions.map((v) => v.language)).size === t.versions.length, { message: 'one version per language' });
export type AutoReplyTemplates = z.infer<typeof AutoReplyTemplatesSchema>;

export const AutoReplySettingsSchema = z.object({
  enabled: z.boolean(),
  templates: AutoReplyTemplatesSchema,
  /** At most one auto-reply per sender and mailbox in this period (hours; default 4 days). */
  periodHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30),
  /** At most this many auto-replies per conversation and hour. */
  hourlyCap: z.number().int().min(1).max(10),
});
export type AutoReplySettings = z.infer<typeof AutoReplySettingsSchema>;

export const DEFAULT_AUTO_REPLY_PERIOD_HOURS = 96;
export const DEFAULT_AUTO_REPLY_HOURLY_CAP = 1;

/** GET/PUT /api/mailboxes/:id/auto-reply: the settings (defaults when never saved) and what the editor shows beside them. */
export const AutoReplySettingsResponseSchema = z.object({
  mailboxId: z.string(),
  enabled: z.boolean(),
  templates: AutoReplyTemplatesSchema,
  periodHours: z.number().int(),
  hourlyCap: z.number().int(),
  updatedAt: z.number().nullable(),
  variables: z.array(z.enum(autoReplyVariables)),
});
export type AutoReplySettingsResponse = z.infer<typeof AutoReplySettingsResponseSchema>;
