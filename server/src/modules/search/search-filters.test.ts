import { describe, expect, it } from 'vitest';
import { hasFilters, parseSearchQuery } from './search-filters.js';

describe('parseSearchQuery', () => {
  it('takes known filters out and leaves the free text', () => {
    const parsed = parseSearchQuery('from:maria@customer.test LED panels to:sales@acme.test');
    expect(parsed.text).toBe('LED panels');
    expect(parsed.filters.from).toEqual(['maria@customer.test']);
    expect(parsed.filters.to).toEqual(['sales@acme.test']);
  });

  it('reads quoted values, ASCII and Chinese quotes', () => {
    const parsed = parseSearchQuery('assignee:"Li.Wei@acme.test" tag:“样品 寄送” mailbox:「Sales Team」');
    expect(parsed.filters.assignee).toEqual(['li.wei@acme.test']);
    expect(parsed.filters.tag).toEqual(['样品 寄送']);
    expect(parsed.filters.mailbox).toEqual(['sales team']);
    expect(parsed.text).toBe('');
  });

  it('keeps Chinese free text, also with a full-width colon filter and ideographic spaces', () => {
    const parsed = parseSearchQuery('报价单\u3000status：open 钨钢刀');
    expect(parsed.text).toBe('报价单 钨钢刀');
    expect(parsed.filters.status).toEqual(['open']);
  });

  it('keeps quoted phrases of free text as phrases', () => {
    expect(parseSearchQuery('"LED panel" has:attachment').text).toBe('"LED panel"');
    expect(parseSearchQuery('"LED panel" has:attachment').filters.hasAttachment).toBe(true);
  });

  it('treats unknown prefixes and invalid values as text', () => {
    const parsed = parseSearchQuery('re:invoice http://example.com status:maybe has:pdf before:2026-02-31 note:');
    expect(parsed.text).toBe('re:invoice http://example.com status:maybe has:pdf before:2026-02-31 note:');
    expect(hasFilters(parsed.filters)).toBe(false);
  });

  it('reads dates as UTC days, keeping the narrowest range', () => {
    const parsed = parseSearchQuery('after:2026-01-01 before:2026/03/01 after:2026-02-01 before:2026-04-01');
    expect(parsed.filters.after).toBe(Date.UTC(2026, 1, 1));
    expect(parsed.filters.before).toBe(Date.UTC(2026, 2, 1));
  });

  it('accepts upper-case keys, # in tags and assignee:me', () => {
    const parsed = parseSearchQuery('TAG:#Urgent Assignee:me');
    expect(parsed.filters.tag).toEqual(['urgent']);
    expect(parsed.filters.assignee).toEqual(['me']);
  });

  it('keeps an unterminated quote as a value to the end', () => {
    expect(parseSearchQuery('from:"Maria Lopez').filters.from).toEqual(['maria lopez']);
  });
});
