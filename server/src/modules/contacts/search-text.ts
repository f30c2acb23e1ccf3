/**
 * The text a customer is found by, folded in JavaScript: SQLite's lower() only folds ASCII (and
 * PostgreSQL's depends on the database's locale), so "Müller", "ИВАН" and full-width "ＡＣＭＥ"
 * are folded here (NFKC, then toLowerCase) and the query is folded the same way; LIKE then
 * compares equal strings on both engines. Chinese has no case: it matches as written.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A contact's search text: name, address and every phone number (E.164 and its bare digits). */
export function contactSearchText(input: { name: string | null; address: string; phones?: readonly string[] }): string {
  const phones = (input.phones ?? []).flatMap((p) => [p, p.replace(/\D/g, '')]);
  return foldForSearch([input.name ?? '', input.address, ...phones].filter(Boolean).join(' '));
}

/** A company's search text: its name and registrable domain. */
export function companySearchText(input: { name: string; domain: string }): string {
  return foldForSearch(`${input.name} ${input.domain}`);
}

/** The LIKE pattern of a query: folded, LIKE's wildcards escaped (with `\`), a phone query without spaces or dashes. */
export function likePatternOf(query: string): string {
  let folded = foldForSearch(query);
  if (/^[+\d][\d\s\-().]*$/.test(folded)) folded = folded.replace(/[\s\-().]/g, '').replace(/^\+/, '');
  return `%${folded.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
