import type { ConnectionTestResult } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database, MailboxRow } from '../../db/schema.js';
import type { SecretBox } from '../security/index.js';
import { classifyConnectionError } from './connection-errors.js';
import { createImapClient, createSmtpTransport } from './connections.js';
import { openMailboxSecret } from './mailboxes.js';
import { canRefresh, ensureFreshAccessToken } from './oauth-tokens.js';

/**
 * "Test connection": IMAP login and folder list, then SMTP auth. Each side
 * answers with a code the UI translates, never a stack trace.
 */
export async function testMailboxConnection(
  mailbox: MailboxRow,
  secrets: SecretBox,
  timeoutMs = 20_000,
  db?: Kysely<Database>,
): Promise<ConnectionTestResult> {
  if (!mailbox.imap_host || !mailbox.smtp_host) {
    const none = { ok: false, code: 'connection.no_settings' as const, message: 'this mailbox has no IMAP/SMTP settings' };
    return { ok: false, imap: none, smtp: none };
  }
  const test = async (row: MailboxRow): Promise<ConnectionTestResult> => {
    const [imap, smtp] = await Promise.all([testImap(row, secrets, timeoutMs), testSmtp(row, secrets, timeoutMs)]);
    return { ok: imap.ok && smtp.ok, imap, smtp };
  };
  if (!db) return test(mailbox);
  // XOAUTH2 with a refresh token: test with a token that is valid now (renewed and saved when due),
  // and renew it once more when a server refuses it, as the sync and the outbox do.
  const renew = async (force: boolean): Promise<ConnectionTestResult | null> => {
    try {
      mailbox = await ensureFreshAccessToken(db, secrets, mailbox, { force });
      return null;
    } catch (error) {
      const failed = { ok: false, ...classifyConnectionError(error) };
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

async function testImap(mailbox: MailboxRow, secrets: SecretBox, timeoutMs: number): Promise<ConnectionTestResult['imap']> {
  const client = createImapClient(mailbox, secrets, { connectionTimeout: timeoutMs, socketTimeout: timeoutMs });
  client.on('error', () => {}); // reported through the rejected promise below
  try {
    await client.connect();
    const folders = await client.list();
    return { ok: true, folders: folders.map((f) => f.path) };
  } catch (error) {
    return { ok: false, ...classifyConnectionError(error) };
  } finally {
    await client.logout().catch(() => client.close());
  }
}

async function testSmtp(mailbox: MailboxRow, secrets: SecretBox, timeoutMs: number): Promise<ConnectionTestResult['smtp']> {
  const transport = createSmtpTransport(mailbox, secrets, { connectionTimeout: timeoutMs, socketTimeout: timeoutMs });
  try {
    await transport.verify();
    return { ok: true };
  } catch (error) {
    return { ok: false, ...classifyConnectionError(error) };
  } finally {
    transport.close();
  }
}
