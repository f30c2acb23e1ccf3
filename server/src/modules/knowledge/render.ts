/**
 * An answer as it goes into a reply: the version in the customer's language, variables filled
 * from the conversation (contact, their company), the agent and the mailbox; inserting counts a
 * use and hands the answer's attachments to the agent's draft as uploads of the same blobs.
 */
import type { FaqAnswer, RenderedFaq, Upload } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { companyNameOfAddress } from '../contacts/index.js';
import { conversationAccess, latestIncomingTextOf } from '../conversations/index.js';
import { findMailboxById } from '../mailboxes/index.js';
import { type Actor, findParentMessage, renderTemplate, templateValues, uploadFromBlob } from '../outbox/index.js';
import { accessToMailbox, includesAccess } from '../security/index.js';
import { attachmentBlobsOf, countUse, findAnswer } from './library.js';
import { primaryLanguage } from './text.js';

/** The version for `language`: the same tag, else the same language (zh ~ zh-CN), else English, else the first. */
export function chooseVersion(answer: Pick<FaqAnswer, 'versions'>, language: string | null | undefined): FaqAnswer['versions'][number] {
  const versions = answer.versions;
  const wanted = language?.toLowerCase();
  const exact = versions.find((v) => v.language.toLowerCase() === wanted);
  const primary = versions.find((v) => primaryLanguage(v.language) === primaryLanguage(wanted));
  const english = versions.find((v) => primaryLanguage(v.language) === 'en');
  const chosen = exact ?? primary ?? english ?? versions[0];
  if (!chosen) throw new AppError('knowledge.no_version', 409, 'the answer has no text');
  return chosen;
}

/** What the editor's preview fills in where there is no conversation. */
const sampleContact = { name: 'Maria Rossi', address: 'maria@rossi-trading.example', company: 'Rossi Trading S.r.l.' };

export type RenderInput = {
  language?: string | undefined;
  mailboxId?: string | undefined;
  conversationId?: string | undefined;
  insert: boolean;
};

export async function renderAnswer(db: Kysely<Database>, actor: Actor, answerId: string, input: RenderInput): Promise<RenderedFaq> {
  const answer = await findAnswer(db, answerId);
  const version = chooseVersion(answer, input.language);
  if (input.insert && !input.mailboxId) throw new AppError('knowledge.mailbox_required', 400, 'inserting needs the mailbox of the reply');
  const html = await fillVariables(db, actor, version.bodyHtml, input);

  const uploads: Upload[] = [];
  if (input.insert) {
    const now = Date.now();
    await db.transaction().execute(async (trx) => {
      await countUse(trx, answer.id, now);
      for (const file of await attachmentBlobsOf(trx, answer.id)) {
        uploads.push(
          await uploadFromBlob(trx, actor.user.id, {
            sha256: file.sha256,
            filename: file.filename,
            mime: file.mime,
            size: Number(file.size),
          }),
        );
      }
    });
  }
  return { language: version.language, html, uploads };
}

/** An editor's unsaved text with the sample customer and this agent: the preview while writing. */
export async function previewText(db: Kysely<Database>, actor: Actor, bodyHtml: string): Promise<string> {
  return fillVariables(db, actor, bodyHtml, { insert: false });
}

async function fillVariables(db: Kysely<Database>, actor: Actor, bodyHtml: string, input: RenderInput): Promise<string> {
  let mailbox: { id: string; display_name: string; address: string } = { id: '', display_name: '', address: '' };
  if (input.mailboxId) {
    // The reply's mailbox: the agent must be able to reply from it (its name and signature data fill variables).
    if (!includesAccess(accessToMailbox(actor.scope, input.mailboxId), 'reply')) {
      throw new AppError('mailbox.not_found', 404, 'no such mailbox');
    }
    const found = await findMailboxById(db, input.mailboxId);
    if (!found) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
    mailbox = found;
  }

  let customer: { name: string | null; address: string } | null = null;
  let company: string | null = null;
  if (input.conversationId) {
    await conversationAccess(db, actor.scope, input.conversationId, 'read');
    // The customer is the sender of the newest incoming mail, even when the team answered since.
    const incoming = await latestIncomingTextOf(db, input.conversationId);
    const parent = incoming ? await findParentMessage(db, input.conversationId, incoming.messageId) : null;
    if (parent?.direction === 'in' && parent.from) {
      customer = parent.from;
      company = await companyNameOfAddress(db, parent.from.address);
    }
  } else if (!input.insert) {
    customer = { name: sampleContact.name, address: sampleContact.address };
    company = sampleContact.company;
  }

  const values = await templateValues(db, { user: actor.user, mailbox, customer });
  const html = renderTemplate(bodyHtml, {
    ...values,
    'contact.name': values['customer.name'],
    'contact.first_name': values['customer.first_name'],
    'contact.email': values['customer.email'],
    company: company ?? '',
    'contact.company': company ?? '',
  });

  return html;
}
