import { describe, expect, it } from 'vitest';
import { headerParameter, type MimePart, readHeaderBlock, walkMime } from './mime-prewalk.js';

function walk(text: string): { parts: MimePart[]; issues: string[] } {
  const parts: MimePart[] = [];
  const issues: string[] = [];
  const raw = Buffer.from(text, 'latin1');
  walkMime(raw, 0, raw.length, 0, parts, issues);
  return { parts, issues };
}

describe('walkMime', () => {
  it('lists the header block of every part with its charset and whether it is text', () => {
    const { parts, issues } = walk(
      [
        'Subject: x',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain; charset=gbk',
        '',
        'body',
        '--b',
        '',
        'no content type: text/plain by default',
        '--b',
        'Content-Disposition: attachment; filename=a.bin',
        '',
        'binary',
        '--b--',
        '',
      ].join('\r\n'),
    );
    expect(issues).toEqual([]);
    expect(parts.map(({ contentType, charset, isText }) => ({ contentType, charset, isText }))).toEqual([
      { contentType: 'multipart/mixed', charset: null, isText: false },
      { contentType: 'text/plain', charset: 'gbk', isText: true },
      { contentType: null, charset: null, isText: true },
      { contentType: null, charset: null, isText: false },
    ]);
  });

  it('walks into an inline message but leaves an attached one alone', () => {
    const message = (disposition: string) =>
      walk(
        `Content-Type: message/rfc822\r\nContent-Disposition: ${disposition}\r\n\r\nSubject: inner\r\nContent-Type: text/plain\r\n\r\nhi`,
      ).parts.length;
    expect(message('inline')).toBe(2);
    expect(message('attachment')).toBe(1);
  });

  it('names what is broken: a multipart without boundary, one never closed, base64 that is not', () => {
    expect(walk('Content-Type: multipart/mixed\r\n\r\nx').issues).toEqual(['multipart/mixed without boundary']);
    expect(walk('Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\ncut').issues).toEqual([
      'multipart without closing boundary (truncated mail?)',
    ]);
    expect(walk('Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\nzg==\r\n').issues).toEqual([]);
    expect(walk('Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\nzg==!\r\n').issues).toEqual([
      'invalid base64 in text/plain part',
    ]);
  });

  it('ignores a boundary string that does not start a line', () => {
    const { parts } = walk('Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nsee --b here\r\n--b--\r\n');
    expect(parts).toHaveLength(2);
  });
});

describe('readHeaderBlock', () => {
  it('unfolds continuation lines keeping their whitespace, and finds where the body starts', () => {
    const raw = Buffer.from('Subject: a\n long\n\tline\nX-Empty:\n\nbody');
    const { fields, bodyStart, lineEnding } = readHeaderBlock(raw, 0, raw.length);
    expect(fields.map((field) => [field.name, field.value.toString('latin1')])).toEqual([
      ['subject', ' a long\tline'],
      ['x-empty', ''],
    ]);
    expect(lineEnding).toBe('\n');
    expect(raw.subarray(bodyStart).toString()).toBe('body');
  });

  it('reads a block without a blank line to its end', () => {
    const raw = Buffer.from('From: a@b.test\r\nSubject: cut');
    const { fields, bodyStart } = readHeaderBlock(raw, 0, raw.length);
    expect(fields.map((field) => field.name)).toEqual(['from', 'subject']);
    expect(bodyStart).toBe(raw.length);
  });
});

describe('headerParameter', () => {
  it('reads quoted (with escapes) and bare parameter values, case-insensitively', () => {
    expect(headerParameter('multipart/mixed; Boundary="a \\"b\\""', 'boundary')).toBe('a "b"');
    expect(headerParameter('text/plain; charset=gbk; format=flowed', 'charset')).toBe('gbk');
    expect(headerParameter('text/plain', 'charset')).toBeNull();
  });
});
