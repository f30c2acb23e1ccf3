import { splitMessage } from '../conversations/index.js';

export type DeliveryReport = {
  /** Message-IDs of the original mail, from the returned headers (text/rfc822-headers or message/rfc822). */
  originalMessageIds: string[];
  recipients: { recipient: string; action: string; status: string | null; diagnostic: string | null }[];
};

export function splitMessageHeaders(raw: Buffer): Map<string, string[]> {
  return splitMessage(raw).headers;
}

/**
 * Reads an RFC 3464 delivery report. The parts we need are 7-bit text by the
 * standard, so a light reading of the raw text is enough: per-recipient fields
 * from the message/delivery-status part, Message-IDs from the returned headers.
 */
export function parseDeliveryReport(raw: Buffer): DeliveryReport | null {
  const text = raw.toString('latin1');
  const ownId = splitMessage(raw).headers.get('message-id')?.[0]?.trim();
  const statusStart = text.search(/content-type:\s*message\/(global-)?delivery-status/i);
  if (statusStart < 0) return null;
  const afterStatus = text.slice(statusStart);
  const bodyStart = afterStatus.search(/\r?\n\r?\n/);
  const boundaryEnd = afterStatus.search(/\r?\n--[^\r\n]+/);
  const statusBody = afterStatus.slice(bodyStart, boundaryEnd > bodyStart ? boundaryEnd : undefined).replace(/\r?\n[ \t]+/g, ' ');
  const recipients: DeliveryReport['recipients'] = [];
  for (const block of statusBody.split(/\r?\n\r?\n/)) {
    const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(block)?.[1]?.trim() ?? null;
    const recipient = field('Final-Recipient') ?? field('Original-Recipient');
    const action = field('Action');
    if (!recipient || !action) continue;
    recipients.push({
      recipient: recipient.replace(/^rfc822;\s*/i, ''),
      action: action.toLowerCase(),
      status: field('Status'),
      diagnostic: field('Diagnostic-Code'),
    });
  }
  const returned = text.slice(statusStart + Math.max(0, boundaryEnd));
  const ids = [...returned.matchAll(/^Message-ID:\s*(<[^>\r\n]+>)/gim)].map((m) => m[1] as string).filter((id) => id !== ownId);
  return { originalMessageIds: [...new Set(ids)], recipients };
}
