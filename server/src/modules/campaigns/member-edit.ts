import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CampaignListMembersTable, CampaignListsTable } from '../../db/tables/campaigns.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';
import { memberSearchText } from './lists.js';
import { isTimeZone } from './schedule.js';

/** What an admin may change of a member (decision 0072): its merge fields and language; never its consent record. */
export type MemberChanges = {
  name?: string | null | undefined;
  company?: string | null | undefined;
  country?: string | null | undefined;
  timeZone?: string | null | undefined;
  language?: 'zh-CN' | 'en' | null | undefined;
};

async function memberOf(db: Kysely<Database>, list: CampaignListsTable, address: string) {
  const member = await db
    .selectFrom('campaign_list_members')
    .selectAll()
    .where('list_id', '=', list.id)
    .where('address', '=', address.trim().toLowerCase())
    .executeTakeFirst();
  if (!member) throw new AppError('campaign.member_not_found', 404, 'no such member in this list');
  return member;
}

const blankToNull = (v: string | null | undefined) => (v === undefined ? undefined : v?.trim() || null);

/**
 * Edits one member of a static list: name, company, country, time zone (merge fields and schedule) and
 * the language of its confirmation mails. The address, consent and opt-in evidence stay as they were
 * (a new address is a new member with its own consent). Audited with the fields before and after.
 */
export async function updateListMember(
  db: Kysely<Database>,
  input: { list: CampaignListsTable; address: string; changes: MemberChanges; actor: AuditActor },
) {
  const { list, changes } = input;
  const member = await memberOf(db, list, input.address);
  const country = blankToNull(changes.country)?.toUpperCase();
  if (country && !/^[A-Z]{2}$/.test(country)) throw new AppError('request.invalid', 400, 'the country is a two-letter code');
  const timeZone = blankToNull(changes.timeZone);
  if (timeZone && !isTimeZone(timeZone)) throw new AppError('request.invalid', 400, `unknown time zone ${timeZone}`);
  const next: Partial<CampaignListMembersTable> = {};
  if (changes.name !== undefined) next.name = blankToNull(changes.name) ?? null;
  if (changes.company !== undefined) next.company = blankToNull(changes.company) ?? null;
  if (country !== undefined) next.country = country;
  if (timeZone !== undefined) next.time_zone = timeZone;
  if (changes.language !== undefined) next.opt_in_language = changes.language;
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== member[k]);
  if (changed.length === 0) return viewOf(member);
  const after = { ...member, ...next };
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('campaign_list_members')
      .set({ ...next, search_text: memberSearchText(after) })
      .where('list_id', '=', list.id)
      .where('address', '=', member.address)
      .execute();
    await recordAuditBy(trx, input.actor, {
      action: 'campaign.member_updated',
      targetType: 'campaign_list',
      targetId: list.id,
      mailboxId: list.opt_in_mailbox_id,
      details: {
        list: list.name,
        address: member.address,
        before: Object.fromEntries(changed.map((k) => [k, member[k]])),
        after: Object.fromEntries(changed.map((k) => [k, after[k]])),
      },
    });
    return viewOf(after);
  });
}

/**
 * Removes one member from a static list. The suppression list is not touched (an unsubscribed address
 * stays unsubscribed; a removed address may come back only with a new consent). Queued campaigns
 * keep their recipient rows: a campaign already queued to it is stopped by a cancel, not by this.
 * Audited with the consent record that goes with the row.
 */
export async function removeListMember(db: Kysely<Database>, input: { list: CampaignListsTable; address: string; actor: AuditActor }) {
  const { list } = input;
  const member = await memberOf(db, list, input.address);
  await db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('campaign_list_members')
      .where('list_id', '=', list.id)
      .where('address', '=', member.address)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) throw new AppError('campaign.member_not_found', 404, 'no such member in this list');
    await recordAuditBy(trx, input.actor, {
      action: 'campaign.member_removed',
      targetType: 'campaign_list',
      targetId: list.id,
      mailboxId: list.opt_in_mailbox_id,
      details: {
        list: list.name,
        address: member.address,
        consentSource: member.consent_source,
        consentAt: Number(member.consent_at),
        optIn: member.opt_in_state,
        confirmedAt: member.confirmed_at === null ? null : Number(member.confirmed_at),
      },
    });
  });
  return { address: member.address, removed: true };
}

function viewOf(m: CampaignListMembersTable) {
  return {
    address: m.address,
    name: m.name,
    company: m.company,
    country: m.country,
    timeZone: m.time_zone,
    language: m.opt_in_language,
  };
}
