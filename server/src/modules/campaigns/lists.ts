import { parse } from 'csv-parse/sync';
import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import type { CampaignListsTable } from '../../db/tables/campaigns.js';
import { AppError } from '../../errors.js';
import { type ContactSegment, contactsInSegment, foldForSearch } from '../contacts/index.js';
import { latestLanguagesOf } from '../conversations/index.js';
import { enableOptInOnImport, newMemberOptIn, optInLanguageOf, optInMailboxFor, scheduleOptInSend, unconfirmedCount } from './opt-in.js';
import { isTimeZone } from './schedule.js';
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

async function createList(
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
 * Imports a CSV (header row; columns email, name, company, country, time_zone, consent_source,
 * consent_date, language) into a static list, creating it when new. Consent is required per row, from the
 * column or the defaults given: a member without a consent source and date is refused, not guessed.
 * Re-importing an address updates it. Returns what was added and what was refused, with the line.
 * Into a list with double opt-in (decision 0059) a new address starts pending and its confirmation
 * mail is queued in the same transaction; an address already there keeps its state.
 */
export async function importListCsv(
  db: Kysely<Database>,
  input: {
    name: string;
    csv: string;
    consentSource?: string | undefined;
    consentDate?: string | undefined;
    /** Turns double opt-in on for the list (new or not) before these rows go in, confirmations from this mailbox. */
    doubleOptInMailboxId?: string | undefined;
    actorId: string | null;
    now: number;
  },
): Promise<{ listId: string; imported: number; refused: { line: number; reason: string }[]; pendingConfirmation: number }> {
  if (input.doubleOptInMailboxId) await optInMailboxFor(db, input.doubleOptInMailboxId);
  let records: Record<string, string>[];
  try {
    records = parse(input.csv, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (error) {
    throw new AppError('request.invalid', 400, `the CSV cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const refused: { line: number; reason: string }[] = [];
  const members: (ListMember & { consentSource: string; consentAt: number; language: 'zh-CN' | 'en' })[] = [];
  for (const [i, r] of records.entries()) {
    const line = i + 2;
    const address = (r.email ?? r.address ?? '').toLowerCase();
    if (!ADDRESS.test(address)) {
      refused.push({ line, reason: 'no valid email address' });
      continue;
    }
    const consentSource = r.consent_source || input.consentSource || '';
    const consentAt = Date.parse(r.consent_date || input.consentDate || '');
    if (!consentSource || Number.isNaN(consentAt)) {
      refused.push({ line, reason: 'no consent source and date' });
      continue;
    }
    const timeZone = r.time_zone || null;
    if (timeZone && !isTimeZone(timeZone)) {
      refused.push({ line, reason: `unknown time zone ${timeZone}` });
      continue;
    }
    members.push({
      address,
      name: r.name || null,
      company: r.company || null,
      country: r.country ? r.country.toUpperCase() : null,
      timeZone,
      consentSource,
      consentAt,
      language: optInLanguageOf(r.language, r.country || null),
    });
  }
  return db.transaction().execute(async (trx) => {
    let list =
      (await findListByName(trx, input.name.trim())) ??
      (await createList(trx, { name: input.name, kind: 'static', segment: null, actorId: input.actorId, now: input.now }));
    if (list.kind !== 'static')
      throw new AppError('campaign.list_is_segment', 409, 'a segment is read from the contacts; import into a static list');
    if (input.doubleOptInMailboxId)
      list = await enableOptInOnImport(trx, list, { mailboxId: input.doubleOptInMailboxId, actorId: input.actorId });
    const pendingBefore = await unconfirmedCount(trx, list.id);
    // A suppressed address joins the list but is never asked (nor mailed): the suppression list wins.
    const suppressed =
      list.double_opt_in === 1
        ? await suppressedAmong(
            trx,
            members.map((m) => m.address),
          )
        : new Set<string>();
    for (const m of members) {
      const values = {
        name: m.name,
        company: m.company,
        country: m.country,
        time_zone: m.timeZone,
        consent_source: m.consentSource,
        consent_at: m.consentAt,
        search_text: memberSearchText(m),
      };
      await trx
        .insertInto('campaign_list_members')
        .values({
          list_id: list.id,
          address: m.address,
          ...values,
          added_at: input.now,
          ...newMemberOptIn(list, m.language, suppressed.has(m.address)),
        })
        .onConflict((oc) => oc.columns(['list_id', 'address']).doUpdateSet(values))
        .execute();
    }
    if (list.double_opt_in === 1 && members.length > 0) await scheduleOptInSend(trx, list.id, input.now);
    const pendingConfirmation = (await unconfirmedCount(trx, list.id)) - pendingBefore;
    return { listId: list.id, imported: members.length, refused, pendingConfirmation };
  });
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
