import { decodeUndeclared, detectCharset, isValidUtf8 } from './charset-detection.js';
import { WINDOWS_1252 } from './charsets.js';
import { decodeHeaderValue } from './encoded-words.js';
import { clean, looseAddresses, readTopHeaders } from './mail-headers.js';
import { splitMessage } from './message-identity.js';
import type { ParsedMail } from './parse-mail.js';

// When mailparser fails

export function parseLoosely(raw: Buffer, issues: string[]): ParsedMail {
  try {
    const { headers, body } = splitMessage(raw);
    const foreign = [...headers.values()]
      .flat()
      .map((value) => Buffer.from(value, 'latin1'))
      .filter((value) => !isValidUtf8(value));
    const headerCodec = foreign.length ? detectCharset(Buffer.concat(foreign)) : WINDOWS_1252;
    const top = readTopHeaders(raw, headerCodec);
    const addresses = (name: string) =>
      (headers.get(name) ?? []).flatMap((value) => looseAddresses(decodeHeaderValue(Buffer.from(value, 'latin1'), headerCodec)));
    const bytes = body.length > 0 ? body : raw;
    return {
      ...top,
      to: addresses('to'),
      cc: addresses('cc'),
      replyTo: addresses('reply-to'),
      text: clean(decodeUndeclared(bytes, headerCodec === WINDOWS_1252 ? null : headerCodec)).trimEnd(),
      html: null,
      attachments: [],
      parseStatus: 'failed',
      parseError: issues.join('; ').slice(0, 1000),
    };
  } catch (error) {
    return {
      messageId: null,
      from: null,
      to: [],
      cc: [],
      replyTo: [],
      subject: '',
      date: null,
      inReplyTo: null,
      references: [],
      text: clean(decodeUndeclared(raw, null)).trimEnd(),
      html: null,
      attachments: [],
      authenticationResults: [],
      autoSubmitted: null,
      precedence: null,
      listId: null,
      parseStatus: 'failed',
      parseError: [...issues, error instanceof Error ? error.message : String(error)].join('; ').slice(0, 1000),
    };
  }
}
