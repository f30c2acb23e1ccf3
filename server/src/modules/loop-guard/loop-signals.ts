/**
 * What the headers of an incoming mail say about answering it automatically (RFC 3834 section 2,
 * RFC 5230 section 4.6 for the sender addresses, and the `X-Loop` convention of mailing-list
 * software). Pure: the headers come in unfolded with lower-cased names (conversations' splitMessage).
 */
export type LoopSignal =
  /** The mail carries an X-Loop naming one of Pier's mailboxes, or Pier's own forward header: it went round. */
  | 'x_loop'
  /** More Received or X-Loop lines than a mail that did not go round would collect. */
  | 'hop_limit'
  /** Auto-Submitted other than `no`: someone's machine wrote it (RFC 3834 section 2). */
  | 'auto_submitted'
  /** Precedence bulk, junk or list: a mass mailing. */
  | 'precedence'
  /** A mailing list (List-Id or List-Unsubscribe): answers go to the list, not to a person. */
  | 'mailing_list'
  /** `Return-Path: <>`: a bounce or another notification that must never be answered. */
  | 'empty_return_path'
  /** mailer-daemon, postmaster, no-reply and the like: nobody reads what goes there. */
  | 'system_sender';

/** The loop signals mean a loop is under way: admins hear about them. The others are ordinary non-person mail. */
export const LOOP_SIGNALS: ReadonlySet<LoopSignal> = new Set(['x_loop', 'hop_limit']);

/** Postfix bounces at 50 Received lines; an honest mail rarely has more than 15. */
export const MAX_RECEIVED = 30;
/** Every auto-responder that follows the convention adds one X-Loop line; three means it went round. */
export const MAX_X_LOOP = 3;
/** Pier's own forward header (decision 0017): a mail carrying it is Pier's forward coming back. */
export const PIER_FORWARD_HEADER = 'x-pier-forward-rule';

const SYSTEM_LOCAL_PART =
  /^(mailer-daemon|postmaster|no[-_.]?reply|do[-_.]?not[-_.]?reply|bounces?|listserv|majordomo|owner-.+|.+-request)$/i;

export function isSystemSender(address: string): boolean {
  const local = address.trim().toLowerCase().split('@')[0] ?? '';
  return SYSTEM_LOCAL_PART.test(local);
}

/** The first reason this mail must not be answered or forwarded automatically, or null. */
export function loopSignalOf(headers: ReadonlyMap<string, readonly string[]>, ownAddresses: ReadonlySet<string>): LoopSignal | null {
  const all = (name: string) => headers.get(name) ?? [];
  const first = (name: string) => (all(name)[0] ?? '').trim().toLowerCase();
  const xLoop = all('x-loop').map((v) => v.toLowerCase());
  if (all(PIER_FORWARD_HEADER).length > 0) return 'x_loop';
  if (xLoop.some((value) => [...ownAddresses].some((own) => value.includes(own)))) return 'x_loop';
  if (all('received').length > MAX_RECEIVED || xLoop.length >= MAX_X_LOOP) return 'hop_limit';
  const autoSubmitted = first('auto-submitted').split(/[\s;(]/)[0] ?? '';
  if (autoSubmitted !== '' && autoSubmitted !== 'no') return 'auto_submitted';
  // Older auto-responders mark themselves only with these (Exchange, many CRMs).
  if (all('x-autoreply').length > 0 || all('x-autorespond').length > 0 || first('x-auto-response-suppress') === 'all') {
    return 'auto_submitted';
  }
  if (['bulk', 'junk', 'list'].includes(first('precedence'))) return 'precedence';
  if (all('list-id').length > 0 || all('list-unsubscribe').length > 0) return 'mailing_list';
  const returnPath = all('return-path');
  if (returnPath.length > 0 && returnPath.every((v) => /^<\s*>$/.test(v.trim()))) return 'empty_return_path';
  const from = /<([^>]*)>/.exec(first('from'))?.[1] ?? first('from');
  if (from !== '' && isSystemSender(from)) return 'system_sender';
  return null;
}
