import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { toMailAttachment } from './mail-attachments.js';

async function attachmentsOf(parts: string[]) {
  const raw = `Subject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n${parts.map((part) => `--b\r\n${part}\r\n`).join('')}--b--\r\n`;
  return (await simpleParser(Buffer.from(raw))).attachments;
}

describe('toMailAttachment', () => {
  it('names an attachment without a file name after its type, or an attached message after its subject', async () => {
    const [pdf, message] = await attachmentsOf([
      'Content-Type: application/pdf\r\nContent-Disposition: attachment\r\n\r\n%PDF',
      'Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\nSubject: Re: PI/001 "final"\r\n\r\nhi',
    ]);
    expect(pdf && toMailAttachment(pdf, 0, null, 'windows-1252').filename).toBe('attachment-1.pdf');
    expect(message && toMailAttachment(message, 1, null, 'windows-1252').filename).toBe('Re PI 001 final.eml');
  });

  it('marks an image inline when the HTML references its Content-ID', async () => {
    const [image] = await attachmentsOf([
      'Content-Type: image/png\r\nContent-ID: <Logo@x>\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=',
    ]);
    expect(image && toMailAttachment(image, 0, '<img src="cid:logo@x">', 'windows-1252')).toMatchObject({
      filename: 'attachment-1.png',
      mime: 'image/png',
      contentId: 'Logo@x',
      isInline: true,
      size: 8,
    });
    expect(image && toMailAttachment(image, 0, null, 'windows-1252').isInline).toBe(false);
  });
});
