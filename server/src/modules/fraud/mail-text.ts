/**
 * The words the sender wrote in this mail: subject plus body without the quoted history
 * (lines starting with ">", and everything after an "On … wrote:" / "-----Original Message-----" /
 * "发件人:" block), NFKC-normalised (the phrase lists match case-insensitively, and quotes keep the sender's case). Phrases quoted from the team's own earlier
 * mail ("has your bank account changed?") must not count against the customer.
 */
const QUOTE_STARTS = [
  /^-{2,}\s*(?:original message|forwarded message|原始邮件|原始郵件|转发的邮件|mensaje original|mensagem original|message d'origine|ursprüngliche nachricht|исходное сообщение|المرسلة الأصلية|orijinal ileti|messaggio originale)\s*-{2,}/i,
  /^on .{4,200} wrote:\s*$/i,
  /^(?:from|发件人|發件人|de|von|от|من|kimden|da)\s*[:：]\s*.+@.+/i,
  /^在 .{4,200}写道[:：]\s*$/,
];

export function ownWords(subject: string, text: string): string {
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (QUOTE_STARTS.some((re) => re.test(trimmed))) break;
    if (trimmed.startsWith('>')) continue;
    lines.push(line);
  }
  return `${subject}\n${lines.join('\n')}`.normalize('NFKC');
}
