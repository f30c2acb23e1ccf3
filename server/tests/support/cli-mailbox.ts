import type { TestDatabase } from './databases.js';
import { mailServer } from './mail-server.js';
import { runCli } from './pier-process.js';

export type CliMailbox = {
  address: string;
  name: string;
  /** `--purpose`; the CLI's default (inquiry) when left out. */
  purpose?: string;
  /**
   * Connects the mailbox to the test bench (Dovecot IMAP, Postfix submission, no TLS, user = address,
   * the bench password on standard input). Left out: no server, the mailbox receives mail on Pier's
   * SMTP listener only.
   */
  testBench?: { folders?: string; sinceDays?: string };
  /** With testBench: sign in with XOAUTH2 instead of the password (tokens and client secret on standard input). */
  xoauth2?: { accessToken: string; refreshToken: string; clientId: string; clientSecret: string; tokenEndpoint: string };
  /** More arguments, after the generated ones. */
  extra?: string[];
};

/** The `mailbox add` arguments for a mailbox (without the global options `runCli` adds). */
export function mailboxAddArgs(mailbox: CliMailbox): string[] {
  const args = ['mailbox', 'add', '--address', mailbox.address, '--name', mailbox.name];
  if (mailbox.purpose) args.push('--purpose', mailbox.purpose);
  if (mailbox.testBench) {
    args.push(
      ...['--preset', 'other'],
      ...['--imap-host', mailServer.host, '--imap-port', String(mailServer.imapPort), '--imap-tls', 'none'],
      ...['--smtp-host', mailServer.host, '--smtp-port', String(mailServer.submissionPort), '--smtp-tls', 'none'],
      ...['--folders', mailbox.testBench.folders ?? 'inbox', '--since-days', mailbox.testBench.sinceDays ?? 'all'],
      ...(mailbox.xoauth2
        ? [
            ...['--access-token-stdin', '--oauth-refresh-token-stdin', '--oauth-client-secret-stdin'],
            ...['--oauth-client-id', mailbox.xoauth2.clientId, '--oauth-token-endpoint', mailbox.xoauth2.tokenEndpoint],
          ]
        : ['--password-stdin']),
    );
  }
  return [...args, ...(mailbox.extra ?? [])];
}

/** `npm run pier -- mailbox add …` for a test workspace. */
export function addMailboxWithCli(database: TestDatabase, mailbox: CliMailbox) {
  const o = mailbox.xoauth2;
  const input = o ? `${o.accessToken}\n${o.refreshToken}\n${o.clientSecret}\n` : `${mailServer.password}\n`;
  return runCli(database, mailboxAddArgs(mailbox), mailbox.testBench ? input : undefined);
}
