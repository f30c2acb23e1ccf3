import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export type ProviderLimits = { perMinute: number; perDay: number };

/**
 * Caps per mail provider (mailboxes.preset) when none is configured. Conservative guesses, not the
 * providers' published figures: Tencent Exmail and Alibaba Mail cap bulk sending per account and per
 * day and block the account beyond it, so an admin sets their contract's figures (PUT /api/campaign-limits).
 */
export const DEFAULT_PROVIDER_LIMITS: Record<string, ProviderLimits> = {
  exmail: { perMinute: 20, perDay: 1000 },
  'exmail-overseas': { perMinute: 20, perDay: 1000 },
  aliyun: { perMinute: 20, perDay: 1000 },
  qiye163: { perMinute: 20, perDay: 1000 },
  gmail: { perMinute: 20, perDay: 2000 },
  m365: { perMinute: 30, perDay: 10000 },
  other: { perMinute: 60, perDay: 5000 },
};

export async function providerLimits(db: Db, preset: string): Promise<ProviderLimits> {
  const row = await db.selectFrom('campaign_provider_limits').selectAll().where('preset', '=', preset).executeTakeFirst();
  if (row) return { perMinute: row.per_minute, perDay: row.per_day };
  return DEFAULT_PROVIDER_LIMITS[preset] ?? (DEFAULT_PROVIDER_LIMITS.other as ProviderLimits);
}

/**
 * Every provider's caps, each saying whether an admin set it or it is still the guessed default
 * (the page labels those "default — check with your provider").
 */
export async function listProviderLimits(db: Db) {
  const rows = await db.selectFrom('campaign_provider_limits').selectAll().execute();
  const set = new Map(rows.map((r) => [r.preset, r]));
  return Object.entries(DEFAULT_PROVIDER_LIMITS).map(([preset, defaults]) => {
    const row = set.get(preset);
    return {
      preset,
      perMinute: row ? row.per_minute : defaults.perMinute,
      perDay: row ? row.per_day : defaults.perDay,
      configured: row !== undefined,
      defaults,
    };
  });
}

export async function setProviderLimits(db: Db, preset: string, limits: ProviderLimits, now: number): Promise<void> {
  await db
    .insertInto('campaign_provider_limits')
    .values({ preset, per_minute: limits.perMinute, per_day: limits.perDay, updated_at: now })
    .onConflict((oc) => oc.column('preset').doUpdateSet({ per_minute: limits.perMinute, per_day: limits.perDay, updated_at: now }))
    .execute();
}

/**
 * Campaign mails a mailbox started to send since `since` (every campaign of it, whatever their
 * outcome), and the double opt-in confirmation mails it sent for its lists (decision 0059): the
 * provider counts both.
 */
export async function sentSince(db: Db, mailboxId: string, since: number): Promise<{ count: number; oldest: number | null }> {
  const row = await db
    .selectFrom('campaign_recipients')
    .innerJoin('campaigns', 'campaigns.id', 'campaign_recipients.campaign_id')
    .select((eb) => [eb.fn.countAll<number | string>().as('count'), eb.fn.min('campaign_recipients.sent_at').as('oldest')])
    .where('campaigns.mailbox_id', '=', mailboxId)
    .where('campaign_recipients.sent_at', '>=', since)
    .executeTakeFirstOrThrow();
  const optIn = await db
    .selectFrom('campaign_list_members')
    .innerJoin('campaign_lists', 'campaign_lists.id', 'campaign_list_members.list_id')
    .select((eb) => [eb.fn.countAll<number | string>().as('count'), eb.fn.min('campaign_list_members.opt_in_sent_at').as('oldest')])
    .where('campaign_lists.opt_in_mailbox_id', '=', mailboxId)
    .where('campaign_list_members.opt_in_sent_at', '>=', since)
    .executeTakeFirstOrThrow();
  const oldest = [row.oldest, optIn.oldest].filter((v) => v !== null).map(Number);
  return { count: Number(row.count) + Number(optIn.count), oldest: oldest.length ? Math.min(...oldest) : null };
}

/**
 * How many mails the mailbox may start now, and when to look again when none: the campaign's own
 * rate and the provider's per-minute and per-day caps, over sliding windows of the clock.
 */
export async function sendingBudget(
  db: Db,
  input: { mailboxId: string; preset: string; campaignRate: number; now: number },
): Promise<{ budget: number; retryAt: number }> {
  const limits = await providerLimits(db, input.preset);
  const perMinute = Math.min(limits.perMinute, input.campaignRate);
  const minute = await sentSince(db, input.mailboxId, input.now - 60_000);
  const day = await sentSince(db, input.mailboxId, input.now - 86_400_000);
  const budget = Math.max(0, Math.min(perMinute - minute.count, limits.perDay - day.count));
  if (budget > 0) return { budget, retryAt: input.now };
  const dayFull = day.count >= limits.perDay;
  const oldest = (dayFull ? day.oldest : minute.oldest) ?? input.now;
  return { budget: 0, retryAt: oldest + (dayFull ? 86_400_000 : 60_000) + 1 };
}
