import type { QuarterlyReportDto } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../../db/ids.js';
import type { Database } from '../../../db/schema.js';
import { recordAudit } from '../audit-log.js';
import { listPierForwardingRules } from '../forwarding/forwarding-queries.js';
import { hasNoManageSieve, lastManualChecks } from '../forwarding/manual-checks.js';
import { reportText } from './report-export.js';
import { firstReplyCompliance } from './sla-compliance.js';

const DAY_MS = 24 * 60 * 60_000;
export const INACTIVE_DAYS = 90;

export type QuarterlyReport = QuarterlyReportDto;
export type Unavailable = { available: false; reason: string };

/** Audit actions that change who may do what: the report's "membership and permission changes". */
function isAccessChange(action: string): boolean {
  return (
    action.startsWith('mailbox_access.') ||
    action.startsWith('team.') ||
    action.startsWith('role.') ||
    ['user.created', 'user.role_changed', 'user.deactivated', 'user.reactivated', 'user.removed'].includes(action)
  );
}

/** The quarter before the one `now` falls in (UTC): the scheduled report's period. */
export function previousQuarter(now: number): { start: number; end: number } {
  const d = new Date(now);
  const q = Math.floor(d.getUTCMonth() / 3);
  const end = Date.UTC(d.getUTCFullYear(), q * 3, 1);
  const startDate = new Date(end);
  startDate.setUTCMonth(startDate.getUTCMonth() - 3);
  return { start: startDate.getTime(), end };
}

export async function buildQuarterlyReport(
  db: Kysely<Database>,
  period: { start: number; end: number },
  now = Date.now(),
): Promise<QuarterlyReport> {
  const cutoff = now - INACTIVE_DAYS * DAY_MS;
  const sla = await firstReplyCompliance(db, period, now);

  const mailboxes = await db
    .selectFrom('mailboxes as m')
    .leftJoin('message_locations as l', 'l.mailbox_id', 'm.id')
    .leftJoin('messages as msg', 'msg.id', 'l.message_id')
    .select((eb) => ['m.id', 'm.address', eb.fn.max('msg.received_at').as('last_mail_at')])
    .groupBy(['m.id', 'm.address'])
    .orderBy('m.address')
    .execute();
  const withoutMail = mailboxes
    .map((m) => ({ id: m.id, address: m.address, lastMailAt: m.last_mail_at === null ? null : Number(m.last_mail_at) }))
    .filter((m) => m.lastMailAt === null || m.lastMailAt < cutoff);

  const users = await db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'last_login_at'])
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('last_login_at', 'is', null), eb('last_login_at', '<', cutoff)]))
    .orderBy('email')
    .execute();

  const changes = await db
    .selectFrom('audit_log')
    .select(['seq', 'created_at', 'action', 'actor_id', 'target_type', 'target_id', 'mailbox_id', 'ip', 'details'])
    .where('created_at', '>=', period.start)
    .where('created_at', '<', period.end)
    .orderBy('seq')
    .execute();
  const accessRows = changes.filter((c) => isAccessChange(c.action));
  // Names as of the report: an id alone says nothing to the reader of a PDF.
  const userIds = [
    ...new Set(accessRows.flatMap((c) => [c.actor_id, c.target_type === 'user' ? c.target_id : null]).filter((x): x is string => !!x)),
  ];
  const mailboxIds = [...new Set(accessRows.map((c) => c.mailbox_id).filter((x): x is string => !!x))];
  const [people, boxes] = await Promise.all([
    userIds.length ? db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', userIds).execute() : [],
    mailboxIds.length ? db.selectFrom('mailboxes').select(['id', 'address']).where('id', 'in', mailboxIds).execute() : [],
  ]);
  const person = new Map(people.map((p) => [p.id, p]));
  const box = new Map(boxes.map((b) => [b.id, b.address]));
  const accessChanges = accessRows.map((c) => {
    const details = JSON.parse(c.details) as Record<string, unknown>;
    const actor = c.actor_id ? person.get(c.actor_id) : undefined;
    const targetUser = c.target_type === 'user' && c.target_id ? person.get(c.target_id) : undefined;
    const teamName = c.target_type === 'team' ? (details.team ?? details.after ?? details.name) : undefined;
    return {
      seq: Number(c.seq),
      at: Number(c.created_at),
      action: c.action,
      actorId: c.actor_id,
      targetId: c.target_id,
      mailboxId: c.mailbox_id,
      details,
      actor: actor ? `${actor.name} <${actor.email}>` : null,
      target: targetUser ? targetUser.email : typeof teamName === 'string' ? teamName : null,
      mailbox: c.mailbox_id ? (box.get(c.mailbox_id) ?? null) : null,
    };
  });
  const failed = new Map<string, { count: number; ips: Set<string> }>();
  for (const c of changes.filter((x) => x.action === 'user.login_failed')) {
    const email = String((JSON.parse(c.details) as { email?: unknown }).email ?? '');
    const entry = failed.get(email) ?? { count: 0, ips: new Set<string>() };
    entry.count++;
    if (c.ip) entry.ips.add(c.ip);
    failed.set(email, entry);
  }

  const forwards = await db
    .selectFrom('sieve_findings as f')
    .innerJoin('mailboxes as m', 'm.id', 'f.mailbox_id')
    .select(['m.address', 'f.script_name', 'f.target', 'f.active', 'f.first_seen_at'])
    .where('f.external', '=', 1)
    .orderBy('m.address')
    .execute();
  const pierRules = (await listPierForwardingRules(db)).items;
  // As the forwarding sections: the state when the report is made (each check shows its date).
  const manualChecks = await lastManualChecks(db, now + 1);
  const manualOnly = (await db.selectFrom('mailboxes').select(['id', 'address', 'preset']).orderBy('address').execute()).filter((m) =>
    hasNoManageSieve(m.preset),
  );

  // Users without 2FA: active accounts with no confirmed authenticator (an enrolment started but never confirmed does not count)
  // and no passkey (a passkey alone is a second factor, decision 0016).
  const without2fa = await db
    .selectFrom('users as u')
    .leftJoin('totp_factors as t', (join) => join.onRef('t.user_id', '=', 'u.id').on('t.confirmed_at', 'is not', null))
    .select(['u.id', 'u.email', 'u.role'])
    .where('u.status', '=', 'active')
    .where('t.user_id', 'is', null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('passkeys as p').select('p.id').whereRef('p.user_id', '=', 'u.id'))))
    .orderBy('u.email')
    .execute();

  const alerts = await db
    .selectFrom('security_alerts as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.created_at', 'a.user_id', 'u.email', 'a.kind', 'a.detail'])
    .where('a.created_at', '>=', period.start)
    .where('a.created_at', '<', period.end)
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();

  const flags = await db
    .selectFrom('fraud_assessments as f')
    .innerJoin('conversations as c', 'c.id', 'f.conversation_id')
    .innerJoin('messages as m', 'm.id', 'f.message_id')
    .select(['f.created_at', 'f.conversation_id', 'c.subject', 'm.from_addr', 'f.level', 'f.score', 'f.signals'])
    .where('f.level', 'in', ['warn', 'high'])
    .where('f.created_at', '>=', period.start)
    .where('f.created_at', '<', period.end)
    .orderBy('f.created_at')
    .orderBy('f.id')
    .execute();
  const flaggedConversations = [...new Set(flags.map((f) => f.conversation_id))];
  const confirmations =
    flaggedConversations.length === 0
      ? []
      : await db
          .selectFrom('fraud_phone_confirmations as p')
          .innerJoin('users as u', 'u.id', 'p.called_by')
          .select(['p.conversation_id', 'p.called_at', 'p.outcome', 'u.name'])
          .where('p.conversation_id', 'in', flaggedConversations)
          .orderBy('p.called_at')
          .execute();

  return {
    version: 1,
    periodStart: period.start,
    periodEnd: period.end,
    generatedAt: now,
    mailboxesWithoutMail: { available: true, items: withoutMail },
    usersNotLoggedIn: {
      available: true,
      items: users.map((u) => ({
        id: u.id,
        email: u.email,
        name: u.name,
        role: u.role,
        lastLoginAt: u.last_login_at === null ? null : Number(u.last_login_at),
      })),
    },
    usersWithout2fa: { available: true, items: without2fa.map((u) => ({ id: u.id, email: u.email, role: u.role })) },
    accessChanges: { available: true, items: accessChanges },
    externalForwarding: {
      available: true,
      items: [
        ...forwards.map((f) => ({
          mailbox: f.address,
          source: 'sieve' as const,
          script: f.script_name,
          target: f.target,
          active: f.active === 1,
          firstSeenAt: Number(f.first_seen_at),
        })),
        ...pierRules
          .filter((r) => r.external)
          .map((r) => ({
            mailbox: r.mailboxAddress ?? '',
            source: 'pier' as const,
            script: r.name,
            target: r.target,
            active: r.enabled,
            firstSeenAt: r.createdAt,
          })),
      ],
    },
    pierForwardingRules: {
      available: true,
      items: pierRules.map((r) => ({
        mailbox: r.mailboxAddress ?? '',
        name: r.name,
        senderDomain: r.senderDomain,
        target: r.target,
        external: r.external,
        enabled: r.enabled,
        createdBy: r.createdByName,
        createdAt: r.createdAt,
      })),
    },
    failedLogins: {
      available: true,
      items: [...failed].map(([email, v]) => ({ email, count: v.count, ips: [...v.ips].sort() })).sort((a, b) => b.count - a.count),
    },
    unusualLogins: {
      available: true,
      items: alerts.map((a) => ({
        at: Number(a.created_at),
        userId: a.user_id,
        email: a.email,
        kind: a.kind,
        detail: JSON.parse(a.detail) as Record<string, unknown>,
      })),
    },
    fraudFlags: {
      available: true,
      items: flags.map((f) => ({
        at: Number(f.created_at),
        conversationId: f.conversation_id,
        subject: f.subject,
        from: f.from_addr,
        level: f.level as 'warn' | 'high',
        score: Number(f.score),
        signals: (JSON.parse(f.signals) as { code: string }[]).map((x) => x.code),
        confirmations: confirmations
          .filter((c) => c.conversation_id === f.conversation_id)
          .map((c) => ({ at: Number(c.called_at), outcome: c.outcome, calledBy: c.name })),
      })),
    },
    slaCompliance: { available: true, items: [...sla.byMailbox, ...sla.byTeam] },
    manualForwardingChecks: {
      available: true,
      items: manualOnly.map((m) => {
        const check = manualChecks.get(m.id);
        return {
          mailbox: m.address,
          preset: m.preset,
          checkedAt: check?.checkedAt ?? null,
          checkedBy: check?.checkedBy ?? null,
          forwardingFound: check?.forwardingFound ?? null,
          note: check?.note ?? '',
        };
      }),
    },
  };
}

/**
 * Mail through the system mailbox (structurally the security module's SecurityMailer: this module
 * depends on the database only, so compose passes it in). Queued in the caller's transaction.
 */
export type ReportMailer = {
  enabled: boolean;
  queue(executor: Transaction<Database>, mail: { to: string; subject: string; text: string }): Promise<void>;
};

export type StoredReport = { id: string; createdAt: number; createdBy: string | null; trigger: string; report: QuarterlyReport };

/** Builds and stores a report, and records that it was made, in one transaction. */
export async function generateQuarterlyReport(
  db: Kysely<Database>,
  options: {
    period: { start: number; end: number };
    createdBy: string | null;
    trigger: 'schedule' | 'on_demand';
    ip?: string | null;
    /** Mail the report to every active admin and super admin (when the mailer is enabled). */
    mailer?: ReportMailer | undefined;
  },
): Promise<StoredReport & { mailedTo: number }> {
  const report = await buildQuarterlyReport(db, options.period);
  const id = newId();
  let mailedTo = 0;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('audit_reports')
      .values({
        id,
        period_start: options.period.start,
        period_end: options.period.end,
        created_at: report.generatedAt,
        created_by: options.createdBy,
        trigger: options.trigger,
        body: JSON.stringify(report),
      })
      .execute();
    await recordAudit(trx, {
      actorId: options.createdBy,
      action: 'audit.report_generated',
      targetType: 'audit_report',
      targetId: id,
      ip: options.ip ?? null,
      details: { periodStart: options.period.start, periodEnd: options.period.end, trigger: options.trigger },
    });
    if (!options.mailer?.enabled) return;
    const admins = await trx
      .selectFrom('users')
      .select('email')
      .where('role', 'in', ['super_admin', 'admin'])
      .where('status', '=', 'active')
      .orderBy('email')
      .execute();
    const stored = { id, createdAt: report.generatedAt, createdBy: options.createdBy, trigger: options.trigger, report };
    const text = reportText(stored);
    const range = `${new Date(options.period.start).toISOString().slice(0, 10)} – ${new Date(options.period.end - 1).toISOString().slice(0, 10)}`;
    for (const admin of admins) {
      await options.mailer.queue(trx, { to: admin.email, subject: `Pier audit report ${range} / 审计报告`, text });
    }
    mailedTo = admins.length;
    await recordAudit(trx, {
      actorId: options.createdBy,
      action: 'audit.report_mailed',
      targetType: 'audit_report',
      targetId: id,
      details: { recipients: admins.map((a) => a.email) },
    });
  });
  return { id, createdAt: report.generatedAt, createdBy: options.createdBy, trigger: options.trigger, report, mailedTo };
}

export async function loadReport(db: Kysely<Database>, id: string): Promise<StoredReport | undefined> {
  const row = await db.selectFrom('audit_reports').selectAll().where('id', '=', id).executeTakeFirst();
  return row
    ? {
        id: row.id,
        createdAt: Number(row.created_at),
        createdBy: row.created_by,
        trigger: row.trigger,
        report: JSON.parse(row.body) as QuarterlyReport,
      }
    : undefined;
}

export async function listReports(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('audit_reports')
    .select(['id', 'period_start', 'period_end', 'created_at', 'trigger'])
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    periodStart: Number(r.period_start),
    periodEnd: Number(r.period_end),
    createdAt: Number(r.created_at),
    trigger: r.trigger,
  }));
}

/** The scheduled run: one report per finished quarter, made the first time the daily job runs after it ends. */
export async function ensureQuarterlyReport(
  db: Kysely<Database>,
  now = Date.now(),
  mailer?: ReportMailer,
): Promise<(StoredReport & { mailedTo: number }) | null> {
  const period = previousQuarter(now);
  const existing = await db
    .selectFrom('audit_reports')
    .select('id')
    .where('trigger', '=', 'schedule')
    .where('period_start', '=', period.start)
    .executeTakeFirst();
  if (existing) return null;
  return generateQuarterlyReport(db, { period, createdBy: null, trigger: 'schedule', mailer });
}
