/** Pier's version, as reported by /api/health and in the IMAP ID command. */
export const PIER_VERSION = '0.1.0';
