import type { SavedReply, SendPreferences, SignatureSettings, UpdateSignature } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database, MailboxRow, UserRow } from '../../db/schema.js';
import { readSetting, writeSetting } from '../../db/settings.js';
import { AppError } from '../../errors.js';
import type { BlobStore } from '../../storage/blob-store.js';
import type { OutgoingInlineImage } from './mime.js';
import { findSignatureLogo, logoContentId, logoImageTag, logoPreviewUrl, toSignatureLogo } from './signature-logo.js';
import { refuseUnknownSignatureVariables, renderSignatureTemplate, withLogoVariable } from './signature-template.js';
import { DEFAULT_SIGNATURE_HTML, type TemplateValues } from './templates.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Undo-send delay when neither the agent nor the workspace chose one. */
export const DEFAULT_UNDO_SECONDS = 10;
const WORKSPACE_UNDO_KEY = 'outbox.undo_seconds';

export async function loadSignatureSettings(db: Db, mailboxId: string): Promise<SignatureSettings> {
  const row = await db.selectFrom('outbox_mailbox_settings').selectAll().where('mailbox_id', '=', mailboxId).executeTakeFirst();
  return {
    mailboxId,
    signatureHtml: row?.signature_html ?? DEFAULT_SIGNATURE_HTML,
    companyName: row?.company_name ?? '',
    logo: toSignatureLogo(await findSignatureLogo(db, mailboxId)),
    website: row?.website ?? '',
    phone: row?.phone ?? '',
    sentCopy: (row?.sent_copy as SignatureSettings['sentCopy'] | undefined) ?? 'auto',
  };
}

export async function saveSignatureSettings(db: Db, settings: UpdateSignature & { mailboxId: string }): Promise<SignatureSettings> {
  // A remote logo would be fetched by every recipient's client (tracking, mixed content, a dead link
  // later) and cannot be shown under the app's CSP: the logo is uploaded (signature-logo.ts).
  if ((settings.logoUrl ?? '').trim() !== '') {
    throw new AppError('signature.remote_logo', 400, 'a logo is no longer linked from another site: upload the image instead');
  }
  refuseUnknownSignatureVariables(settings.signatureHtml);
  const values = {
    signature_html: withLogoVariable(settings.signatureHtml),
    company_name: settings.companyName,
    logo_url: '',
    website: settings.website,
    phone: settings.phone,
    sent_copy: settings.sentCopy,
    updated_at: Date.now(),
  };
  await db
    .insertInto('outbox_mailbox_settings')
    .values({ mailbox_id: settings.mailboxId, ...values })
    .onConflict((oc) => oc.column('mailbox_id').doUpdateSet(values))
    .execute();
  return loadSignatureSettings(db, settings.mailboxId);
}

export async function loadSendPreferences(db: Db, userId: string): Promise<SendPreferences> {
  const row = await db.selectFrom('outbox_agent_settings').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return { undoSeconds: row?.undo_seconds ?? (await workspaceUndoSeconds(db)), title: row?.title ?? '' };
}

export async function saveSendPreferences(db: Db, userId: string, prefs: SendPreferences): Promise<SendPreferences> {
  const values = { title: prefs.title, undo_seconds: prefs.undoSeconds, updated_at: Date.now() };
  await db
    .insertInto('outbox_agent_settings')
    .values({ user_id: userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
  return loadSendPreferences(db, userId);
}

async function workspaceUndoSeconds(db: Db): Promise<number> {
  const stored = await readSetting(db, WORKSPACE_UNDO_KEY);
  const value = stored !== undefined ? Number(stored) : Number.NaN;
  return Number.isInteger(value) && value >= 5 && value <= 30 ? value : DEFAULT_UNDO_SECONDS;
}

export async function saveWorkspaceUndoSeconds(db: Db, seconds: number): Promise<void> {
  await writeSetting(db, WORKSPACE_UNDO_KEY, String(seconds));
}

/** The values a signature or saved reply may use. */
export async function templateValues(
  db: Db,
  input: {
    user: Pick<UserRow, 'id' | 'name' | 'email'>;
    mailbox: Pick<MailboxRow, 'id' | 'display_name' | 'address'>;
    customer?: { name: string | null; address: string } | null;
  },
): Promise<TemplateValues> {
  const [signature, prefs] = await Promise.all([loadSignatureSettings(db, input.mailbox.id), loadSendPreferences(db, input.user.id)]);
  const customerName = input.customer?.name ?? input.customer?.address.split('@')[0] ?? '';
  return {
    'agent.name': input.user.name,
    'agent.email': input.user.email,
    'agent.title': prefs.title,
    'mailbox.name': input.mailbox.display_name,
    'mailbox.address': input.mailbox.address,
    'company.name': signature.companyName,
    // The logo is an image, not text: renderSignature puts it in as markup.
    'company.logo': '',
    'company.website': signature.website,
    'company.phone': signature.phone,
    'customer.name': customerName,
    'customer.first_name': customerName.split(/\s+/)[0] ?? '',
    'customer.email': input.customer?.address ?? '',
  };
}

type Signer = Pick<UserRow, 'id' | 'name' | 'email'>;

/** The mailbox signature for this agent as the settings page and composer preview it (logo served by Pier). */
export async function renderSignature(db: Db, user: Signer, mailbox: MailboxRow): Promise<string> {
  const logo = await findSignatureLogo(db, mailbox.id);
  return renderSignatureWith(db, user, mailbox, (alt) => (logo ? logoImageTag(logo, logoPreviewUrl(logo), alt) : ''));
}

/**
 * The signature as it leaves: the logo as an inline part named by its Content-ID, and the HTML the
 * plain-text alternative is made from, rendered without the logo so no separator dangles next to it.
 */
export async function renderSignatureForMail(
  db: Db,
  blobs: BlobStore,
  user: Signer,
  mailbox: MailboxRow,
): Promise<{ html: string; htmlForText: string; inline: OutgoingInlineImage[] }> {
  const logo = await findSignatureLogo(db, mailbox.id);
  const noLogo = () => '';
  const htmlForText = await renderSignatureWith(db, user, mailbox, noLogo);
  if (!logo) return { html: htmlForText, htmlForText, inline: [] };
  const contentId = logoContentId(logo, mailbox.address.split('@')[1] ?? 'localhost');
  const html = await renderSignatureWith(db, user, mailbox, (alt) => logoImageTag(logo, `cid:${contentId}`, alt));
  if (!html.includes(`cid:${contentId}`)) return { html, htmlForText, inline: [] };
  const extension = logo.mime.split('/')[1] === 'jpeg' ? 'jpg' : logo.mime.split('/')[1];
  return {
    html,
    htmlForText,
    inline: [{ contentId, filename: `logo.${extension}`, contentType: logo.mime, content: await blobs.get(logo.sha256) }],
  };
}

/** Empty when the template is empty. */
async function renderSignatureWith(db: Db, user: Signer, mailbox: MailboxRow, logoTag: (alt: string) => string): Promise<string> {
  const signature = await loadSignatureSettings(db, mailbox.id);
  if (signature.signatureHtml.trim() === '') return '';
  const values = await templateValues(db, { user, mailbox });
  const rendered = renderSignatureTemplate(signature.signatureHtml, values, { 'company.logo': logoTag(signature.companyName || 'Logo') });
  // Lines whose variables were all empty leave stray <br>s; tidy them.
  return `<div class="pier-signature">${rendered.replace(/(<br>\s*){2,}/g, '<br>').replace(/<br>\s*<\/p>/g, '</p>')}</div>`;
}

export async function listSavedReplies(db: Db): Promise<SavedReply[]> {
  const rows = await db.selectFrom('outbox_saved_replies').selectAll().orderBy('name').execute();
  return rows.map(toSavedReply);
}

export async function findSavedReply(db: Db, id: string) {
  const row = await db.selectFrom('outbox_saved_replies').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('outbox.not_found', 404, 'no such saved reply');
  return row;
}

export async function createSavedReply(db: Db, userId: string, input: { name: string; bodyHtml: string }): Promise<SavedReply> {
  const now = Date.now();
  const row = { id: newId(), name: input.name, body_html: input.bodyHtml, created_by: userId, created_at: now, updated_at: now };
  await db.insertInto('outbox_saved_replies').values(row).execute();
  return toSavedReply(row);
}

export async function updateSavedReply(db: Db, id: string, input: { name: string; bodyHtml: string }): Promise<SavedReply> {
  await findSavedReply(db, id);
  await db
    .updateTable('outbox_saved_replies')
    .set({ name: input.name, body_html: input.bodyHtml, updated_at: Date.now() })
    .where('id', '=', id)
    .execute();
  return toSavedReply(await findSavedReply(db, id));
}

export async function deleteSavedReply(db: Db, id: string): Promise<void> {
  await findSavedReply(db, id);
  await db.deleteFrom('outbox_saved_replies').where('id', '=', id).execute();
}

function toSavedReply(row: { id: string; name: string; body_html: string; updated_at: number }): SavedReply {
  return { id: row.id, name: row.name, bodyHtml: row.body_html, updatedAt: Number(row.updated_at) };
}
