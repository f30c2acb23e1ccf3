import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CampaignListsTable } from '../../db/tables/campaigns.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAudit, recordAuditBy } from '../audit/index.js';
import { findMailboxById } from '../mailboxes/index.js';
import { ADDRESS, memberSearchText } from './lists.js';
import { MAX_CONFIRMATION_MAILS, newMemberOptIn, optInMailboxFor, scheduleOptInSend } from './opt-in.js';
import { addressKey, ipKey, SIGNUP_PER_ADDRESS, SIGNUP_PER_IP, takeSignupAttempt } from './signup-limits.js';
import { isSuppressed } from './suppression.js';

/**
 * The public sign-up form of a static list (decision 0071). Off by default; an admin turns it on and
 * gets a URL and a form to paste on the company's website. A sign-up is always double opt-in, whatever
 * the list's setting: the member starts pending and gets decision 0059's confirmation mail, and is
 * subscribed only by its click. The answer never tells whether the address was new, pending,
 * subscribed or suppressed; a suppressed address gets no mail.
 */
export const SIGNUP_CONSENT_SOURCE = 'Sign-up form';
/** A pending address signing up again gets another confirmation mail only this long after the last. */
export const SIGNUP_RESEND_MS = 6 * 3_600_000;
export const SIGNUP_LIMITS = { email: 254, name: 100, title: 120, intro: 1000 } as const;

export async function findListBySignupSlug(db: Kysely<Database>, slug: string): Promise<CampaignListsTable | undefined> {
  if (!/^[\w-]{8,64}$/.test(slug)) return undefined;
  return db.selectFrom('campaign_lists').selectAll().where('signup_slug', '=', slug).executeTakeFirst();
}

/** The name the form shows as the sender: the list's confirmation mailbox's display name (never the list's name, an internal label). */
export async function signupSenderOf(db: Kysely<Database>, list: CampaignListsTable): Promise<string> {
  const mailbox = list.opt_in_mailbox_id ? await findMailboxById(db, list.opt_in_mailbox_id) : undefined;
  return mailbox?.display_name || mailbox?.address || '';
}

/**
 * Turns the form on or off and sets its title and intro. Turning it on needs the marketing mailbox
 * the confirmation mails go from (the list's double opt-in mailbox unless another is given) and makes
 * the list's random slug the first time; off keeps the slug, so the pasted form works again when it
 * is turned back on. Audited: enabled, disabled, or the texts changed.
 */
export async function setSignupForm(
  db: Kysely<Database>,
  input: {
    listId: string;
    enabled: boolean;
    mailboxId?: string | null | undefined;
    title?: string | null | undefined;
    intro?: string | null | undefined;
    actor: AuditActor;
  },
): Promise<CampaignListsTable> {
  const list = await db.selectFrom('campaign_lists').selectAll().where('id', '=', input.listId).executeTakeFirst();
  if (!list) throw new AppError('campaign.list_not_found', 404, 'no such list');
  if (list.kind !== 'static')
    throw new AppError('campaign.list_is_segment', 409, 'a segment is read from the contacts; a sign-up form adds to a static list');
  const title = input.title === undefined ? list.signup_title : input.title?.trim() || null;
  const intro = input.intro === undefined ? list.signup_intro : input.intro?.trim() || null;
  if (title && title.length > SIGNUP_LIMITS.title)
    throw new AppError('request.invalid', 400, `the title has at most ${SIGNUP_LIMITS.title} characters`);
  if (intro && intro.length > SIGNUP_LIMITS.intro)
    throw new AppError('request.invalid', 400, `the intro has at most ${SIGNUP_LIMITS.intro} characters`);
  const mailboxId = input.enabled ? (await optInMailboxFor(db, input.mailboxId ?? list.opt_in_mailbox_id)).id : list.opt_in_mailbox_id;
  const changes = {
    signup_enabled: input.enabled ? 1 : 0,
    signup_slug: list.signup_slug ?? (input.enabled ? randomBytes(12).toString('base64url') : null),
    signup_title: title,
    signup_intro: intro,
    opt_in_mailbox_id: mailboxId,
  };
  const was = list.signup_enabled === 1;
  // Literal names, so the audit-actions test finds each one in the contracts.
  const action =
    input.enabled && !was ? 'campaign.signup_enabled' : !input.enabled && was ? 'campaign.signup_disabled' : 'campaign.signup_updated';
  return db.transaction().execute(async (trx) => {
    await trx.updateTable('campaign_lists').set(changes).where('id', '=', list.id).execute();
    await recordAuditBy(trx, input.actor, {
      action,
      targetType: 'campaign_list',
      targetId: list.id,
      mailboxId,
      details: { list: list.name, title, intro },
    });
    return { ...list, ...changes };
  });
}

export type SignupForm = { email: string; name: string; language: string; honeypot: string };
export type SignupError = 'email_missing' | 'email_invalid' | 'email_too_long' | 'name_too_long' | 'language_invalid';

/** The form's fields checked: what is wrong with each, in the order the form shows them. */
export function signupErrorsOf(form: SignupForm): SignupError[] {
  const errors: SignupError[] = [];
  const email = form.email.trim();
  if (!email) errors.push('email_missing');
  else if (email.length > SIGNUP_LIMITS.email) errors.push('email_too_long');
  else if (!ADDRESS.test(email)) errors.push('email_invalid');
  if (form.name.trim().length > SIGNUP_LIMITS.name) errors.push('name_too_long');
  if (!['', 'en', 'zh-CN'].includes(form.language)) errors.push('language_invalid');
  return errors;
}

export type SignupOutcome =
  | { outcome: 'unavailable' }
  | { outcome: 'rate_limited' }
  | { outcome: 'invalid'; errors: SignupError[] }
  /** The one answer a visitor sees for a new, pending, subscribed or suppressed address and for a bot. */
  | { outcome: 'thanks' };

/**
 * One submission of a list's public form. Counted per IP before anything else (a bot's junk too),
 * then per address. A filled honeypot is answered as a success and does nothing. A new address
 * becomes a pending member (consent source "Sign-up form", the time, IP and browser) with its
 * confirmation mail queued, in one transaction; a pending one gets another mail only when its last is
 * SIGNUP_RESEND_MS old (one conditional update, so two nodes send one); a subscribed or suppressed
 * one gets nothing. Every real sign-up is audited with what happened.
 */
export async function signUpToList(
  db: Kysely<Database>,
  input: { slug: string; form: SignupForm; pageLanguage: 'en' | 'zh-CN'; ip: string; userAgent: string | null; now: number },
): Promise<SignupOutcome> {
  const list = await findListBySignupSlug(db, input.slug);
  if (list?.signup_enabled !== 1 || list.kind !== 'static' || !list.opt_in_mailbox_id) return { outcome: 'unavailable' };
  if (!(await takeSignupAttempt(db, ipKey(input.ip), SIGNUP_PER_IP, input.now))) return { outcome: 'rate_limited' };
  if (input.form.honeypot.trim() !== '') return { outcome: 'thanks' };
  const errors = signupErrorsOf(input.form);
  if (errors.length > 0) return { outcome: 'invalid', errors };
  const address = input.form.email.trim().toLowerCase();
  if (!(await takeSignupAttempt(db, addressKey(address), SIGNUP_PER_ADDRESS, input.now))) return { outcome: 'rate_limited' };
  const audit = (outcome: string) =>
    recordAudit(db, {
      actorId: null,
      action: 'campaign.signup',
      targetType: 'campaign_list',
      targetId: list.id,
      mailboxId: list.opt_in_mailbox_id,
      ip: input.ip,
      details: { list: list.name, address, outcome, userAgent: input.userAgent },
    });
  // The suppression list wins: no member row, no mail, the same page.
  if (await isSuppressed(db, address)) {
    await audit('suppressed');
    return { outcome: 'thanks' };
  }
  const language = (input.form.language || input.pageLanguage) as 'en' | 'zh-CN';
  const name = input.form.name.trim() || null;
  const outcome = await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('campaign_list_members')
      .values({
        list_id: list.id,
        address,
        name,
        consent_source: SIGNUP_CONSENT_SOURCE,
        consent_at: input.now,
        added_at: input.now,
        search_text: memberSearchText({ address, name, company: null }),
        signup_ip: input.ip,
        signup_user_agent: input.userAgent,
        // Double opt-in whatever the list says: a form anyone can fill is no proof of consent.
        ...newMemberOptIn({ double_opt_in: 1 }, language),
      })
      .onConflict((oc) => oc.columns(['list_id', 'address']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) {
      await scheduleOptInSend(trx, list.id, input.now);
      return 'added';
    }
    const resent = await trx
      .updateTable('campaign_list_members')
      .set({ opt_in_mail_state: 'queued', opt_in_error: null })
      .where('list_id', '=', list.id)
      .where('address', '=', address)
      .where('opt_in_state', '=', 'pending')
      .where((eb) => eb.or([eb('opt_in_mail_state', 'is', null), eb('opt_in_mail_state', 'not in', ['queued', 'sending'])]))
      .where('opt_in_mails', '<', MAX_CONFIRMATION_MAILS)
      .where((eb) => eb.or([eb('opt_in_sent_at', 'is', null), eb('opt_in_sent_at', '<=', input.now - SIGNUP_RESEND_MS)]))
      .executeTakeFirst();
    if (Number(resent.numUpdatedRows) > 0) {
      await scheduleOptInSend(trx, list.id, input.now);
      return 'resent';
    }
    const member = await trx
      .selectFrom('campaign_list_members')
      .select('opt_in_state')
      .where('list_id', '=', list.id)
      .where('address', '=', address)
      .executeTakeFirst();
    return member?.opt_in_state === 'pending' ? 'pending_not_resent' : 'already_subscribed';
  });
  await audit(outcome);
  return { outcome: 'thanks' };
}
