import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBlobStore } from '../../storage/blob-store.js';
import { indexTextsOf } from '../search/index-texts.js';
import { parseMail } from './parse-mail.js';
import { participantsOf, prepareMail, searchDocumentOf, snippetOf, transferListOf } from './prepare-mail.js';

const fixtures = new URL('./fixtures/', import.meta.url);
const names = readdirSync(fixtures).filter((name) => name.endsWith('.eml'));
const utf8 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');

describe('prepareMail: what crosses from a prepare worker to the main thread', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pier-prepare-'));
  const blobs = createBlobStore(dir);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const samples: [string, Buffer][] = [
    ...names.map((name): [string, Buffer] => [name, readFileSync(new URL(name, fixtures))]),
    ['empty body', Buffer.from('Subject: nothing\r\nMessage-ID: <e@x>\r\n\r\n')],
    ['text and html', Buffer.from(htmlAndText())],
  ];

  it.each(samples)('%s: the texts arrive (transferred, not copied) exactly as parseMail read them', async (_name, raw) => {
    const prepared = await prepareMail(blobs, raw, { durable: false });
    const { attachments, ...parsed } = await parseMail(raw);
    const transfer = transferListOf(prepared);
    // As postMessage does it: the views keep sharing the one transferred buffer.
    const received = structuredClone(prepared, { transfer });
    expect(prepared.texts.text.byteLength).toBe(0); // moved away from the sender
    expect(utf8(received.texts.text)).toBe(parsed.text);
    expect(received.texts.html === null ? null : utf8(received.texts.html)).toBe(parsed.html);
    expect(received.texts.snippet).toBe(snippetOf(parsed.text));
    const { body, ...short } = indexTextsOf(searchDocumentOf(parsed, participantsOf(parsed), received.attachments));
    expect(utf8(received.indexTexts.body)).toBe(body);
    expect({ ...received.indexTexts, body: undefined }).toEqual({ ...short, body: undefined });
    // Nothing else of the parse is lost or changed on the way.
    const { text: _text, html: _html, ...fields } = parsed;
    expect(received.parsed).toEqual(fields);
    expect(received.attachments.map((a) => a.filename)).toEqual(attachments.map((a) => a.filename));
  });
});

function htmlAndText(): string {
  return [
    'From: Li <li@example.cn>',
    'Subject: =?UTF-8?B?5oql5Lu3?=',
    'Message-ID: <t@example.cn>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    '报价单 Grüße 𠀋 — LED panel, price 12.50 USD',
    '--b',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>报价单 Grüße 𠀋 — LED <b>panel</b></p>',
    '--b--',
    '',
  ].join('\r\n');
}
