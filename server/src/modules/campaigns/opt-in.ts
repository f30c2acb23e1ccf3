import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import type { CampaignListMembersTable, CampaignListsTable } from '../../db/tables/campaigns.js';
import { AppError } from '../../errors.js';
import { enqueueJob } from '../../jobs/queue.js';
import { type AuditActor, recordAudit, recordAuditBy } from '../audit/index.js';
import { findMailboxById } from '../mailboxes/index.js';
import { OPT_IN_TOKEN_TTL_MS, verifyOptInToken } from './opt-in-token.js';
import { isSuppressed, suppressedAmong } from './suppression.js';

/**
 * Double opt-in, optional per static list (decision 0059). A member added while the list asks for it
 * starts `pending` and gets one confirmation mail (opt-in-send.ts); it receives no campaign until it
 * clicks and confirms (lists.ts `listMembers` reads only members that are not pending). The click's
 * time, IP and user agent are kept as consent evidence and audited.
 */
type Db = Kysely<Database> | Transaction<Database>;

export const OPT_IN_SEND_JOB = 'campaign.opt_in_send';
/** A resend waits this long after the last confirmation mail, and a member gets this many at most. */
export const RESEND_INTERVAL_MS = 3_600_000;
export const MAX_CONFIRMATION_MAILS = 5;

const CHINESE_COUNTRIES = new Set(['CN', 'TW', 'HK', 'MO']);

/** The confirmation mail's language: the CSV's `language` column (zh…, en…), else Chinese for a Chinese-speaking country, else English. */
export function optInLanguageOf(language: string | undefined, country: string | null): 'zh-CN' | 'en' {
  const l = (language ?? '').trim().toLowerCase();
  if (l.startsWith('zh')) return 'zh-CN';
  if (l.startsWith('en')) return 'en';
  return country && CHINESE_COUNTRIES.has(country.toUpperCase()) ? 'zh-CN' : 'en';
}

/**
 * The opt-in columns of a member newly added to `list`: pending with a confirmation mail queued, or
 * none (single opt-in). A suppressed address is pending with no mail at all: the suppression list wins.
 */
export function newMemberOptIn(
  list: Pick<CampaignListsTable, 'double_opt_in'>,
  language: 'zh-CN' | 'en',
  suppressed = false,
): Pick<CampaignListMembersTable, 'opt_in_state' | 'opt_in_id' | 'opt_in_language' | 'opt_in_mail_state' | 'opt_in_mails'> {
  if (list.double_opt_in !== 1)
    return { opt_in_state: null, opt_in_id: null, opt_in_language: null, opt_in_mail_state: null, opt_in_mails: 0 };
  return {
    opt_in_state: 'pending',
    opt_in_id: newId(),
    opt_in_language: language,
    opt_in_mail_state: suppressed ? 'suppressed' : 'queued',
    opt_in_mails: 0,
  };
}

/** Queues a sending run of the list's confirmation mails at `runAt` (inside the caller's transaction when given one). */
export async function scheduleOptInSend(db: Db, listId: string, runAt: number): Promise<void> {
  await enqueueJob(db, { name: OPT_IN_SEND_JOB, payload: { listId }, runAt, dedupeKey: `${OPT_IN_SEND_JOB}:${listId}:${runAt}` });
}

/** Members of the list waiting for their confirmation click (no campaign reaches them). */
export async function unconfirmedCount(db: Db, listId: string): Promise<number> {
  const row = await db
    .selectFrom('campaign_list_members')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('list_id', '=', listId)
    .where('opt_in_state', '=', 'pending')
    // A suppressed member is never asked nor mailed: it awaits nothing (decision 0072).
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('campaign_suppressions')
            .select('address')
            .whereRef('campaign_suppressions.address', '=', 'campaign_list_members.address'),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Turns double opt-in on (with the marketing mailbox its confirmation mails go from) or off for a
 * static list. Members already in the list keep their state: turning it on asks only those added
 * from then on; turning it off does not make pending members receivers (they never confirmed).
 */
export async function setDoubleOptIn(
  db: Kysely<Database>,
  input: { listId: string; enabled: boolean; mailboxId?: string | null | undefined; actor: AuditActor; now: number },
): Promise<CampaignListsTable> {
  const list = await db.selectFrom('campaign_lists').selectAll().where('id', '=', input.listId).executeTakeFirst();
  if (!list) throw new AppError('campaign.list_not_found', 404, 'no such list');
  if (list.kind !== 'static')
    throw new AppError('campaign.list_is_segment', 409, 'a segment is read from the contacts; double opt-in is for imported lists');
  const mailboxId = input.enabled ? (await optInMailboxFor(db, input.mailboxId)).id : list.opt_in_mailbox_id;
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable('campaign_lists')
      .set({ double_opt_in: input.enabled ? 1 : 0, opt_in_mailbox_id: mailboxId })
      .where('id', '=', list.id)
      .execute();
    await recordAuditBy(trx, input.actor, {
      action: input.enabled ? 'campaign.opt_in_enabled' : 'campaign.opt_in_disabled',
      targetType: 'campaign_list',
      targetId: list.id,
      mailboxId,
      details: { list: list.name },
    });
    // Mails queued while it was off (or the mailbox lacked) go now.
    if (input.enabled) await scheduleOptInSend(trx, list.id, input.now);
    return { ...list, double_opt_in: input.enabled ? 1 : 0, opt_in_mailbox_id: mailboxId };
  });
}

/** The mailbox confirmation mails may go from: a marketing mailbox with SMTP. */
export async function optInMailboxFor(db: Db, mailboxId: string | null | undefined) {
  const mailbox = mailboxId ? await findMailboxById(db, mailboxId) : undefined;
  if (!mailbox) throw new AppError('mailbox.not_found', 404, 'double opt-in needs the marketing mailbox its confirmation mails go from');
  if (mailbox.purpose !== 'marketing')
    throw new AppError('campaign.not_marketing_mailbox', 400, `${mailbox.address} is not a marketing mailbox`);
  if (!mailbox.smtp_host) throw new AppError('outbox.no_smtp', 400, 'this mailbox has no SMTP settings');
  return mailbox;
}

/** An import that asks for double opt-in turns it on (audited) inside the import's transaction. */
export async function enableOptInOnImport(
  trx: Transaction<Database>,
  list: CampaignListsTable,
  input: { mailboxId: string; actorId: string | null },
): Promise<CampaignListsTable> {
  if (list.double_opt_in === 1 && list.opt_in_mailbox_id === input.mailboxId) return list;
  await trx.updateTable('campaign_lists').set({ double_opt_in: 1, opt_in_mailbox_id: input.mailboxId }).where('id', '=', list.id).execute();
  await recordAudit(trx, {
    actorId: input.actorId,
    action: 'campaign.opt_in_enabled',
    targetType: 'campaign_list',
    targetId: list.id,
    mailboxId: input.mailboxId,
    details: { list: list.name, via: 'import' },
  });
  return { ...list, double_opt_in: 1, opt_in_mailbox_id: input.mailboxId };
}

export type OptInView = 'none' | 'pending' | 'expired' | 'confirmed';

/** A member's double opt-in state as the page shows it: pending turns expired when its latest link has. */
export function optInViewOf(
  member: Pick<CampaignListMembersTable, 'opt_in_state' | 'opt_in_mail_state' | 'opt_in_sent_at'>,
  now: number,
): OptInView {
  if (member.opt_in_state === 'confirmed') return 'confirmed';
  if (member.opt_in_state !== 'pending') return 'none';
  const sentAt = member.opt_in_sent_at === null ? null : Number(member.opt_in_sent_at);
  if (
    member.opt_in_mail_state !== 'queued' &&
    member.opt_in_mail_state !== 'sending' &&
    sentAt !== null &&
    sentAt + OPT_IN_TOKEN_TTL_MS < now
  )
    return 'expired';
  return 'pending';
}

/** Why a member cannot be sent another confirmation mail now, or null when it can. */
export function resendBlockedBy(
  member: Pick<CampaignListMembersTable, 'opt_in_state' | 'opt_in_mail_state' | 'opt_in_sent_at' | 'opt_in_mails'>,
  now: number,
): string | null {
  if (member.opt_in_state !== 'pending') return 'not waiting for a confirmation';
  if (member.opt_in_mail_state === 'queued' || member.opt_in_mail_state === 'sending') return 'a confirmation mail is on its way';
  if (member.opt_in_mail_state === 'suppressed') return 'the address is on the suppression list';
  if (member.opt_in_mails >= MAX_CONFIRMATION_MAILS) return `${MAX_CONFIRMATION_MAILS} confirmation mails sent already`;
  if (member.opt_in_sent_at !== null && Number(member.opt_in_sent_at) + RESEND_INTERVAL_MS > now)
    return 'the last confirmation mail went less than an hour ago';
  return null;
}

/**
 * Sends the confirmation mail again: to one member (refused with the reason when it may not get one
 * now), or to every pending member of the list that may (`address` omitted). Rate-limited per member:
 * an hour after the last mail, five mails at most; never to a suppressed address. Audited.
 */
export async function resendConfirmation(
  db: Kysely<Database>,
  input: { listId: string; address?: string | undefined; actor: AuditActor; now: number },
): Promise<{ queued: number; skipped: number }> {
  const list = await db.selectFrom('campaign_lists').selectAll().where('id', '=', input.listId).executeTakeFirst();
  if (!list) throw new AppError('campaign.list_not_found', 404, 'no such list');
  let query = db.selectFrom('campaign_list_members').selectAll().where('list_id', '=', list.id).where('opt_in_state', '=', 'pending');
  if (input.address) query = query.where('address', '=', input.address.toLowerCase());
  const pending = await query.execute();
  if (input.address && pending.length === 0)
    throw new AppError('campaign.no_member', 404, 'no member of this list waits for a confirmation at that address');
  const suppressed = await suppressedAmong(
    db,
    pending.map((m) => m.address),
  );
  const eligible = pending.filter((m) => resendBlockedBy(m, input.now) === null && !suppressed.has(m.address));
  if (input.address && eligible.length === 0) {
    const member = pending[0] as CampaignListMembersTable;
    const reason = suppressed.has(member.address) ? 'the address is on the suppression list' : resendBlockedBy(member, input.now);
    throw new AppError('campaign.opt_in_too_soon', 429, `no confirmation mail now: ${reason}`);
  }
  if (eligible.length === 0) return { queued: 0, skipped: pending.length };
  await db.transaction().execute(async (trx) => {
    for (const m of eligible)
      await trx
        .updateTable('campaign_list_members')
        .set({ opt_in_mail_state: 'queued', opt_in_error: null })
        .where('list_id', '=', list.id)
        .where('address', '=', m.address)
        .where('opt_in_state', '=', 'pending')
        .execute();
    await recordAuditBy(trx, input.actor, {
      action: 'campaign.opt_in_resent',
      targetType: 'campaign_list',
      targetId: list.id,
      mailboxId: list.opt_in_mailbox_id,
      details: { list: list.name, count: eligible.length, ...(input.address ? { address: input.address.toLowerCase() } : {}) },
    });
    await scheduleOptInSend(trx, list.id, input.now);
  });
  return { queued: eligible.length, skipped: pending.length - eligible.length };
}

/**
 * The member a token names, with what the page may show; `expired` when its link's time is past,
 * `suppressed` when the address is on the suppression list (then the link confirms nothing).
 */
export async function memberOfOptInToken(db: Kysely<Database>, key: Buffer, token: string, now: number) {
  const verified = verifyOptInToken(key, token);
  if (!verified) return null;
  const member = await db
    .selectFrom('campaign_list_members')
    .innerJoin('campaign_lists', 'campaign_lists.id', 'campaign_list_members.list_id')
    .select([
      'campaign_list_members.list_id',
      'campaign_list_members.address',
      'campaign_list_members.opt_in_state',
      'campaign_list_members.opt_in_language',
      'campaign_lists.name as list_name',
      'campaign_lists.opt_in_mailbox_id',
    ])
    .where('campaign_list_members.opt_in_id', '=', verified.optInId)
    .executeTakeFirst();
  if (!member || member.opt_in_state === null) return null;
  const mailbox = member.opt_in_mailbox_id ? await findMailboxById(db, member.opt_in_mailbox_id) : undefined;
  return {
    ...member,
    optInId: verified.optInId,
    expired: verified.expiresAt < now,
    suppressed: await isSuppressed(db, member.address),
    sender: mailbox?.display_name || mailbox?.address || '',
  };
}

/**
 * The confirmation click (a POST from the page's button): the member turns `confirmed` with the
 * time, IP and user agent as consent evidence, audited, in one transaction. Idempotent: a second
 * click changes nothing. An expired link confirms nothing, nor does the link of a suppressed address
 * (unsubscribed, bounced, complained, manual): no path overrides the suppression list, an old
 * confirmation mail's link included.
 */
export async function confirmOptIn(
  db: Kysely<Database>,
  key: Buffer,
  input: { token: string; ip: string | null; userAgent: string | null; now: number },
): Promise<
  | { outcome: 'invalid' }
  | { outcome: 'expired' | 'confirmed' | 'suppressed'; address: string; sender: string; language: 'zh-CN' | 'en' | null }
> {
  const member = await memberOfOptInToken(db, key, input.token, input.now);
  if (!member) return { outcome: 'invalid' };
  const seen = { address: member.address, sender: member.sender, language: member.opt_in_language };
  if (member.suppressed) return { outcome: 'suppressed', ...seen };
  if (member.opt_in_state === 'confirmed') return { outcome: 'confirmed', ...seen };
  if (member.expired) return { outcome: 'expired', ...seen };
  const changed = await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('campaign_list_members')
      .set({
        opt_in_state: 'confirmed',
        confirmed_at: input.now,
        confirmed_ip: input.ip,
        confirmed_user_agent: input.userAgent?.slice(0, 500) ?? null,
      })
      .where('opt_in_id', '=', member.optInId)
      .where('opt_in_state', '=', 'pending')
      // Suppressed between the check above and this click's write: still nothing.
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('campaign_suppressions').select('address').where('address', '=', member.address))),
      )
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return false;
    await recordAudit(trx, {
      actorId: null,
      action: 'campaign.opt_in_confirmed',
      targetType: 'campaign_list',
      targetId: member.list_id,
      mailboxId: member.opt_in_mailbox_id,
      ip: input.ip,
      details: { address: member.address, list: member.list_name, userAgent: input.userAgent?.slice(0, 500) ?? null },
    });
    return true;
  });
  if (!changed && (await isSuppressed(db, member.address))) return { outcome: 'suppressed', ...seen };
  return { outcome: 'confirmed', ...seen };
}
