/**
 * The flags of a message as Pier stores them. `\Recent` is dropped: the server sets it for the one
 * session that first sees a message (RFC 3501 §2.3.2, removed in IMAP4rev2, RFC 9051), so it says
 * nothing about the mail and would differ between Pier's connections. Sorted, so a comparison of
 * two flag lists does not depend on the server's order.
 */
export function storedFlags(flags: Iterable<string> | undefined | null): string[] {
  return [...new Set(flags ?? [])].filter((flag) => flag.toLowerCase() !== '\\recent').sort();
}
