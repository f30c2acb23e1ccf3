import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CampaignListsTable } from '../../db/tables/campaigns.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';
import { likePatternOf } from '../contacts/index.js';
import { ADDRESS, memberSearchText } from './lists.js';
import { newMemberOptIn, optInLanguageOf, optInViewOf, resendBlockedBy, scheduleOptInSend } from './opt-in.js';
import { isTimeZone } from './schedule.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * A member's status as the list view shows and counts it (decision 0068): the suppression list wins
 * (unsubscribed, or suppressed for a bounce, a complaint or by an admin), then a double opt-in still
 * awaited, else subscribed (a campaign reaches it).
 */
export const MEMBER_STATUSES = ['subscribed', 'pending', 'unsubscribed', 'suppressed'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

const statusOf = sql<MemberStatus>`CASE
  WHEN campaign_suppressions.reason = 'unsubscribed' THEN 'unsubscribed'
  WHEN campaign_suppressions.reason IS NOT NULL THEN 'suppressed'
  WHEN campaign_list_members.opt_in_state = 'pending' THEN 'pending'
  ELSE 'subscribed' END`;

function membersOf(db: Db, listId: string) {
  return db
    .selectFrom('campaign_list_members')
    .leftJoin('campaign_suppressions', 'campaign_suppressions.address', 'campaign_list_members.address')
    .where('campaign_list_members.list_id', '=', listId);
}

export type MemberQuery = { q?: string | undefined; status?: MemberStatus | undefined; offset: number; limit: number };

/**
 * One page of a static list's members (by address), found by address, name or company and/or by
 * status, with how many match and the counts by status of the whole list. Paged on the server: a
 * list of 50,000 trade-fair leads is read 50 at a time.
 */
export async function pageListMembers(db: Db, list: CampaignListsTable, query: MemberQuery, now: number) {
  let matching = membersOf(db, list.id);
  if (query.q?.trim()) {
    const pattern = likePatternOf(query.q);
    // A row an older node wrote has no search text yet: its address is still searched.
    matching = matching.where(
      (eb) =>
        sql<boolean>`(${eb.ref('campaign_list_members.search_text')} LIKE ${pattern} ESCAPE '\\' OR (${eb.ref(
          'campaign_list_members.search_text',
        )} IS NULL AND ${eb.ref('campaign_list_members.address')} LIKE ${pattern} ESCAPE '\\'))`,
    );
  }
  if (query.status) matching = matching.where(statusOf, '=', query.status);
  const total = await matching.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  const rows = await matching
    .selectAll('campaign_list_members')
    .select(['campaign_suppressions.reason as suppression_reason', 'campaign_suppressions.created_at as suppressed_at'])
    .select(statusOf.as('status'))
    .orderBy('campaign_list_members.address')
    .offset(query.offset)
    .limit(query.limit)
    .execute();
  const grouped = await membersOf(db, list.id)
    .select([statusOf.as('status'), (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy(statusOf)
    .execute();
  const statuses = Object.fromEntries(MEMBER_STATUSES.map((s) => [s, Number(grouped.find((g) => g.status === s)?.n ?? 0)])) as Record<
    MemberStatus,
    number
  >;
  const members = rows.map((r) => {
    const suppressed = r.suppression_reason !== null;
    return {
      address: r.address,
      name: r.name,
      company: r.company,
      country: r.country,
      timeZone: r.time_zone,
      language: r.opt_in_language,
      status: r.status,
      suppressionReason: r.suppression_reason,
      suppressedAt: r.suppressed_at === null ? null : Number(r.suppressed_at),
      consentSource: r.consent_source,
      // Came by the public sign-up form (decision 0071): the requester's IP.
      signupIp: r.signup_ip,
      consentAt: Number(r.consent_at),
      addedAt: Number(r.added_at),
      optIn: optInViewOf(r, now),
      mail: r.opt_in_mail_state,
      mails: r.opt_in_mails,
      lastMailAt: r.opt_in_sent_at === null ? null : Number(r.opt_in_sent_at),
      mailError: r.opt_in_error,
      confirmedAt: r.confirmed_at === null ? null : Number(r.confirmed_at),
      confirmedIp: r.confirmed_ip,
      confirmedUserAgent: r.confirmed_user_agent,
      suppressed,
      canResend: resendBlockedBy(r, now) === null && !suppressed,
    };
  });
  // `counts` by double opt-in state, as decision 0059's view had them.
  const optIn = await db
    .selectFrom('campaign_list_members')
    .select((eb) => ['opt_in_state', eb.fn.countAll<number | string>().as('n')])
    .where('list_id', '=', list.id)
    .groupBy('opt_in_state')
    .execute();
  const by = (s: string | null) => Number(optIn.find((c) => c.opt_in_state === s)?.n ?? 0);
  return {
    doubleOptIn: list.double_opt_in === 1,
    members,
    total: Number(total.n),
    offset: query.offset,
    limit: query.limit,
    statuses,
    // Awaiting confirmation leaves out the suppressed: they are never asked (decision 0072).
    counts: { none: by(null), pending: statuses.pending, confirmed: by('confirmed') },
  };
}

export type NewMember = {
  address: string;
  name?: string | null | undefined;
  company?: string | null | undefined;
  country?: string | null | undefined;
  timeZone?: string | null | undefined;
  language?: string | undefined;
  consentSource: string;
  /** ISO 8601 date (or date and time) the consent was given. */
  consentDate: string;
};

/**
 * Adds one contact to a static list by hand, with its consent source and date (both required, as in
 * a CSV import). A suppressed address is refused with the reason and date (no list puts it back: only
 * the suppression list decides who is mailed, and an unsubscribe stays one); an address already in
 * the list is refused too (its consent record stays as it was). With double opt-in on, the member
 * starts pending and its confirmation mail is queued in the same transaction. Audited.
 */
export async function addListMember(
  db: Kysely<Database>,
  input: { list: CampaignListsTable; member: NewMember; actor: AuditActor; now: number },
) {
  const { list, member } = input;
  if (list.kind !== 'static')
    throw new AppError('campaign.list_is_segment', 409, 'a segment is read from the contacts; add to a static list');
  const address = member.address.trim().toLowerCase();
  if (!ADDRESS.test(address)) throw new AppError('request.invalid', 400, 'not a valid email address');
  const consentSource = member.consentSource.trim();
  const consentAt = Date.parse(member.consentDate);
  if (!consentSource || Number.isNaN(consentAt)) throw new AppError('request.invalid', 400, 'a member needs a consent source and date');
  if (consentAt > input.now + 86_400_000) throw new AppError('request.invalid', 400, 'the consent date is in the future');
  const timeZone = member.timeZone?.trim() || null;
  if (timeZone && !isTimeZone(timeZone)) throw new AppError('request.invalid', 400, `unknown time zone ${timeZone}`);
  const country = member.country?.trim().toUpperCase() || null;
  if (country && !/^[A-Z]{2}$/.test(country)) throw new AppError('request.invalid', 400, 'the country is a two-letter code');
  const suppression = await db.selectFrom('campaign_suppressions').selectAll().where('address', '=', address).executeTakeFirst();
  if (suppression) {
    const since = new Date(Number(suppression.created_at)).toISOString().slice(0, 10);
    throw new AppError(
      'campaign.address_suppressed',
      409,
      `${address} is on the suppression list (${suppression.reason} since ${since}): no campaign may mail it, so it is not added`,
      { reason: suppression.reason, since },
    );
  }
  const name = member.name?.trim() || null;
  const company = member.company?.trim() || null;
  return db.transaction().execute(async (trx) => {
    const optIn = newMemberOptIn(list, optInLanguageOf(member.language, country));
    const inserted = await trx
      .insertInto('campaign_list_members')
      .values({
        list_id: list.id,
        address,
        name,
        company,
        country,
        time_zone: timeZone,
        consent_source: consentSource,
        consent_at: consentAt,
        added_at: input.now,
        search_text: memberSearchText({ address, name, company }),
        ...optIn,
      })
      .onConflict((oc) => oc.columns(['list_id', 'address']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0)
      throw new AppError('campaign.member_exists', 409, `${address} is in this list already`);
    if (optIn.opt_in_state === 'pending') await scheduleOptInSend(trx, list.id, input.now);
    await recordAuditBy(trx, input.actor, {
      action: 'campaign.member_added',
      targetType: 'campaign_list',
      targetId: list.id,
      mailboxId: list.opt_in_mailbox_id,
      details: { list: list.name, address, consentSource, consentAt, doubleOptIn: optIn.opt_in_state === 'pending' },
    });
    return { address, status: (optIn.opt_in_state === 'pending' ? 'pending' : 'subscribed') as MemberStatus };
  });
}
