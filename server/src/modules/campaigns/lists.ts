import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import type { CampaignListsTable } from '../../db/tables/campaigns.js';
import { AppError } from '../../errors.js';
import { type ContactSegment, contactsInSegment, foldForSearch } from '../contacts/index.js';
import { latestLanguagesOf } from '../conversations/index.js';
import { unconfirmedCount } from './opt-in.js';
import { suppressedAmong } from './suppression.js';

type Db = Kysely<Database> | Transaction<Database>;

export type ListMember = {
  address: string;
  name: string | null;
  company: string | null;
  country: string | null;
  timeZone: string | null;
};

export const ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** The member's folded search text: address, name and company (migration 0071). */
export function memberSearchText(m: { address: string; name: string | null; company: string | null }): string {
  return foldForSearch([m.address, m.name ?? '', m.company ?? ''].join(' '));
}

export async function findListByName(db: Db, name: string): Promise<CampaignListsTable | undefined> {
  return db.selectFrom('campaign_lists').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function findListById(db: Db, id: string): Promise<CampaignListsTable | undefined> {
  return db.selectFrom('campaign_lists').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function createList(
  db: Db,
  input: { name: string; kind: 'static' | 'segment'; segment: ContactSegment | null; actorId: string | null; now: number },
) {
  const name = input.name.trim();
  if (!name || name.length > 120) throw new AppError('request.invalid', 400, 'a list needs a name (up to 120 characters)');
  if (await findListByName(db, name)) throw new AppError('campaign.list_exists', 409, `a list named ${name} exists`);
  const row: CampaignListsTable = {
    id: newId(),
    name,
    kind: input.kind,
    segment_json: input.segment ? JSON.stringify(input.segment) : null,
    created_by: input.actorId,
    created_at: input.now,
    double_opt_in: 0,
    opt_in_mailbox_id: null,
    signup_enabled: 0,
    signup_slug: null,
    signup_title: null,
    signup_intro: null,
  };
  await db.insertInto('campaign_lists').values(row).execute();
  return row;
}

/** A segment: its members are the contacts matching it when a campaign is queued. */
export function createSegmentList(db: Db, input: { name: string; segment: ContactSegment; actorId: string | null; now: number }) {
  return createList(db, { ...input, kind: 'segment' });
}

/**
 * Who a list holds at `now`: its imported members, or the contacts its segment matches then. A member
 * still waiting for its double opt-in click is nobody's recipient (decision 0059).
 */
export async function listMembers(db: Db, list: CampaignListsTable, now: number): Promise<ListMember[]> {
  if (list.kind === 'segment') return segmentMembers(db, JSON.parse(list.segment_json ?? '{}') as ContactSegment, now);
  const rows = await db
    .selectFrom('campaign_list_members')
    .selectAll()
    .where('list_id', '=', list.id)
    .where((eb) => eb.or([eb('opt_in_state', 'is', null), eb('opt_in_state', '!=', 'pending')]))
    .orderBy('address')
    .execute();
  return rows.map((r) => ({ address: r.address, name: r.name, company: r.company, country: r.country, timeZone: r.time_zone }));
}

async function segmentMembers(db: Db, segment: ContactSegment, now: number): Promise<ListMember[]> {
  return (await contactsInSegment(db, segment, now, latestLanguagesOf)).map((c) => ({
    ...c,
    address: c.address.toLowerCase(),
    timeZone: null,
  }));
}

/**
 * What a campaign to these members would reach: how many match, how many of them the suppression
 * list holds (they get nothing, whatever the list says) and the first recipients, for a preview.
 */
async function audienceOf(db: Db, members: ListMember[], sampleSize: number) {
  const suppressed = await suppressedAmong(
    db,
    members.map((m) => m.address),
  );
  const reachable = members.filter((m) => !suppressed.has(m.address.toLowerCase()));
  return {
    matching: members.length,
    suppressed: members.length - reachable.length,
    recipients: reachable.length,
    sample: reachable.slice(0, sampleSize).map((m) => ({ address: m.address, name: m.name, company: m.company, country: m.country })),
  };
}

/** The live count and first recipients of a segment being built (nothing is saved). */
export async function previewSegment(db: Db, segment: ContactSegment, now: number) {
  return audienceOf(db, await segmentMembers(db, segment, now), 20);
}

/** The live count and first recipients of a saved list or segment. */
export async function previewList(db: Db, list: CampaignListsTable, now: number) {
  return audienceOf(db, await listMembers(db, list, now), 20);
}

/** Every list with its size now (a segment's counted now) and how many of its members are suppressed. */
export async function listLists(db: Db, now: number) {
  const lists = await db.selectFrom('campaign_lists').selectAll().orderBy('name').execute();
  const out = [];
  for (const list of lists) {
    const audience = await audienceOf(db, await listMembers(db, list, now), 0);
    out.push({
      id: list.id,
      name: list.name,
      kind: list.kind,
      segment: list.segment_json ? (JSON.parse(list.segment_json) as ContactSegment) : null,
      members: audience.matching,
      suppressed: audience.suppressed,
      recipients: audience.recipients,
      createdAt: Number(list.created_at),
      doubleOptIn: list.double_opt_in === 1,
      optInMailboxId: list.opt_in_mailbox_id,
      unconfirmed: list.kind === 'static' ? await unconfirmedCount(db, list.id) : 0,
    });
  }
  return out;
}
