import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../../db/ids.js';
import type { Database, MailboxRow } from '../../../db/schema.js';
import type { MailboxSieveTable } from '../../../db/tables/audit.js';
import { recordAudit } from '../audit-log.js';
import { ManageSieveClient, type SieveConnectOptions, SieveError, type SieveTls } from './managesieve.js';
import { hasNoManageSieve } from './manual-checks.js';
import { addressDomain, findForwardingActions, SieveSyntaxError } from './sieve-forwarding.js';

export const DEFAULT_SIEVE_PORT = 4190;

/** What the scan needs to log in: the mailbox's IMAP user and password (opened by the caller's secret box). */
export type MailboxCredentials = (mailbox: MailboxRow) => { user: string; password: string } | null;

export type SieveSettings = Pick<MailboxSieveTable, 'enabled' | 'port' | 'tls'>;

/** Saved settings, or the defaults: the IMAP host on port 4190, STARTTLS unless IMAP itself runs in plain text. */
export async function sieveSettingsFor(db: Kysely<Database>, mailbox: MailboxRow): Promise<SieveSettings> {
  const saved = await db
    .selectFrom('mailbox_sieve')
    .select(['enabled', 'port', 'tls'])
    .where('mailbox_id', '=', mailbox.id)
    .executeTakeFirst();
  return saved ?? { enabled: 1, port: DEFAULT_SIEVE_PORT, tls: mailbox.imap_tls === 'none' ? 'none' : 'starttls' };
}

export async function saveSieveSettings(db: Kysely<Database>, mailboxId: string, settings: SieveSettings): Promise<void> {
  await db
    .insertInto('mailbox_sieve')
    .values({ mailbox_id: mailboxId, ...settings, last_checked_at: null, last_status: null, last_error: null })
    .onConflict((oc) => oc.column('mailbox_id').doUpdateSet(settings))
    .execute();
}

/** The company's own domains: every mailbox address's domain. */
export async function companyDomains(db: Kysely<Database> | Transaction<Database>): Promise<Set<string>> {
  const rows = await db.selectFrom('mailboxes').select('address').execute();
  return new Set(rows.map((r) => r.address.split('@')[1]?.toLowerCase() ?? '').filter(Boolean));
}

export type SieveScanResult = {
  mailboxId: string;
  status: 'ok' | 'unavailable' | 'auth_failed' | 'unsupported' | 'error' | 'disabled';
  error: string | null;
  scripts: number;
  findings: number;
  newExternal: { script: string; kind: string; target: string }[];
};

/**
 * Reads one mailbox's Sieve scripts over ManageSieve and stores what forwards
 * mail. A forward to an outside address that was not there at the last read is
 * recorded in the audit log (action forwarding.external_redirect_found) in the
 * same transaction that stores it, so it is reported exactly once.
 */
export async function scanMailboxSieve(
  db: Kysely<Database>,
  mailbox: MailboxRow,
  credentials: MailboxCredentials,
  options: { rejectUnauthorized?: boolean; timeoutMs?: number } = {},
): Promise<SieveScanResult> {
  const settings = await sieveSettingsFor(db, mailbox);
  const result: SieveScanResult = { mailboxId: mailbox.id, status: 'ok', error: null, scripts: 0, findings: 0, newExternal: [] };
  const login = credentials(mailbox);
  if (!settings.enabled) result.status = 'disabled';
  else if (hasNoManageSieve(mailbox.preset)) {
    // Nothing listens there: connecting would only wait for a timeout (manual-checks.ts).
    result.status = 'unsupported';
    result.error = 'this provider offers no ManageSieve: check its console by hand';
  } else if (!mailbox.imap_host || !login) {
    result.status = 'unsupported';
    result.error = mailbox.imap_host
      ? 'only password logins can read Sieve scripts (OAuth providers offer no ManageSieve)'
      : 'no mail server';
  }
  if (result.status !== 'ok') return finish(db, mailbox, settings, result, null);

  const connect: SieveConnectOptions = {
    host: mailbox.imap_host as string,
    port: settings.port,
    tls: settings.tls as SieveTls,
    user: login?.user ?? '',
    password: login?.password ?? '',
    ...options,
  };
  const found: { script: string; active: boolean; kind: string; target: string }[] = [];
  const syntaxErrors: string[] = [];
  let client: ManageSieveClient | undefined;
  try {
    client = await ManageSieveClient.connect(connect);
    const scripts = await client.listScripts();
    result.scripts = scripts.length;
    for (const script of scripts) {
      const text = await client.getScript(script.name);
      try {
        for (const action of findForwardingActions(text))
          found.push({ script: script.name, active: script.active, kind: action.kind, target: action.target });
      } catch (error) {
        if (!(error instanceof SieveSyntaxError)) throw error;
        syntaxErrors.push(`${script.name}: ${error.message}`);
      }
    }
  } catch (error) {
    result.status =
      error instanceof SieveError
        ? error.kind === 'auth_failed'
          ? 'auth_failed'
          : error.kind === 'protocol'
            ? 'error'
            : 'unavailable'
        : 'error';
    result.error = error instanceof Error ? error.message : String(error);
    return finish(db, mailbox, settings, result, null);
  } finally {
    await client?.logout();
  }
  if (syntaxErrors.length > 0) result.error = `scripts Pier could not read: ${syntaxErrors.join('; ')}`;
  return finish(db, mailbox, settings, result, found);
}

async function finish(
  db: Kysely<Database>,
  mailbox: MailboxRow,
  settings: SieveSettings,
  result: SieveScanResult,
  found: { script: string; active: boolean; kind: string; target: string }[] | null,
): Promise<SieveScanResult> {
  const now = Date.now();
  const domains = await companyDomains(db);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('mailbox_sieve')
      .values({ mailbox_id: mailbox.id, ...settings, last_checked_at: now, last_status: result.status, last_error: result.error })
      .onConflict((oc) =>
        oc.column('mailbox_id').doUpdateSet({ last_checked_at: now, last_status: result.status, last_error: result.error }),
      )
      .execute();
    // A failed read says nothing about the scripts: keep the last known findings.
    if (found === null) return;
    const existing = await trx.selectFrom('sieve_findings').selectAll().where('mailbox_id', '=', mailbox.id).execute();
    const key = (f: { script_name?: string; script?: string; kind: string; target: string }) =>
      `${f.script_name ?? f.script}\u0000${f.kind}\u0000${f.target}`;
    const before = new Map(existing.map((f) => [key(f), f]));
    const seen = new Set<string>();
    for (const f of found) {
      const k = key(f);
      if (seen.has(k)) continue;
      seen.add(k);
      const domain = addressDomain(f.target);
      // A program, or an address built from variables, cannot be shown to stay inside: it counts as external.
      const external = domain === undefined || !domains.has(domain);
      const old = before.get(k);
      if (old) {
        await trx
          .updateTable('sieve_findings')
          .set({ last_seen_at: now, active: f.active ? 1 : 0, external: external ? 1 : 0 })
          .where('id', '=', old.id)
          .execute();
        continue;
      }
      await trx
        .insertInto('sieve_findings')
        .values({
          id: newId(),
          mailbox_id: mailbox.id,
          script_name: f.script,
          kind: f.kind,
          target: f.target,
          external: external ? 1 : 0,
          active: f.active ? 1 : 0,
          first_seen_at: now,
          last_seen_at: now,
        })
        .execute();
      if (external) {
        result.newExternal.push({ script: f.script, kind: f.kind, target: f.target });
        await recordAudit(trx, {
          actorId: null,
          action: 'forwarding.external_redirect_found',
          targetType: 'sieve_script',
          targetId: f.script,
          mailboxId: mailbox.id,
          details: { address: mailbox.address, script: f.script, kind: f.kind, target: f.target, active: f.active, via: 'schedule' },
        });
      }
    }
    const gone = existing.filter((f) => !seen.has(key(f))).map((f) => f.id);
    if (gone.length > 0) await trx.deleteFrom('sieve_findings').where('id', 'in', gone).execute();
    result.findings = seen.size;
  });
  return result;
}

/** Every mailbox with a mail server, one after another (a daily job; a failure in one does not stop the rest). */
export async function scanAllMailboxSieve(
  db: Kysely<Database>,
  credentials: MailboxCredentials,
  options: { skipReadWithinMs?: number } = {},
): Promise<SieveScanResult[]> {
  // The scheduled run skips mailboxes read recently: a job that runs more often than planned
  // (a retry, a second node) must not hammer the mail server.
  const since = options.skipReadWithinMs ? Date.now() - options.skipReadWithinMs : null;
  const mailboxes = await db
    .selectFrom('mailboxes as m')
    .leftJoin('mailbox_sieve as s', 's.mailbox_id', 'm.id')
    .selectAll('m')
    .where('m.imap_host', 'is not', null)
    .$if(since !== null, (q) =>
      q.where((eb) => eb.or([eb('s.last_checked_at', 'is', null), eb('s.last_checked_at', '<', since as number)])),
    )
    .orderBy('m.address')
    .execute();
  const results: SieveScanResult[] = [];
  for (const mailbox of mailboxes) results.push(await scanMailboxSieve(db, mailbox, credentials));
  return results;
}

/**
 * An admin sets where one mailbox's ManageSieve server listens (providers differ from 4190), or
 * turns the scan off for it; audited with what it was before. The next scan uses it.
 */
export async function changeSieveSettings(
  db: Kysely<Database>,
  mailbox: MailboxRow,
  settings: { enabled: boolean; port: number; tls: SieveTls },
  actorId: string,
): Promise<void> {
  const before = await sieveSettingsFor(db, mailbox);
  const next: SieveSettings = { enabled: settings.enabled ? 1 : 0, port: settings.port, tls: settings.tls };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('mailbox_sieve')
      .values({ mailbox_id: mailbox.id, ...next, last_checked_at: null, last_status: null, last_error: null })
      .onConflict((oc) => oc.column('mailbox_id').doUpdateSet(next))
      .execute();
    await recordAudit(trx, {
      actorId,
      action: 'forwarding.sieve_settings_changed',
      targetType: 'mailbox',
      targetId: mailbox.id,
      mailboxId: mailbox.id,
      details: { ...settings, previous: { enabled: before.enabled === 1, port: before.port, tls: before.tls } },
    });
  });
}
