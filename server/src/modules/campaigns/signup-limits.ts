import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * The public sign-up form's rate limits (decision 0071), counted in the database so they hold
 * across nodes behind a load balancer: an attempt is written first and then counted with the others
 * of its key in the window, so two nodes taking the same burst each see the other's rows (a burst
 * may be refused one early, never let through one too many).
 */
export const SIGNUP_WINDOW_MS = 3_600_000;
/** Submissions an hour from one IP address (an office behind one NAT included). */
export const SIGNUP_PER_IP = 20;
/** Submissions an hour naming one address, on any list. */
export const SIGNUP_PER_ADDRESS = 5;

/** The address is kept as a hash: the attempts table is no second list of who tried to subscribe. */
export const addressKey = (address: string) => `address:${createHash('sha256').update(address).digest('base64url')}`;
export const ipKey = (ip: string) => `ip:${ip}`;

/** Records one attempt under `key` and says whether it is within `limit` for the window. Old rows go. */
export async function takeSignupAttempt(db: Kysely<Database>, key: string, limit: number, now: number): Promise<boolean> {
  const since = now - SIGNUP_WINDOW_MS;
  await db.deleteFrom('campaign_signup_attempts').where('at', '<=', since).execute();
  await db.insertInto('campaign_signup_attempts').values({ key, at: now }).execute();
  const row = await db
    .selectFrom('campaign_signup_attempts')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('key', '=', key)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n) <= limit;
}
