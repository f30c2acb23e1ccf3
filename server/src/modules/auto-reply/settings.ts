import {
  type AutoReplySettings,
  type AutoReplySettingsResponse,
  AutoReplySettingsSchema,
  type AutoReplyTemplates,
  AutoReplyTemplatesSchema,
  autoReplyVariables,
  DEFAULT_AUTO_REPLY_HOURLY_CAP,
  DEFAULT_AUTO_REPLY_PERIOD_HOURS,
} from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { recordAudit } from '../audit/index.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Used until an admin writes the mailbox's own text: friendly, both languages the team meets most. */
export const DEFAULT_AUTO_REPLY_TEMPLATES: AutoReplyTemplates = {
  versions: [
    {
      language: null,
      insideHours:
        'Dear {{customer.name}},\n\nThank you for your mail to {{mailbox.name}}. We have received it and will answer by {{expected_reply_time}}.\n\nReference: {{reference}}',
      outsideHours:
        'Dear {{customer.name}},\n\nThank you for your mail to {{mailbox.name}}. Our office is closed at the moment; we will answer by {{expected_reply_time}}.\n\nReference: {{reference}}',
    },
    {
      language: 'zh',
      insideHours:
        '{{customer.name}}，您好：\n\n感谢您来信 {{mailbox.name}}。我们已收到您的邮件，将在 {{expected_reply_time}} 前回复。\n\n编号：{{reference}}',
      outsideHours:
        '{{customer.name}}，您好：\n\n感谢您来信 {{mailbox.name}}。现在是非工作时间，我们将在 {{expected_reply_time}} 前回复。\n\n编号：{{reference}}',
    },
  ],
};

export type StoredAutoReply = AutoReplySettings & { updatedAt: number | null; enabledSince: number | null };

/** The mailbox's auto-reply: off with the default texts until saved. */
export async function loadAutoReplySettings(db: Db, mailboxId: string): Promise<StoredAutoReply> {
  const row = await db.selectFrom('auto_reply_settings').selectAll().where('mailbox_id', '=', mailboxId).executeTakeFirst();
  if (!row) {
    return {
      enabled: false,
      templates: DEFAULT_AUTO_REPLY_TEMPLATES,
      periodHours: DEFAULT_AUTO_REPLY_PERIOD_HOURS,
      hourlyCap: DEFAULT_AUTO_REPLY_HOURLY_CAP,
      updatedAt: null,
      enabledSince: null,
    };
  }
  // Stored by this module after validation; parsed again so an older shape fails loudly, not silently.
  const templates = AutoReplyTemplatesSchema.parse(JSON.parse(row.templates));
  return {
    enabled: row.enabled === 1,
    templates,
    periodHours: row.period_hours,
    hourlyCap: row.hourly_cap,
    updatedAt: Number(row.updated_at),
    enabledSince: row.enabled_since === null ? null : Number(row.enabled_since),
  };
}

export function toSettingsResponse(mailboxId: string, stored: StoredAutoReply): AutoReplySettingsResponse {
  return {
    mailboxId,
    enabled: stored.enabled,
    templates: stored.templates,
    periodHours: stored.periodHours,
    hourlyCap: stored.hourlyCap,
    updatedAt: stored.updatedAt,
    variables: [...autoReplyVariables],
  };
}

/**
 * Saves a mailbox's auto-reply (validated again here, so the CLI and the API refuse the same
 * texts: unknown `{{variables}}`, no default version) and records who changed it in the audit log.
 */
export async function saveAutoReplySettings(
  db: Kysely<Database>,
  change: { mailboxId: string; settings: AutoReplySettings; actorId: string | null; ip?: string | null; now: number },
): Promise<StoredAutoReply> {
  const parsed = AutoReplySettingsSchema.safeParse(change.settings);
  if (!parsed.success) {
    throw new AppError(
      'request.invalid',
      400,
      parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; '),
    );
  }
  const settings = parsed.data;
  const current = await loadAutoReplySettings(db, change.mailboxId);
  // Turning it on starts answering from now; saving a text while it is on keeps the start.
  const enabledSince = settings.enabled ? (current.enabled ? current.enabledSince : change.now) : null;
  const row = {
    mailbox_id: change.mailboxId,
    enabled: settings.enabled ? (1 as const) : (0 as const),
    enabled_since: enabledSince,
    templates: JSON.stringify(settings.templates),
    period_hours: settings.periodHours,
    hourly_cap: settings.hourlyCap,
    updated_by: change.actorId,
    updated_at: change.now,
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('auto_reply_settings')
      .values(row)
      .onConflict((oc) =>
        oc.column('mailbox_id').doUpdateSet({
          enabled: row.enabled,
          enabled_since: row.enabled_since,
          templates: row.templates,
          period_hours: row.period_hours,
          hourly_cap: row.hourly_cap,
          updated_by: row.updated_by,
          updated_at: row.updated_at,
        }),
      )
      .execute();
    await recordAudit(trx, {
      actorId: change.actorId,
      action: settings.enabled ? 'auto_reply.saved' : 'auto_reply.disabled',
      targetType: 'mailbox',
      targetId: change.mailboxId,
      mailboxId: change.mailboxId,
      ip: change.ip ?? null,
      details: {
        versions: settings.templates.versions.map((v) => v.language ?? 'default'),
        periodHours: settings.periodHours,
        hourlyCap: settings.hourlyCap,
      },
    });
  });
  return { ...settings, updatedAt: change.now, enabledSince };
}

/** `autoreply set`: on, with this one text inside and outside business hours (other settings kept). */
export async function turnOnAutoReplyWithText(
  db: Kysely<Database>,
  change: { mailboxId: string; text: string; actorId: string | null; now: number },
): Promise<StoredAutoReply> {
  const current = await loadAutoReplySettings(db, change.mailboxId);
  return saveAutoReplySettings(db, {
    mailboxId: change.mailboxId,
    actorId: change.actorId,
    now: change.now,
    settings: {
      enabled: true,
      templates: { versions: [{ language: null, insideHours: change.text, outsideHours: null }] },
      periodHours: current.periodHours,
      hourlyCap: current.hourlyCap,
    },
  });
}

/** `autoreply off`: off, texts kept for the next time it is turned on. */
export async function turnOffAutoReply(db: Kysely<Database>, change: { mailboxId: string; actorId: string | null; now: number }) {
  const current = await loadAutoReplySettings(db, change.mailboxId);
  return saveAutoReplySettings(db, {
    mailboxId: change.mailboxId,
    actorId: change.actorId,
    now: change.now,
    settings: { enabled: false, templates: current.templates, periodHours: current.periodHours, hourlyCap: current.hourlyCap },
  });
}
