import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { longTextsOf, packMail } from './packed-mail.js';
import type { PreparedMail } from './prepare-mail.js';
import { snippetOf } from './snippet.js';

const mail = (text: string, html: string | null, body: string): PreparedMail =>
  ({
    identity: 'id-1',
    raw: { sha256: 'a'.repeat(64), size: 10 },
    parsed: { text, html, subject: 'Quote' },
    attachments: [],
    authResults: null,
    participants: [],
    indexTexts: { subject: 'quote', participants: '', attachments: '', body, characters: '报价' },
    category: 'person',
  }) as unknown as PreparedMail;

/** As the pool receives it: cloned through postMessage with the buffer moved. */
const overThePort = (prepared: PreparedMail) => {
  const { packed, transfer } = packMail(prepared);
  return structuredClone(packed, { transfer });
};

describe('packed mail (decision 0077: long texts cross from the worker as UTF-8 bytes)', () => {
  const cases: [string, string, string | null, string][] = [
    ['text and HTML', 'Please quote 20 t of\r\n tungsten rods.', '<p>Please quote</p>', 'please quote 20 t'],
    ['CJK, no HTML', '请报价：钨棒 20 吨，FOB 上海。', null, '请报 报价 价 钨棒 棒'],
    ['empty texts', '', '', ''],
    ['NUL', 'a\u0000b c', null, 'a b'],
  ];
  it.each(cases)('%s: stored on SQLite as the TEXT the strings give, and decoded for PostgreSQL', (_, text, html, body) => {
    const received = overThePort(mail(text, html, body));
    if (!('longTexts' in received)) throw new Error('not packed');
    expect('text' in received.parsed).toBe(false);
    expect(received.snippet).toBe(snippetOf(text));

    const db = new SQLite(':memory:');
    db.exec('create table t (text text, html text, body text)');
    const fromStrings = [text, html, body];
    db.prepare('insert into t values (?, ?, ?)').run(...fromStrings);
    const bytes = longTextsOf(received, 'sqlite');
    expect(Buffer.isBuffer(bytes.text)).toBe(true);
    db.prepare('insert into t values (cast(? as text), cast(? as text), cast(? as text))').run(bytes.text, bytes.html, bytes.indexBody);
    const rows = db.prepare('select text, typeof(text) tt, html, typeof(html) th, body, typeof(body) tb from t').all();
    expect(rows[1]).toEqual(rows[0]);
    db.close();

    const strings = longTextsOf(received, 'postgres');
    const utf8 = (s: string | null) => (s === null ? null : Buffer.from(s).toString('utf8'));
    expect([strings.text, strings.html, strings.indexBody]).toEqual(fromStrings.map(utf8));
  });

  it('leaves a mail with a lone surrogate unpacked: its strings are stored as they always were', () => {
    const prepared = mail('a \ud800 b', '<p>a \udc00</p>', 'a b');
    const { packed, transfer } = packMail(prepared);
    expect(transfer).toEqual([]);
    expect(packed).toBe(prepared);
    expect(longTextsOf(packed, 'sqlite')).toMatchObject({ text: 'a \ud800 b', html: '<p>a \udc00</p>' });
  });

  it('moves a buffer of the mail alone (never a slice of a shared pool) and leaves in-process mail as it is', () => {
    const prepared = mail('short', null, 'short');
    const { packed, transfer } = packMail(prepared);
    if (!('longTexts' in packed)) throw new Error('not packed');
    expect(transfer).toEqual([packed.longTexts.bytes]);
    expect(packed.longTexts.bytes.byteLength).toBe(10);
    expect(longTextsOf(prepared, 'sqlite')).toEqual({ text: 'short', html: null, indexBody: 'short', snippet: 'short' });
  });
});
