import type { ConnectionTestResult } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database, MailboxRow } from '../../db/schema.js';
import type { SecretBox } from '../security/index.js';
import { classifyConnectionError } from './connection-errors.js';
import { createImapClient, createSmtpTransport } from './connections.js';
import { type HostGuard, resolveAllowedHost } from './host-guard.js';
import { openMailboxSecret } from './mailboxes.js';
import { canRefresh, ensureFreshAccessToken } from './oauth-tokens.js';

/**
 * "Test connection": IMAP login and folder list, then SMTP auth. Each side
 * answers with a code the UI translates and Pier's own words, never a stack
 * trace nor what the server said. With `hosts`, each host must resolve to an
 * address the guard allows, and the connection goes to that address.
 */
export async function testMailboxConnection(
  mailbox: MailboxRow,
  secrets: SecretBox,
  timeoutMs = 20_000,
  db?: Kysely<Database>,
  hosts?: HostGuard,
): Promise<ConnectionTestResult> {
  if (!mailbox.imap_host || !mailbox.smtp_host) {
    const none = { ok: false, code: 'connection.no_settings' as const, message: 'this mailbox has no IMAP/SMTP settings' };
    return { ok: false, imap: none, smtp: none };
  }
  const test = async (row: MailboxRow): Promise<ConnectionTestResult> => {
    const [imap, smtp] = await Promise.all([testImap(row, secrets, timeoutMs, hosts), testSmtp(row, secrets, timeoutMs, hosts)]);
    return { ok: imap.ok && smtp.ok, imap, smtp };
  };
  if (!db) return test(mailbox);
  // XOAUTH2 with a refresh token: test with a token that is valid now (renewed and saved when due),
  // and renew it once more when a server refuses it, as the sync and the outbox do.
  const renew = async (force: boolean): Promise<ConnectionTestResult | null> => {
    try {
      mailbox = await ensureFreshAccessToken(db, secrets, mailbox, { force, hosts });
      return null;
    } catch (error) {
      const failed = failedCheck(error);
      return { ok: false, imap: failed, smtp: failed };
    }
  };
  const renewalFailed = await renew(false);
  if (renewalFailed) return renewalFailed;
  const result = await test(mailbox);
  const refused = [result.imap, result.smtp].some((side) => !side.ok && side.code === 'connection.auth_failed');
  if (!refused || mailbox.auth_method !== 'xoauth2' || !mailbox.secret_enc || !canRefresh(openMailboxSecret(mailbox, secrets)))
    return result;
  return (await renew(true)) ?? test(mailbox);
}

async function testImap(
  mailbox: MailboxRow,
  secrets: SecretBox,
  timeoutMs: number,
  hosts?: HostGuard,
): Promise<ConnectionTestResult['imap']> {
  let target: Awaited<ReturnType<typeof resolveAllowedHost>> | undefined;
  try {
    target = hosts ? await resolveAllowedHost(hosts, mailbox.imap_host ?? '') : undefined;
  } catch (error) {
    return failedCheck(error);
  }
  const client = createImapClient(mailbox, secrets, { connectionTimeout: timeoutMs, socketTimeout: timeoutMs }, target);
  client.on('error', () => {}); // reported through the rejected promise below
  try {
    await client.connect();
    const folders = await client.list();
    return { ok: true, folders: folders.map((f) => f.path) };
  } catch (error) {
    return failedCheck(error);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

async function testSmtp(
  mailbox: MailboxRow,
  secrets: SecretBox,
  timeoutMs: number,
  hosts?: HostGuard,
): Promise<ConnectionTestResult['smtp']> {
  let target: Awaited<ReturnType<typeof resolveAllowedHost>> | undefined;
  try {
    target = hosts ? await resolveAllowedHost(hosts, mailbox.smtp_host ?? '') : undefined;
  } catch (error) {
    return failedCheck(error);
  }
  const transport = createSmtpTransport(mailbox, secrets, { connectionTimeout: timeoutMs, socketTimeout: timeoutMs }, target);
  try {
    await transport.verify();
    return { ok: true };
  } catch (error) {
    return failedCheck(error);
  } finally {
    transport.close();
  }
}

/** The code and Pier's sentence for it: what the server said stays out of the answer. */
function failedCheck(error: unknown): { ok: false; code: ConnectionTestResult['smtp']['code']; message: string } {
  const { code, message } = classifyConnectionError(error);
  return { ok: false, code, message };
}
