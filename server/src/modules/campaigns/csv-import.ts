import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CampaignSuppressionsTable } from '../../db/tables/campaigns.js';
import { AppError } from '../../errors.js';
import { ADDRESS, createList, findListByName, type ListMember, memberSearchText } from './lists.js';
import { enableOptInOnImport, newMemberOptIn, optInLanguageOf, optInMailboxFor, scheduleOptInSend, unconfirmedCount } from './opt-in.js';
import { isTimeZone } from './schedule.js';

/**
 * What became of one CSV row (decision 0072): added; already a member (its fields updated, its
 * consent and opt-in state kept); suppressed (written to the list like the others, never mailed: the
 * suppression list wins); invalid (address, consent or time zone: not written); a duplicate of an
 * earlier line (not written again).
 */
export type ImportOutcome = 'added' | 'existing' | 'suppressed' | 'invalid' | 'duplicate';
export type SkippedRow = {
  line: number;
  address: string;
  outcome: Exclude<ImportOutcome, 'added' | 'existing'>;
  reason: string;
  /** Suppressed: why and since when (epoch ms). */
  suppression?: { reason: CampaignSuppressionsTable['reason']; since: number };
  /** The row's cells as read (header → value): the download gives them back to be fixed. */
  row: Record<string, string>;
};
export type ImportReport = { counts: Record<ImportOutcome, number>; skipped: SkippedRow[] };

type Parsed = ListMember & {
  line: number;
  consentSource: string;
  consentAt: number;
  language: 'zh-CN' | 'en';
  row: Record<string, string>;
};

function readCsv(csv: string): Record<string, string>[] {
  try {
    return parse(csv, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new AppError('request.invalid', 400, `the CSV cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The rows that may go in, and the invalid and duplicate ones with their line (the header is line 1). */
function checkRows(records: Record<string, string>[], defaults: { consentSource?: string | undefined; consentDate?: string | undefined }) {
  const skipped: SkippedRow[] = [];
  const members: Parsed[] = [];
  const firstLine = new Map<string, number>();
  for (const [i, r] of records.entries()) {
    const line = i + 2;
    const address = (r.email ?? r.address ?? '').toLowerCase();
    const invalid = (reason: string) => skipped.push({ line, address, outcome: 'invalid', reason, row: r });
    if (!ADDRESS.test(address)) {
      invalid('no valid email address');
      continue;
    }
    const earlier = firstLine.get(address);
    if (earlier !== undefined) {
      skipped.push({ line, address, outcome: 'duplicate', reason: `same address as line ${earlier}`, row: r });
      continue;
    }
    const consentSource = r.consent_source || defaults.consentSource || '';
    const consentAt = Date.parse(r.consent_date || defaults.consentDate || '');
    if (!consentSource || Number.isNaN(consentAt)) {
      invalid('no consent source and date');
      continue;
    }
    const timeZone = r.time_zone || null;
    if (timeZone && !isTimeZone(timeZone)) {
      invalid(`unknown time zone ${timeZone}`);
      continue;
    }
    firstLine.set(address, line);
    members.push({
      line,
      address,
      name: r.name || null,
      company: r.company || null,
      country: r.country ? r.country.toUpperCase() : null,
      timeZone,
      consentSource,
      consentAt,
      language: optInLanguageOf(r.language, r.country || null),
      row: r,
    });
  }
  return { members, skipped };
}

/** Of these addresses, those in the list already and those suppressed (with reason and date), 500 a statement. */
async function knownAmong(db: Kysely<Database>, listId: string, addresses: string[]) {
  const existing = new Set<string>();
  const suppressed = new Map<string, { reason: CampaignSuppressionsTable['reason']; since: number }>();
  for (let i = 0; i < addresses.length; i += 500) {
    const chunk = addresses.slice(i, i + 500);
    const members = await db
      .selectFrom('campaign_list_members')
      .select('address')
      .where('list_id', '=', listId)
      .where('address', 'in', chunk)
      .execute();
    for (const m of members) existing.add(m.address);
    const rows = await db
      .selectFrom('campaign_suppressions')
      .select(['address', 'reason', 'created_at'])
      .where('address', 'in', chunk)
      .execute();
    for (const s of rows) suppressed.set(s.address, { reason: s.reason, since: Number(s.created_at) });
  }
  return { existing, suppressed };
}

/**
 * Imports a CSV (header row; columns email, name, company, country, time_zone, consent_source,
 * consent_date, language) into a static list, creating it when new. Consent is required per row, from the
 * column or the defaults given: a member without a consent source and date is refused, not guessed.
 * Re-importing an address updates its fields. Returns what was written (`imported`), the invalid rows
 * (`refused`, with the line) and a report of every row's outcome (decision 0072): a suppressed
 * address joins the list and is never mailed nor asked, and the report says so with the reason.
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
): Promise<{
  listId: string;
  imported: number;
  refused: { line: number; reason: string }[];
  pendingConfirmation: number;
  report: ImportReport;
}> {
  if (input.doubleOptInMailboxId) await optInMailboxFor(db, input.doubleOptInMailboxId);
  const { members, skipped } = checkRows(readCsv(input.csv), input);
  return db.transaction().execute(async (trx) => {
    let list =
      (await findListByName(trx, input.name.trim())) ??
      (await createList(trx, { name: input.name, kind: 'static', segment: null, actorId: input.actorId, now: input.now }));
    if (list.kind !== 'static')
      throw new AppError('campaign.list_is_segment', 409, 'a segment is read from the contacts; import into a static list');
    if (input.doubleOptInMailboxId)
      list = await enableOptInOnImport(trx, list, { mailboxId: input.doubleOptInMailboxId, actorId: input.actorId });
    const pendingBefore = await unconfirmedCount(trx, list.id);
    const known = await knownAmong(
      trx,
      list.id,
      members.map((m) => m.address),
    );
    const counts: Record<ImportOutcome, number> = { added: 0, existing: 0, suppressed: 0, invalid: 0, duplicate: 0 };
    for (const m of members) {
      const suppression = known.suppressed.get(m.address);
      // A suppressed address joins the list but is never asked (nor mailed): the suppression list wins.
      if (suppression) {
        counts.suppressed++;
        const since = new Date(suppression.since).toISOString().slice(0, 10);
        skipped.push({
          line: m.line,
          address: m.address,
          outcome: 'suppressed',
          reason: `on the suppression list (${suppression.reason} since ${since}): in the list, never mailed`,
          suppression,
          row: m.row,
        });
      } else counts[known.existing.has(m.address) ? 'existing' : 'added']++;
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
          ...newMemberOptIn(list, m.language, suppression !== undefined),
        })
        .onConflict((oc) => oc.columns(['list_id', 'address']).doUpdateSet(values))
        .execute();
    }
    if (list.double_opt_in === 1 && members.length > 0) await scheduleOptInSend(trx, list.id, input.now);
    const pendingConfirmation = (await unconfirmedCount(trx, list.id)) - pendingBefore;
    for (const s of skipped) if (s.outcome !== 'suppressed') counts[s.outcome]++;
    skipped.sort((a, b) => a.line - b.line);
    const refused = skipped.filter((s) => s.outcome === 'invalid').map((s) => ({ line: s.line, reason: s.reason }));
    return { listId: list.id, imported: members.length, refused, pendingConfirmation, report: { counts, skipped } };
  });
}

/**
 * The skipped rows as CSV (UTF-8 with BOM, so Excel shows Chinese): line, outcome, reason, then the
 * row's own columns, so they can be fixed and imported again. A cell starting with = + - @ is
 * prefixed with ' (it would run as a formula in a spreadsheet).
 */
export function skippedRowsCsv(skipped: SkippedRow[]): string {
  const columns = [...new Set(skipped.flatMap((s) => Object.keys(s.row)))];
  const guard = (v: string) => (/^[=+\-@]/.test(v) ? `'${v}` : v);
  const rows = skipped.map((s) => [String(s.line), s.outcome, s.reason, ...columns.map((c) => guard(s.row[c] ?? ''))]);
  return `\ufeff${stringify([['line', 'outcome', 'reason', ...columns], ...rows], { record_delimiter: '\r\n' })}`;
}
