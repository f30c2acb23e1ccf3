import { conversationStatuses } from '@pier/contracts';

/**
 * The search box's filters: `from:`, `to:`, `mailbox:`, `tag:`, `assignee:`,
 * `status:`, `has:attachment`, `before:`/`after:` (YYYY-MM-DD, UTC days), and
 * free text for the full-text index. Values may be quoted ("Li Wei", “李伟”).
 * Anything that is not a known filter with a valid value stays free text, so
 * `http://…`, `re:` or `note:foo` search as typed. A full-width colon (：) counts
 * as a colon: Chinese input methods type it.
 */
export type SearchFilters = {
  from: string[];
  to: string[];
  mailbox: string[];
  tag: string[];
  /** 'me' or an email address. */
  assignee: string[];
  status: (typeof conversationStatuses)[number][];
  hasAttachment: boolean;
  /** Received before this instant (epoch ms, exclusive). */
  before?: number;
  /** Received at or after this instant (epoch ms). */
  after?: number;
};

export type ParsedSearch = { text: string; filters: SearchFilters };

const openQuotes: Record<string, string> = { '"': '"', '\u201c': '\u201d', '\u300c': '\u300d', '\u300e': '\u300f', "'": "'" };
const dayPattern = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const maxValues = 10;

export function emptyFilters(): SearchFilters {
  return { from: [], to: [], mailbox: [], tag: [], assignee: [], status: [], hasAttachment: false };
}

export function hasFilters(filters: SearchFilters): boolean {
  return (
    filters.from.length +
      filters.to.length +
      filters.mailbox.length +
      filters.tag.length +
      filters.assignee.length +
      filters.status.length >
      0 ||
    filters.hasAttachment ||
    filters.before !== undefined ||
    filters.after !== undefined
  );
}

type Token = { raw: string; key?: string; value?: string };

/** Splits on white space (ASCII and ideographic), keeping quoted stretches whole. */
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const s = input.normalize('NFC');
  let i = 0;
  const isSpace = (c: string | undefined) => c !== undefined && /\s/u.test(c);
  while (i < s.length) {
    while (isSpace(s[i])) i++;
    if (i >= s.length) break;
    const start = i;
    // A key: letters then a colon, immediately followed by a value.
    const keyMatch = /^([a-zA-Z]+)[:：]/u.exec(s.slice(i));
    let key: string | undefined;
    let valueStart = i;
    if (keyMatch?.[1]) {
      key = keyMatch[1].toLowerCase();
      valueStart = i + keyMatch[0].length;
    }
    let value = '';
    let end = valueStart;
    const open = s[valueStart];
    const close = open === undefined ? undefined : openQuotes[open];
    if (close !== undefined) {
      const closeAt = s.indexOf(close, valueStart + 1);
      end = closeAt === -1 ? s.length : closeAt + 1;
      value = s.slice(valueStart + 1, closeAt === -1 ? s.length : closeAt);
      // A closing quote glued to more text ("abc"def) keeps going to the next space.
      while (end < s.length && !isSpace(s[end])) end++;
    } else {
      while (end < s.length && !isSpace(s[end])) end++;
      value = s.slice(valueStart, end);
    }
    i = end;
    tokens.push(key !== undefined ? { raw: s.slice(start, end), key, value } : { raw: s.slice(start, end) });
  }
  return tokens;
}

function parseDay(value: string): number | undefined {
  const m = dayPattern.exec(value.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = Date.UTC(year, month - 1, day);
  const check = new Date(at);
  // Date.UTC rolls 2026-02-31 over to March: such a date is not a date.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return at;
}

export function parseSearchQuery(input: string): ParsedSearch {
  const filters = emptyFilters();
  const text: string[] = [];
  for (const token of tokenize(input)) {
    const value = token.value?.trim() ?? '';
    if (token.key === undefined || value === '' || !applyFilter(filters, token.key, value)) text.push(token.raw);
  }
  return { text: text.join(' '), filters };
}

function pushValue(list: string[], value: string): boolean {
  if (list.length >= maxValues) return true; // accepted but ignored: a bounded query
  list.push(value.toLowerCase());
  return true;
}

/** Applies one key:value; false when it is not a filter (the token is then free text). */
function applyFilter(filters: SearchFilters, key: string, value: string): boolean {
  switch (key) {
    case 'from':
      return pushValue(filters.from, value);
    case 'to':
      return pushValue(filters.to, value);
    case 'mailbox':
      return pushValue(filters.mailbox, value);
    case 'tag':
      return pushValue(filters.tag, value.replace(/^#/, ''));
    case 'assignee':
      return pushValue(filters.assignee, value);
    case 'status': {
      const status = conversationStatuses.find((s) => s === value.toLowerCase());
      if (!status) return false;
      if (!filters.status.includes(status)) filters.status.push(status);
      return true;
    }
    case 'has':
      if (!['attachment', 'attachments'].includes(value.toLowerCase())) return false;
      filters.hasAttachment = true;
      return true;
    case 'before': {
      const at = parseDay(value);
      if (at === undefined) return false;
      filters.before = Math.min(filters.before ?? at, at);
      return true;
    }
    case 'after': {
      const at = parseDay(value);
      if (at === undefined) return false;
      filters.after = Math.max(filters.after ?? at, at);
      return true;
    }
    default:
      return false;
  }
}
