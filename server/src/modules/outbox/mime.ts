import { convert } from 'html-to-text';
import MailComposer from 'nodemailer/lib/mail-composer';

export type OutgoingAttachment = { filename: string; contentType: string; content: Buffer };
/** An image the HTML shows by `cid:` (the signature's logo): the mail becomes multipart/related. */
export type OutgoingInlineImage = OutgoingAttachment & { contentId: string };

export type OutgoingMail = {
  from: { name: string; address: string };
  replyTo: string | null;
  to: string[];
  cc: string[];
  subject: string;
  html: string;
  /** The HTML the plain-text alternative is made from, when it differs from `html` (no logo in it). */
  htmlForText?: string;
  /** The final Message-ID (with Pier's conversation token), kept across retries. */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  attachments: OutgoingAttachment[];
  inlineImages?: OutgoingInlineImage[];
  date: Date;
  /** Headers of Pier's automatic mail (Auto-Submitted, X-Loop, X-Auto-Response-Suppress); none on a person's mail. */
  headers?: Record<string, string>;
};

/** The plain-text alternative of the composer's HTML: links kept as "text [url]", no images. */
export function htmlToPlainText(html: string): string {
  return convert(html, {
    wordwrap: 76,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    ],
  });
}

/**
 * The raw RFC 5322 bytes Pier stores, sends and appends to Sent: one build, so the
 * three are byte-identical and the Sent copy synced back is the same message
 * (same identity). multipart/alternative (plain text + HTML), UTF-8, encoded-words
 * for non-ASCII headers (nodemailer). Bcc never appears here: it is envelope only.
 */
export async function buildOutgoingMime(mail: OutgoingMail): Promise<Buffer> {
  const composer = new MailComposer({
    from: mail.from,
    to: mail.to,
    cc: mail.cc.length > 0 ? mail.cc : undefined,
    replyTo: mail.replyTo ?? undefined,
    subject: mail.subject,
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo ?? undefined,
    references: mail.references.length > 0 ? mail.references : undefined,
    date: mail.date,
    text: htmlToPlainText(mail.htmlForText ?? mail.html),
    html: mail.html,
    attachments: [
      ...(mail.inlineImages ?? []).map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        content: a.content,
        cid: a.contentId,
        contentDisposition: 'inline' as const,
      })),
      ...mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
    ],
    // A person wrote this: no Auto-Submitted. Exchange's OOF replies are still welcome on a human reply.
    headers: { ...mail.headers, 'X-Mailer': 'Pier' },
  });
  return composer.compile().build();
}
