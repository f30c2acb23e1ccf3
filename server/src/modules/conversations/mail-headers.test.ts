import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { clean, looseAddresses, readTopHeaders } from './mail-headers.js';

describe('readTopHeaders', () => {
  it('reads ids with brackets, a date with a zone comment, repeated fields topmost first, and raw header text in the given charset', () => {
    const raw = Buffer.concat([
      Buffer.from('Message-ID: bare@supplier.cn\r\nDate: Tue, 3 Mar 2026 09:13:55 +0800 (CST)\r\nSubject: '),
      iconv.encode('报价', 'gb18030'),
      Buffer.from('\r\nAuthentication-Results: a; dkim=pass\r\nAuthentication-Results: b; dkim=fail\r\n\r\nbody'),
    ]);
    expect(readTopHeaders(raw, 'gb18030')).toEqual({
      messageId: '<bare@supplier.cn>',
      from: null,
      subject: '报价',
      date: Date.UTC(2026, 2, 3, 1, 13, 55),
      inReplyTo: null,
      references: [],
      authenticationResults: ['a; dkim=pass', 'b; dkim=fail'],
      autoSubmitted: null,
      precedence: null,
      listId: null,
    });
  });
});

describe('looseAddresses', () => {
  it('reads names with commas in quotes, bare addresses and names without an address', () => {
    expect(looseAddresses('"Last, First" <First@Acme.Test>, b@acme.test, Undisclosed recipients')).toEqual([
      { address: 'first@acme.test', name: 'Last, First' },
      { address: 'b@acme.test', name: null },
      { address: null, name: 'Undisclosed recipients' },
    ]);
  });
});

describe('clean', () => {
  it('drops NUL characters, which PostgreSQL text cannot hold', () => {
    expect(clean('a\u0000b')).toBe('ab');
  });
});
