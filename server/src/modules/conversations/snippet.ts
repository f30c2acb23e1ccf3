/** The list line's excerpt of a message: only the start of a (possibly megabytes long) body is read. */
export function snippetOf(text: string): string {
  return text.slice(0, 1000).replace(/\s+/g, ' ').trim().slice(0, 200);
}
