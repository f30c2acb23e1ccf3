/** "a@x.com, b@y.com; c@z.com" → trimmed, lower-cased, de-duplicated addresses. */
export function parseRecipients(text: string): string[] {
  const list = text
    .split(/[,;，；\s]+/)
    .map((a) => a.trim().replace(/^<|>$/g, '').toLowerCase())
    .filter(Boolean);
  return [...new Set(list)];
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export function invalidRecipients(list: string[]): string[] {
  return list.filter((a) => !EMAIL.test(a));
}
