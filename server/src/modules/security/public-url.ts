import type { PublicUrlSetting } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { readSetting, writeSetting } from '../../db/settings.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The address users open Pier at, which links in invitation and reset mails point to.
 * PIER_PUBLIC_URL wins; else the workspace setting the first-run page (or a super admin
 * later) stored. Never the request's Host header: anyone can send any Host, and a mailed
 * link to their host would hand them the token. Without either, no link is mailed.
 */
const PUBLIC_URL_KEY = 'workspace.public_url';

/** Only the origin counts (the web app is served at the root, and passkeys use the same origin). */
export function normalisePublicUrl(url: string): string {
  return new URL(url).origin;
}

export async function publicUrlSetting(db: Db, fromEnvironment: string | undefined): Promise<PublicUrlSetting> {
  if (fromEnvironment) return { publicUrl: normalisePublicUrl(fromEnvironment), source: 'environment' };
  const stored = await readSetting(db, PUBLIC_URL_KEY);
  return stored !== undefined ? { publicUrl: stored, source: 'workspace' } : { publicUrl: null, source: null };
}

/** The base for mailed links, or undefined when none is configured. */
export async function resolvePublicUrl(db: Db, fromEnvironment: string | undefined): Promise<string | undefined> {
  return (await publicUrlSetting(db, fromEnvironment)).publicUrl ?? undefined;
}

export async function storePublicUrl(db: Db, url: string): Promise<string> {
  const value = normalisePublicUrl(url);
  await writeSetting(db, PUBLIC_URL_KEY, value);
  return value;
}

/** A super admin changes the stored address (audited); PIER_PUBLIC_URL, when set, still wins. */
export async function changePublicUrl(db: Kysely<Database>, url: string, actor: AuditActor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await publicUrlSetting(trx, undefined);
    const value = await storePublicUrl(trx, url);
    await recordAuditBy(trx, actor, {
      action: 'workspace.public_url_changed',
      targetType: 'workspace',
      details: { publicUrl: value, previous: before.publicUrl },
    });
  });
}

/** A link that carries a token in its fragment (never sent to a server, never in logs). */
export function tokenLink(base: string, path: string, token: string): string {
  return `${base}${path}#token=${token}`;
}
