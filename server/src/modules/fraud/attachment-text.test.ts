import { describe, expect, it } from 'vitest';
import { makeDocx, makePdf } from '../../../tests/support/documents.js';
import { makeZip } from '../../../tests/support/zip.js';
import { ATTACHMENT_TEXT_LIMITS, attachmentTexts, documentKind, extractDocumentText } from './attachment-text.js';

const INVOICE = 'Invoice 2026-118. Please note our bank account has changed. IBAN DE39 1257 1237 0373 5106 98, SWIFT COBADEFFXXX';

describe('attachment text (PDF, DOCX)', () => {
  it('reads the text of every page of a PDF, whitespace collapsed', async () => {
    const pdf = await makePdf([INVOICE, 'Page two: payment terms 30% T/T']);
    const result = await extractDocumentText('invoice.pdf', 'pdf', pdf);
    expect(result.status).toBe('ok');
    expect(result.text).toContain('our bank account has changed');
    expect(result.text).toContain('DE39 1257 1237 0373');
    expect(result.text).toContain('Page two: payment terms');
    expect(result.text).not.toMatch(/\n/);
  });

  it('reads only the first pages and characters', async () => {
    const pdf = await makePdf(['first page', 'second page', 'third page']);
    const result = await extractDocumentText('a.pdf', 'pdf', pdf, { ...ATTACHMENT_TEXT_LIMITS, maxPages: 2 });
    expect(result.text).toContain('second page');
    expect(result.text).not.toContain('third page');
    const short = await extractDocumentText('a.pdf', 'pdf', pdf, { ...ATTACHMENT_TEXT_LIMITS, maxChars: 5 });
    expect(short.text).toBe('first');
  });

  it('reads the paragraphs of a DOCX', async () => {
    const docx = await makeDocx(['Dear customer,', INVOICE]);
    const result = await extractDocumentText('invoice.docx', 'docx', docx);
    expect(result).toMatchObject({ status: 'ok', kind: 'docx' });
    expect(result.text).toContain('Dear customer,');
    expect(result.text).toContain('SWIFT COBADEFFXXX');
  });

  it('never opens an encrypted PDF or DOCX', async () => {
    const pdf = await makePdf([INVOICE], { userPassword: 'secret' });
    expect(await extractDocumentText('locked.pdf', 'pdf', pdf)).toEqual({
      filename: 'locked.pdf',
      kind: 'pdf',
      status: 'encrypted',
      text: '',
    });
    // Word writes a password-protected .docx as an OLE compound file holding the encrypted package.
    const cfb = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    expect(documentKind({ filename: 'locked.docx', mime: 'application/octet-stream', content: cfb })).toBe('docx');
    expect((await extractDocumentText('locked.docx', 'docx', cfb)).status).toBe('encrypted');
    const zipWithLockedEntry = await makeZip([{ name: 'word/document.xml', content: '<w:document/>', encrypted: true }]);
    expect((await extractDocumentText('locked.docx', 'docx', zipWithLockedEntry)).status).toBe('encrypted');
  });

  it('does not open files over the size limits (also the unpacked size of a DOCX)', async () => {
    const pdf = await makePdf([INVOICE]);
    expect((await extractDocumentText('big.pdf', 'pdf', pdf, { ...ATTACHMENT_TEXT_LIMITS, maxBytes: 100 })).status).toBe('too_large');
    const bomb = await makeZip([{ name: 'word/document.xml', content: 'x'.repeat(200_000) }]);
    expect(bomb.length).toBeLessThan(10_000);
    const result = await extractDocumentText('bomb.docx', 'docx', bomb, { ...ATTACHMENT_TEXT_LIMITS, maxUnpackedBytes: 100_000 });
    expect(result.status).toBe('too_large');
  });

  it('gives up on a document that takes longer than the time limit (the thread is terminated and replaced)', async () => {
    const pdf = await makePdf(Array.from({ length: 20 }, (_, i) => `page ${i} ${INVOICE}`));
    const started = Date.now();
    const result = await extractDocumentText('slow.pdf', 'pdf', pdf, { ...ATTACHMENT_TEXT_LIMITS, timeoutMs: 1 });
    expect(result.status).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
    // The overrun thread was replaced: the next document is read normally.
    expect(await extractDocumentText('next.pdf', 'pdf', await makePdf(['next one']))).toMatchObject({ status: 'ok', text: 'next one' });
  });

  it('reports a broken document as failed instead of throwing', async () => {
    const broken = Buffer.from('%PDF-1.4\n% nothing here\n%%EOF\n');
    expect((await extractDocumentText('broken.pdf', 'pdf', broken)).status).toBe('failed');
    const notDocx = await makeZip([{ name: 'hello.txt', content: 'hi' }]);
    expect((await extractDocumentText('x.docx', 'docx', notDocx)).status).toBe('failed');
  });

  it('picks PDF by its bytes and DOCX by its name or type; other attachments are skipped', async () => {
    const pdf = await makePdf(['hello pdf']);
    const docx = await makeDocx(['hello docx']);
    const texts = await attachmentTexts([
      { filename: 'scan', mime: 'application/octet-stream', content: pdf },
      { filename: 'letter.docx', mime: 'application/octet-stream', content: docx },
      { filename: 'photo.jpg', mime: 'image/jpeg', content: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0, 0]) },
      { filename: 'archive.zip', mime: 'application/zip', content: docx },
    ]);
    expect(texts.map((t) => [t.filename, t.status, t.text])).toEqual([
      ['scan', 'ok', 'hello pdf'],
      ['letter.docx', 'ok', 'hello docx'],
    ]);
  });
});
