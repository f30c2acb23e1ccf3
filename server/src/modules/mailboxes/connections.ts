import { findPreset } from '@pier/contracts';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import nodemailer from 'nodemailer';
import type { MailboxRow } from '../../db/schema.js';
import { PIER_VERSION } from '../../version.js';
import type { SecretBox } from '../security/index.js';
import { openMailboxSecret } from './mailboxes.js';

export const PIER_CLIENT_INFO = { name: 'Pier', version: PIER_VERSION, vendor: 'Pier' };

type Timeouts = { connectionTimeout?: number; socketTimeout?: number };
/** Where to connect: the address the host guard checked, and the name for TLS (none for an IP literal). */
export type ConnectTarget = { address: string; servername: string | undefined };

/**
 * An imapflow client for a mailbox. IDLE is driven by the sync loop itself:
 * imapflow's auto-IDLE only starts after 15 s of quiet, which would delay new
 * mail by up to 15 s. The ID command (RFC 2971) is always sent: Tencent Exmail
 * and NetEase refuse or flag clients that do not identify themselves.
 */
export function createImapClient(mailbox: MailboxRow, secrets: SecretBox, timeouts: Timeouts = {}, target?: ConnectTarget): ImapFlow {
  if (!mailbox.imap_host || !mailbox.imap_port || !mailbox.imap_user) throw new Error(`mailbox ${mailbox.address} has no IMAP settings`);
  const secret = openMailboxSecret(mailbox, secrets);
  const auth: ImapFlowOptions['auth'] =
    mailbox.auth_method === 'xoauth2'
      ? { user: mailbox.imap_user, accessToken: secret.accessToken ?? '' }
      : { user: mailbox.imap_user, pass: secret.password ?? '' };
  return new ImapFlow({
    host: target?.address ?? mailbox.imap_host,
    ...(target?.servername ? { servername: target.servername } : {}),
    port: mailbox.imap_port,
    secure: mailbox.imap_tls === 'tls',
    doSTARTTLS: mailbox.imap_tls === 'starttls' ? true : mailbox.imap_tls === 'none' ? false : undefined,
    auth,
    clientInfo: PIER_CLIENT_INFO,
    logger: false,
    disableAutoIdle: true,
    // RFC 2177: servers may drop an IDLE after 30 minutes; re-issue well before.
    maxIdleTime: 25 * 60_000,
    connectionTimeout: timeouts.connectionTimeout ?? 30_000,
    greetingTimeout: timeouts.connectionTimeout ?? 30_000,
    socketTimeout: timeouts.socketTimeout ?? 5 * 60_000,
    qresync: true,
  });
}

export function createSmtpTransport(mailbox: MailboxRow, secrets: SecretBox, timeouts: Timeouts = {}, target?: ConnectTarget) {
  if (!mailbox.smtp_host || !mailbox.smtp_port || !mailbox.smtp_user) throw new Error(`mailbox ${mailbox.address} has no SMTP settings`);
  const secret = openMailboxSecret(mailbox, secrets);
  return nodemailer.createTransport({
    host: target?.address ?? mailbox.smtp_host,
    ...(target?.servername ? { servername: target.servername } : {}),
    port: mailbox.smtp_port,
    secure: mailbox.smtp_tls === 'tls',
    requireTLS: mailbox.smtp_tls === 'starttls',
    ignoreTLS: mailbox.smtp_tls === 'none',
    auth:
      mailbox.auth_method === 'xoauth2'
        ? { type: 'OAuth2', user: mailbox.smtp_user, accessToken: secret.accessToken ?? '' }
        : { user: mailbox.smtp_user, pass: secret.password ?? '' },
    connectionTimeout: timeouts.connectionTimeout ?? 30_000,
    greetingTimeout: timeouts.connectionTimeout ?? 30_000,
    socketTimeout: timeouts.socketTimeout ?? 60_000,
  });
}

/** Whether the provider saves sent mail itself (no IMAP APPEND needed after sending). */
export function providerSavesSentMail(mailbox: Pick<MailboxRow, 'preset'>): boolean {
  return findPreset(mailbox.preset)?.savesSentMail ?? false;
}
