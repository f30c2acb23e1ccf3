/** What an abuse report (ARF, RFC 5965) says about one of our mails. */
export type FeedbackReport = { feedbackType: string; originalRecipient: string | null; originalMessageIds: string[] };

/**
 * Reads a multipart/report; report-type=feedback-report. The machine-readable part is 7-bit text by
 * the standard (like a DSN), so a light reading of the raw text is enough: Feedback-Type and
 * Original-Rcpt-To from the message/feedback-report part, Message-IDs from the returned mail after it.
 */
export function parseFeedbackReport(raw: Buffer, ownMessageId: string | undefined): FeedbackReport | null {
  const text = raw.toString('latin1');
  const start = text.search(/content-type:\s*message\/feedback-report/i);
  if (start < 0) return null;
  const part = text.slice(start).replace(/\r?\n[ \t]+/g, ' ');
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(part)?.[1]?.trim() ?? null;
  const feedbackType = field('Feedback-Type');
  if (!feedbackType) return null;
  const ids = [...part.matchAll(/^Message-ID:\s*(<[^>\r\n]+>)/gim)].map((m) => m[1] as string).filter((id) => id !== ownMessageId?.trim());
  return {
    feedbackType: feedbackType.toLowerCase(),
    originalRecipient:
      field('Original-Rcpt-To')
        ?.replace(/^rfc822;\s*/i, '')
        .toLowerCase() ?? null,
    originalMessageIds: [...new Set(ids)],
  };
}
