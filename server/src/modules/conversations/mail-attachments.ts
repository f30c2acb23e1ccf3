import type { Attachment } from 'mailparser';
import { clean, readTopHeaders } from './mail-headers.js';
import type { MailAttachment } from './parse-mail.js';

// mailparser's attachments as Pier's: a file name for every one, inline or not

export function toMailAttachment(attachment: Attachment, index: number, html: string | null, headerCodec: string): MailAttachment {
  const mime = attachment.contentType.toLowerCase();
  const contentId = attachment.cid ? clean(attachment.cid).trim() || null : null;
  const isReferenced = contentId !== null && (html?.toLowerCase().includes(`cid:${contentId.toLowerCase()}`) ?? false);
  return {
    filename: attachmentName(attachment, index, mime, headerCodec),
    mime,
    size: attachment.content.length,
    contentId,
    isInline: attachment.contentDisposition === 'inline' || isReferenced,
    content: attachment.content,
  };
}

function attachmentName(attachment: Attachment, index: number, mime: string, headerCodec: string): string {
  // Outlook sends "C:\Users\…\file.pdf" now and then: only the last segment is a file name.
  const given = clean(attachment.filename ?? '')
    .split(/[\\/]/)
    .pop()
    ?.replace(/\p{Cc}/gu, '')
    .trim();
  if (given) return given.slice(0, 255);
  if (mime === 'message/rfc822' || mime === 'message/global') {
    const subject = readTopHeaders(attachment.content, headerCodec)
      // Characters Windows refuses in file names.
      .subject.replace(/[\\/:*?"<>|\p{Cc}]/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 200);
    if (subject) return `${subject}.eml`;
  }
  return `attachment-${index + 1}.${extensionFor(mime)}`;
}

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/x-zip-compressed': 'zip',
  'application/x-rar-compressed': 'rar',
  'application/vnd.rar': 'rar',
  'application/x-7z-compressed': '7z',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/json': 'json',
  'application/xml': 'xml',
  'application/pkcs7-signature': 'p7s',
  'application/x-pkcs7-signature': 'p7s',
  'application/pgp-signature': 'asc',
  'application/ms-tnef': 'dat',
  'application/octet-stream': 'bin',
  'image/jpeg': 'jpg',
  'image/svg+xml': 'svg',
  'image/tiff': 'tif',
  'image/x-icon': 'ico',
  'text/plain': 'txt',
  'text/html': 'html',
  'text/calendar': 'ics',
  'text/csv': 'csv',
  'text/xml': 'xml',
  'message/rfc822': 'eml',
  'message/global': 'eml',
  'message/delivery-status': 'txt',
  'message/disposition-notification': 'txt',
  'audio/mpeg': 'mp3',
  'video/quicktime': 'mov',
};

function extensionFor(mime: string): string {
  const known = EXTENSIONS[mime];
  if (known) return known;
  const subtype = mime.split('/')[1] ?? '';
  return /^[a-z0-9]{2,5}$/.test(subtype) ? subtype : 'bin';
}
