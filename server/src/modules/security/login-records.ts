import type { Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import type { LoginResult } from '../../db/tables/accounts.js';
import { alertFromAnomaly, type NewAlert, raiseAlerts } from './alerts.js';
import { deviceOf } from './device.js';
import { countryOf } from './geo.js';
import { type Anomaly, FAILURE_BURST, failureBurst, successAnomalies } from './login-anomalies.js';
import type { SecurityMailer } from './security-mail.js';

/** Who is knocking: the request's address and browser. */
export type ClientInfo = { ip: string | null; userAgent: string | null };

export type LoginAttempt = { userId: string | null; email: string; result: LoginResult; client: ClientInfo; at?: number };

/** History used for detection: enough to know an account's usual countries and devices. */
const HISTORY_LIMIT = 500;

/**
 * Writes a login record (time, IP, country, device, result) and raises alerts for
 * what is unusual about it: a new country or device, impossible travel, a burst of
 * failures. Returns the anomalies found.
 */
export async function recordLoginAttempt(db: Kysely<Database>, mailer: SecurityMailer, attempt: LoginAttempt): Promise<Anomaly[]> {
  const at = attempt.at ?? Date.now();
  const country = countryOf(attempt.client.ip);
  const device = deviceOf(attempt.client.userAgent);
  const history = attempt.userId
    ? await db
        .selectFrom('login_records')
        .select(['at', 'country', 'device', 'result'])
        .where('user_id', '=', attempt.userId)
        .orderBy('at', 'desc')
        .limit(HISTORY_LIMIT)
        .execute()
    : [];
  const anomalies: Anomaly[] = [];
  if (attempt.result === 'success') anomalies.push(...successAnomalies({ at, country, device }, history));
  if (attempt.userId && (attempt.result === 'bad_password' || attempt.result === 'bad_second_factor')) {
    const burst = failureBurst(at, [...history, { at, country, device, result: attempt.result }]);
    // One alert per burst: only when the count first reaches the threshold.
    if (burst?.code === 'failure_burst' && burst.failures === FAILURE_BURST.count) anomalies.push(burst);
  }
  const id = newId();
  await db
    .insertInto('login_records')
    .values({
      id,
      user_id: attempt.userId,
      email: attempt.email.slice(0, 320),
      at,
      ip: attempt.client.ip,
      country,
      user_agent: attempt.client.userAgent?.slice(0, 400) ?? null,
      device,
      result: attempt.result,
      anomalies: JSON.stringify(anomalies.map((a) => a.code)),
    })
    .execute();
  if (attempt.userId && anomalies.length > 0) {
    const userId = attempt.userId;
    const alerts: NewAlert[] = anomalies.map((a) => alertFromAnomaly(userId, a, id, { ip: attempt.client.ip, country, device }));
    await raiseAlerts(db, mailer, alerts);
  }
  return anomalies;
}

export type LoginRecordView = {
  id: string;
  userId: string | null;
  email: string;
  at: number;
  ip: string | null;
  country: string | null;
  device: string | null;
  userAgent: string | null;
  result: LoginResult;
  anomalies: string[];
};

export async function listLoginRecords(db: Kysely<Database>, options: { userId?: string; limit: number }): Promise<LoginRecordView[]> {
  let query = db.selectFrom('login_records').selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(options.limit);
  if (options.userId) query = query.where('user_id', '=', options.userId);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    email: r.email,
    at: r.at,
    ip: r.ip,
    country: r.country,
    device: r.device,
    userAgent: r.user_agent,
    result: r.result,
    anomalies: JSON.parse(r.anomalies) as string[],
  }));
}
