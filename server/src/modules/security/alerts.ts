import type { Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import type { SecurityAlertsTable } from '../../db/tables/accounts.js';
import { notify } from '../notifications/index.js';
import type { Anomaly } from './login-anomalies.js';
import { type SecurityMailer, securityAlertMail } from './security-mail.js';

/**
 * Unusual-login alerts: one row per event about an account, shown to that user
 * and to every admin (GET /api/security/alerts), an in-app notification for each
 * of them (kind `security_alert`, in the same transaction), and mailed to them
 * when a system mailbox is configured.
 */
export type AlertKind = SecurityAlertsTable['kind'];
export type NewAlert = { userId: string; kind: AlertKind; detail: Record<string, unknown>; loginRecordId: string | null };

export function alertFromAnomaly(userId: string, anomaly: Anomaly, loginRecordId: string | null, extra: Record<string, unknown>): NewAlert {
  const { code, ...detail } = anomaly;
  return { userId, kind: code, detail: { ...detail, ...extra }, loginRecordId };
}

export async function raiseAlerts(db: Kysely<Database>, mailer: SecurityMailer, alerts: NewAlert[]): Promise<void> {
  if (alerts.length === 0) return;
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    const rows = alerts.map((a) => ({
      id: newId(),
      user_id: a.userId,
      kind: a.kind,
      detail: JSON.stringify(a.detail),
      login_record_id: a.loginRecordId,
      created_at: now,
      emailed_at: mailer.enabled ? now : null,
    }));
    await trx.insertInto('security_alerts').values(rows).execute();
    const admins = await trx
      .selectFrom('users')
      .select(['id', 'email'])
      .where('role', 'in', ['super_admin', 'admin'])
      .where('status', '=', 'active')
      .execute();
    for (const [index, alert] of alerts.entries()) {
      const subject = await trx.selectFrom('users').select(['email', 'name']).where('id', '=', alert.userId).executeTakeFirst();
      if (!subject) continue;
      // In-app: the account's owner and every admin, once each (an admin's own alert is one notification).
      for (const userId of new Set([alert.userId, ...admins.map((a) => a.id)])) {
        await notify(trx, {
          userId,
          kind: 'security_alert',
          data: { alertId: rows[index]?.id, alertKind: alert.kind, userId: alert.userId, userEmail: subject.email, detail: alert.detail },
        });
      }
      if (!mailer.enabled) continue;
      const recipients = new Set([subject.email, ...admins.map((a) => a.email)]);
      for (const to of recipients) {
        await mailer.queue(trx, securityAlertMail(to, subject, alert.kind, alert.detail));
      }
    }
  });
}

export type AlertView = {
  id: string;
  userId: string;
  userEmail: string;
  kind: AlertKind;
  detail: Record<string, unknown>;
  createdAt: number;
};

/** Alerts about one user, or (admins) about everyone; newest first. */
export async function listAlerts(db: Kysely<Database>, options: { userId?: string; limit: number }): Promise<AlertView[]> {
  let query = db
    .selectFrom('security_alerts')
    .innerJoin('users', 'users.id', 'security_alerts.user_id')
    .select([
      'security_alerts.id',
      'security_alerts.user_id',
      'users.email',
      'security_alerts.kind',
      'security_alerts.detail',
      'security_alerts.created_at',
    ])
    .orderBy('security_alerts.created_at', 'desc')
    .orderBy('security_alerts.id', 'desc')
    .limit(options.limit);
  if (options.userId) query = query.where('security_alerts.user_id', '=', options.userId);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    userEmail: r.email,
    kind: r.kind,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    createdAt: r.created_at,
  }));
}
