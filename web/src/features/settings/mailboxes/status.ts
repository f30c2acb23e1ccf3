import type { Mailbox, MailboxDetail } from '@pier/contracts';
import { connectionErrorCodes } from '@pier/contracts';
import type { SettingsCatalogue } from '../../../i18n/settings.en';

export type ConnectionErrorKey = keyof SettingsCatalogue['connectionErrors'];

/** `connection.auth_failed` → `auth_failed`, for codes the catalogue knows; anything else → null. */
export function connectionErrorKey(code: string | null | undefined): ConnectionErrorKey | null {
  if (!code || !(connectionErrorCodes as readonly string[]).includes(code)) return null;
  return code.slice('connection.'.length) as ConnectionErrorKey;
}

export type MailboxProblem = {
  /** The translated reason, when the server gave a known code. */
  key: ConnectionErrorKey | null;
  /** Pier's words for it (never the server's), shown only when the code is unknown here. */
  message: string;
};

/**
 * The sync loop records failures as `statusDetail: "connection.auth_failed: <Pier's sentence>"`.
 * Splits that into the code (translated) and the sentence.
 */
export function parseStatusDetail(detail: string | null | undefined): MailboxProblem | null {
  if (!detail) return null;
  const match = /^(connection\.[a-z_]+):\s*([\s\S]*)$/.exec(detail);
  const key = connectionErrorKey(match?.[1]);
  if (match && key) return { key, message: match[2]?.trim() ?? '' };
  return { key: null, message: detail };
}

export type MailboxState =
  | { kind: 'active' }
  | { kind: 'paused' }
  | { kind: 'error'; problem: MailboxProblem }
  | { kind: 'other'; status: string };

/**
 * What the status badge says. A paused mailbox is paused whatever its detail says (pausing stores
 * "paused by an admin"); an active one with a detail has a problem the sync loop recorded.
 */
export function mailboxState(mailbox: Mailbox, detail: MailboxDetail | undefined): MailboxState {
  if (mailbox.status === 'paused') return { kind: 'paused' };
  const problem = parseStatusDetail(detail?.statusDetail);
  if (problem) return { kind: 'error', problem };
  if (mailbox.status === 'active') return { kind: 'active' };
  return { kind: 'other', status: mailbox.status };
}
