import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../storage/blob-store.js';
import { messageIdentity, splitMessage } from './message-identity.js';

/** As prepareMail calls it: with the Message-ID parseMail read (enough here: the one written by mail()). */
const identityOf = (raw: Buffer) => messageIdentity(raw, /^Message-ID: (<[^>]+>)/im.exec(raw.toString('latin1'))?.[1] ?? null);

const mail = (extraHeaders: string, body = 'Please quote 500 pcs.\r\n', messageId = '<a1@customer.test>') =>
  Buffer.from(
    `${extraHeaders}Message-ID: ${messageId}\r\nFrom: Buyer <buyer@customer.test>\r\nTo: sales@acme.test\r\nSubject: RFQ\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\n${body}`,
  );

describe('message identity', () => {
  it('is the same for two deliveries that differ only in transit headers and line endings', () => {
    const atSales = mail('Received: from mx1 by sales\r\nDelivered-To: sales@acme.test\r\n');
    const atInfo = Buffer.from(
      mail('Return-Path: <buyer@customer.test>\r\nDelivered-To: info@acme.test\r\n').toString().replace(/\r\n/g, '\n'),
    );
    expect(identityOf(atSales)).toBe(identityOf(atInfo));
  });

  it('ignores trailing spaces, tabs and blank lines a relay may add, but not a changed byte in 8-bit text', () => {
    const head = 'Message-ID: <gbk@x.test>\r\nSubject: x\r\n\r\n';
    const body = Buffer.from([0xb1, 0xa8, 0xbc, 0xdb, 0x0d, 0x0a, 0x41]); // GBK 报价, CRLF, "A"
    const relayed = Buffer.concat([
      Buffer.from(head.replaceAll('\r\n', '\n')),
      Buffer.from([0xb1, 0xa8, 0xbc, 0xdb, 0x20, 0x09, 0x0a, 0x41, 0x0a, 0x0a]),
    ]);
    const original = Buffer.concat([Buffer.from(head), body]);
    expect(identityOf(relayed)).toBe(identityOf(original));
    const altered = Buffer.concat([Buffer.from(head), Buffer.from([0xb1, 0xa8, 0xbc, 0xdc, 0x0d, 0x0a, 0x41])]);
    expect(identityOf(altered)).not.toBe(identityOf(original));
  });

  it('normalises big bodies (past the reused buffer) and small ones after them alike, nothing carried over', () => {
    const line = 'Please quote 500 pcs of the LED panel, FOB Ningbo. ';
    const big = `${line.repeat(8)} \t\r\n`.repeat(1000); // ~400 KB, over the 256 KB scratch buffer
    const small = 'Please quote.\r\n';
    const first = identityOf(mail('', small));
    expect(identityOf(mail('', big))).toBe(
      identityOf(
        Buffer.from(
          mail('', big)
            .toString()
            .replace(/[ \t]*\r\n/g, '\n'),
        ),
      ),
    );
    expect(identityOf(mail('', small))).toBe(first);
    expect(identityOf(mail('', `${small}x`))).not.toBe(first);
  });

  it('differs when a Message-ID is reused with another body', () => {
    expect(identityOf(mail('', 'Price A'))).not.toBe(identityOf(mail('', 'Price B')));
  });

  it('keeps the identity stored mail with a Message-ID already has (a re-sync must not duplicate it)', () => {
    // Computed with the formula of decision 0004 before malformed mail was handled.
    expect(identityOf(mail('Received: from mx1 by sales\r\n'))).toBe('2486443ce1827c80fd7c5b693bad56ed97b1847a01163fac0a13f1bf83166f0f');
  });

  it('identifies a mail without Message-ID by all its bytes: the same bytes are one mail, any other byte another', () => {
    const raw = Buffer.from('From: a@b.test\r\nSubject: hi\r\n\r\nbody');
    expect(identityOf(raw)).toBe(sha256Hex(raw));
    expect(identityOf(Buffer.from(raw))).toBe(identityOf(raw));
    expect(identityOf(Buffer.from('Received: by mx2\r\nFrom: a@b.test\r\nSubject: hi\r\n\r\nbody'))).not.toBe(identityOf(raw));
    expect(identityOf(raw)).not.toBe(identityOf(mail('')));
  });

  it('never gives body-only, header-only, empty or random mails one shared identity', () => {
    const malformed = [
      '\r\nbody ONE\r\n',
      '\r\nbody TWO\r\n',
      'X-Note: no blank line A\r\n',
      'X-Note: no blank line B\r\n',
      '',
      '\u0001\u00ff',
    ].map((text) => Buffer.from(text, 'latin1'));
    expect(new Set(malformed.map(identityOf)).size).toBe(malformed.length);
  });

  it('reads a mail that starts with a blank line as an empty header and a body', () => {
    const { headers, body } = splitMessage(Buffer.from('\r\nSubject: not a header\r\n\r\nbody ONE\r\n'));
    expect(headers.size).toBe(0);
    expect(body.toString()).toBe('Subject: not a header\r\n\r\nbody ONE\r\n');
    expect(splitMessage(Buffer.from('\nbody')).body.toString()).toBe('body');
  });

  it('unfolds folded headers and keeps a header-only message whole', () => {
    const { headers, body } = splitMessage(Buffer.from('Subject: a\r\n long subject\r\nX-Empty:\r\n'));
    expect(headers.get('subject')).toEqual(['a long subject']);
    expect(body.length).toBe(0);
  });
});
