import { decodeHeaderValue } from './encoded-words.js';
import { splitMessage } from './message-identity.js';
import type { MailAddress, ParsedMail } from './parse-mail.js';

// The top-level header fields Pier reads itself, from the caller's bytes

export type TopHeaders = Pick<
  ParsedMail,
  | 'messageId'
  | 'from'
  | 'subject'
  | 'date'
  | 'inReplyTo'
  | 'references'
  | 'authenticationResults'
  | 'autoSubmitted'
  | 'precedence'
  | 'listId'
>;

export function readTopHeaders(raw: Buffer, headerCodec: string): TopHeaders {
  const { headers } = splitMessage(raw);
  const all = (name: string) =>
    (headers.get(name) ?? []).map((value) => clean(decodeHeaderValue(Buffer.from(value, 'latin1'), headerCodec)).trim());
  const first = (name: string) => all(name)[0] || null;
  const references = messageIds(all('references').join(' '));
  return {
    messageId: messageIds(first('message-id') ?? '')[0] ?? null,
    from: looseAddresses(first('from') ?? '')[0] ?? null,
    subject: first('subject') ?? '',
    date: parseDate(first('date')),
    inReplyTo: messageIds(first('in-reply-to') ?? '')[0] ?? null,
    references,
    authenticationResults: all('authentication-results'),
    autoSubmitted: first('auto-submitted'),
    precedence: first('precedence'),
    listId: first('list-id'),
  };
}

/** Message-IDs with angle brackets, as mailparser gives them; a bare id is wrapped. */
function messageIds(value: string): string[] {
  const bracketed = value.match(/<[^<>\s]+>/g);
  if (bracketed) return bracketed;
  return value
    .split(/[\s,]+/)
    .filter((id) => id.includes('@'))
    .map((id) => `<${id}>`);
}

function parseDate(value: string | null): number | null {
  if (!value) return null;
  // Comments such as "(CST)" or "(China Standard Time)" are not part of the date (RFC 5322 §3.3).
  const time = Date.parse(value.replace(/\([^)]*\)/g, ' ').trim());
  return Number.isNaN(time) ? null : time;
}

/** A forgiving address-list reader for decoded header text: `Name <a@b>`, `"Last, First" <a@b>`, `a@b`. */
export function looseAddresses(value: string): MailAddress[] {
  const entries: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  for (const char of value) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === '<') angle++;
    else if (!quoted && char === '>') angle = Math.max(0, angle - 1);
    if (char === ',' && !quoted && angle === 0) {
      entries.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  entries.push(current);
  return entries
    .map((entry) => {
      const angled = /^(.*)<([^<>]*)>\s*$/.exec(entry.trim());
      const address = (angled ? (angled[2] ?? '') : entry).trim();
      const name = (angled ? (angled[1] ?? '') : '')
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .trim();
      return {
        address: address.includes('@') ? address.toLowerCase() : null,
        name: name || (address.includes('@') ? null : address || null),
      };
    })
    .filter((entry) => entry.address !== null || entry.name !== null);
}

/** PostgreSQL text cannot hold NUL, and no reader needs it. */
export function clean(text: string): string {
  return text.replaceAll('\u0000', '');
}
