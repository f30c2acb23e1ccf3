import type { SignatureLogo } from '@pier/contracts';
import { imageSize } from 'image-size';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { OutboxSignatureLogosTable } from '../../db/tables/outbox.js';
import { AppError } from '../../errors.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { recordAudit } from '../audit/index.js';
import { escapeHtml } from './templates.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * A signature's logo is uploaded, never linked: mail carries it as an inline CID part (the
 * recipient's client shows it without loading anything remote) and the settings page loads it
 * from Pier (CSP `img-src 'self'`). The type is sniffed from the bytes, not taken from the
 * request; SVG is refused, since it can carry script.
 */
export const MAX_LOGO_BYTES = 200 * 1024;
export const MAX_LOGO_WIDTH = 1200;
export const MAX_LOGO_HEIGHT = 600;
const MIN_LOGO_SIDE = 16;
/** Mail shows the logo at most this tall (CSS px); a 2× image stays sharp on a phone. */
const SHOWN_HEIGHT = 60;
const MIME_OF: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

export type LogoImage = { mime: string; width: number; height: number };

/** The logo's type and size, or a 4xx saying what is wrong with the file. */
export function checkLogoImage(bytes: Buffer): LogoImage {
  if (bytes.length > MAX_LOGO_BYTES) {
    throw new AppError('signature.logo_too_large', 413, `the logo is ${Math.ceil(bytes.length / 1024)} kB; at most 200 kB`, {
      size: `${Math.ceil(bytes.length / 1024)} kB`,
      max: '200 kB',
    });
  }
  let found: { type?: string | undefined; width?: number | undefined; height?: number | undefined } = {};
  try {
    found = imageSize(bytes);
  } catch {
    // Not an image format image-size knows: refused below like any other type.
  }
  const mime = MIME_OF[found.type ?? ''];
  if (!mime) {
    throw new AppError(
      'signature.logo_type',
      415,
      `the logo must be a PNG, JPEG, GIF or WebP image (this file is ${found.type ?? 'not an image'}; SVG is refused: it can carry script)`,
      {
        type: found.type ?? 'unknown',
      },
    );
  }
  const width = found.width ?? 0;
  const height = found.height ?? 0;
  if (width < MIN_LOGO_SIDE || height < MIN_LOGO_SIDE || width > MAX_LOGO_WIDTH || height > MAX_LOGO_HEIGHT) {
    throw new AppError(
      'signature.logo_dimensions',
      400,
      `the logo is ${width}×${height} px; it must be between ${MIN_LOGO_SIDE}×${MIN_LOGO_SIDE} and ${MAX_LOGO_WIDTH}×${MAX_LOGO_HEIGHT} px`,
      { size: `${width}×${height}`, max: `${MAX_LOGO_WIDTH}×${MAX_LOGO_HEIGHT}` },
    );
  }
  return { mime, width, height };
}

export async function findSignatureLogo(db: Db, mailboxId: string): Promise<OutboxSignatureLogosTable | undefined> {
  return db.selectFrom('outbox_signature_logos').selectAll().where('mailbox_id', '=', mailboxId).executeTakeFirst();
}

export function toSignatureLogo(row: OutboxSignatureLogosTable | undefined): SignatureLogo | null {
  if (!row) return null;
  return {
    mime: row.mime,
    size: row.size,
    width: row.width,
    height: row.height,
    url: logoPreviewUrl(row),
    updatedAt: Number(row.updated_at),
  };
}

/** Checks the file, keeps its bytes as a blob and makes it the mailbox's logo (audited with the previous one). */
export async function saveSignatureLogo(
  db: Kysely<Database>,
  blobs: BlobStore,
  input: { mailboxId: string; userId: string; ip: string | null; bytes: Buffer },
): Promise<SignatureLogo> {
  const image = checkLogoImage(input.bytes);
  const { sha256, size } = await blobs.put(input.bytes);
  const row: OutboxSignatureLogosTable = {
    mailbox_id: input.mailboxId,
    sha256,
    ...image,
    size,
    updated_by: input.userId,
    updated_at: Date.now(),
  };
  await db.transaction().execute(async (trx) => {
    const before = await findSignatureLogo(trx, input.mailboxId);
    const { mailbox_id: _id, ...values } = row;
    await trx
      .insertInto('outbox_signature_logos')
      .values(row)
      .onConflict((oc) => oc.column('mailbox_id').doUpdateSet(values))
      .execute();
    await auditLogoChange(trx, input, {
      sha256,
      mime: image.mime,
      size,
      width: image.width,
      height: image.height,
      previous: before?.sha256 ?? null,
    });
  });
  return toSignatureLogo(row) as SignatureLogo;
}

/** Takes the logo out of the mailbox's signature (mail already sent keeps its copy inside its own bytes). */
export async function removeSignatureLogo(db: Kysely<Database>, input: { mailboxId: string; userId: string; ip: string | null }) {
  await db.transaction().execute(async (trx) => {
    const before = await findSignatureLogo(trx, input.mailboxId);
    if (!before) throw new AppError('signature.logo_not_found', 404, 'this mailbox has no signature logo');
    await trx.deleteFrom('outbox_signature_logos').where('mailbox_id', '=', input.mailboxId).execute();
    await auditLogoChange(trx, input, { sha256: null, previous: before.sha256 });
  });
}

/** One audit entry per change: the new logo's hash (null: removed) and the one before. */
function auditLogoChange(
  trx: Transaction<Database>,
  who: { mailboxId: string; userId: string; ip: string | null },
  details: Record<string, unknown>,
) {
  return recordAudit(trx, {
    actorId: who.userId,
    action: 'mailbox.signature_logo_changed',
    targetType: 'mailbox',
    targetId: who.mailboxId,
    mailboxId: who.mailboxId,
    ip: who.ip,
    details,
  });
}

/** Same-origin address of the logo; the hash in the query makes a new logo a new URL for caches. */
export const logoPreviewUrl = (logo: Pick<OutboxSignatureLogosTable, 'mailbox_id' | 'sha256'>) =>
  `/api/mailboxes/${encodeURIComponent(logo.mailbox_id)}/signature/logo?v=${logo.sha256.slice(0, 16)}`;

/** The Content-ID of the logo's inline part: the same bytes give the same id. */
export const logoContentId = (logo: Pick<OutboxSignatureLogosTable, 'sha256'>, domain: string) =>
  `signature-logo.${logo.sha256.slice(0, 16)}@${domain}`;

/** `<img>` for the logo at `src`, shown at most SHOWN_HEIGHT tall with its proportions kept. */
export function logoImageTag(logo: Pick<OutboxSignatureLogosTable, 'width' | 'height'>, src: string, alt: string): string {
  const height = Math.min(logo.height, SHOWN_HEIGHT);
  const width = Math.round((logo.width * height) / logo.height);
  return `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}" width="${width}" height="${height}">`;
}
