import { type Kysely, sql } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import type { CampaignSuppressionsTable } from '../../db/tables/campaigns.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';
import { likePatternOf } from '../contacts/index.js';

type Reason = CampaignSuppressionsTable['reason'];
export const SUPPRESSION_REASONS = ['unsubscribed', 'hard_bounce', 'complaint', 'manual'] as const satisfies readonly Reason[];

/**
 * Reasons an admin may lift (decision 0072): a bounce (the mailbox was fixed, the provider's outage is
 * over) and an admin's own manual entry. An unsubscribe or a complaint is the person's wish: no admin
 * undoes it, only that person's own new confirmed opt-in would.
 */
export const LIFTABLE_REASONS: readonly Reason[] = ['hard_bounce', 'manual'];

export type SuppressionQuery = { q?: string | undefined; reason?: Reason | undefined; offset: number; limit: number };

/**
 * One page of the suppression list, newest first, found by address and/or reason, with the campaign
 * that caused it (its subject) and whether an admin may lift it; `total` matching and the counts of
 * the whole list by reason.
 */
export async function pageSuppressions(db: Kysely<Database>, query: SuppressionQuery) {
  let matching = db.selectFrom('campaign_suppressions').leftJoin('campaigns', 'campaigns.id', 'campaign_suppressions.campaign_id');
  // Addresses are stored lower-cased ASCII or UTF-8 as given: the folded pattern matches them on both engines.
  if (query.q?.trim()) matching = matching.where(sql<boolean>`campaign_suppressions.address LIKE ${likePatternOf(query.q)} ESCAPE '\\'`);
  if (query.reason) matching = matching.where('campaign_suppressions.reason', '=', query.reason);
  const total = await matching.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  const rows = await matching
    .select([
      'campaign_suppressions.address',
      'campaign_suppressions.reason',
      'campaign_suppressions.campaign_id',
      'campaign_suppressions.detail',
      'campaign_suppressions.created_at',
      'campaigns.subject',
    ])
    .orderBy('campaign_suppressions.created_at', 'desc')
    .orderBy('campaign_suppressions.address')
    .offset(query.offset)
    .limit(query.limit)
    .execute();
  const grouped = await db
    .selectFrom('campaign_suppressions')
    .select(['reason', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('reason')
    .execute();
  return {
    suppressions: rows.map((r) => ({
      address: r.address,
      reason: r.reason,
      campaignId: r.campaign_id,
      campaignSubject: r.subject,
      // A manual entry's detail is the admin's user id: not shown as a reason.
      detail: r.reason === 'manual' ? null : r.detail,
      createdAt: Number(r.created_at),
      liftable: LIFTABLE_REASONS.includes(r.reason),
    })),
    total: Number(total.n),
    offset: query.offset,
    limit: query.limit,
    reasons: Object.fromEntries(SUPPRESSION_REASONS.map((s) => [s, Number(grouped.find((g) => g.reason === s)?.n ?? 0)])) as Record<
      Reason,
      number
    >,
  };
}

/**
 * Takes a bounced (or manually suppressed) address off the suppression list, with the admin's note
 * (required: why the mailbox is good again). The suppression row goes and what it said is kept in
 * `campaign_suppression_lifts` with the note, in one transaction with the audit record. Lists are not
 * touched: the address's memberships stayed while it was suppressed and count again from now on.
 * An unsubscribe or a complaint is refused (409 `campaign.suppression_not_liftable`).
 */
export async function liftSuppression(
  db: Kysely<Database>,
  input: { address: string; note: string; actor: AuditActor; now: number },
): Promise<{ address: string; reason: Reason; since: number }> {
  const address = input.address.trim().toLowerCase();
  const note = input.note.trim();
  if (!note) throw new AppError('request.invalid', 400, 'a note is required: why may this address be mailed again?');
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('campaign_suppressions').selectAll().where('address', '=', address).executeTakeFirst();
    if (!row) throw new AppError('campaign.not_suppressed', 404, 'this address is not on the suppression list');
    if (!LIFTABLE_REASONS.includes(row.reason))
      throw new AppError(
        'campaign.suppression_not_liftable',
        409,
        row.reason === 'unsubscribed'
          ? 'the person unsubscribed: only their own new confirmed opt-in may take the address off the suppression list'
          : 'the person reported a campaign mail as spam: only their own new confirmed opt-in may take the address off the suppression list',
        { reason: row.reason },
      );
    await trx.deleteFrom('campaign_suppressions').where('address', '=', address).execute();
    await trx
      .insertInto('campaign_suppression_lifts')
      .values({
        id: newId(),
        address,
        reason: row.reason,
        campaign_id: row.campaign_id,
        detail: row.detail,
        suppressed_at: Number(row.created_at),
        lifted_by: input.actor.actorId,
        lifted_at: input.now,
        note: note.slice(0, 500),
      })
      .execute();
    await recordAuditBy(trx, input.actor, {
      action: 'campaign.suppression_lifted',
      targetType: 'campaign_suppression',
      targetId: address,
      details: { address, reason: row.reason, since: Number(row.created_at), campaignId: row.campaign_id, note: note.slice(0, 500) },
    });
    return { address, reason: row.reason, since: Number(row.created_at) };
  });
}

/** When the address was last taken off the suppression list (0: never): soft bounces count from then. */
export async function lastLiftAt(db: Kysely<Database>, address: string): Promise<number> {
  const row = await db
    .selectFrom('campaign_suppression_lifts')
    .select((eb) => eb.fn.max<number | string | null>('lifted_at').as('at'))
    .where('address', '=', address.toLowerCase())
    .executeTakeFirst();
  return row?.at === null || row?.at === undefined ? 0 : Number(row.at);
}
