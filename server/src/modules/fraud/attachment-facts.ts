import yauzl from 'yauzl';
import type { AttachmentFacts } from './types.js';

const MAX_ENTRIES = 1000;

/** The attachments as the signals need them: ZIP archives are opened and listed (never extracted). */
export async function attachmentFacts(
  attachments: { filename: string; mime: string; content: Buffer | null }[],
): Promise<AttachmentFacts[]> {
  const facts: AttachmentFacts[] = [];
  for (const a of attachments) {
    const isZip = a.content !== null && a.content.length > 4 && a.content.readUInt32LE(0) === 0x04034b50;
    facts.push({
      filename: a.filename,
      mime: a.mime,
      archive: isZip && a.content ? await listZip(a.content) : undefined,
      program: a.content !== null && isProgram(a.content),
    });
  }
  return facts;
}

/** Windows (MZ), Linux (ELF) or macOS (Mach-O) program bytes, whatever the file is called. */
export function isProgram(content: Buffer): boolean {
  if (content.length < 4) return false;
  if (content[0] === 0x4d && content[1] === 0x5a && content.length >= 64) {
    const pe = content.readUInt32LE(0x3c);
    return pe + 4 <= content.length && content.readUInt32BE(pe) === 0x50450000;
  }
  const magic = content.readUInt32BE(0);
  return magic === 0x7f454c46 || [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic);
}

/** Entry names and whether any entry is encrypted; an unreadable archive counts as encrypted (cannot be checked). */
export function listZip(content: Buffer): Promise<{ entries: string[]; encrypted: boolean }> {
  return new Promise((resolve) => {
    yauzl.fromBuffer(content, { lazyEntries: true, validateEntrySizes: false }, (error, zip) => {
      if (error || !zip) return resolve({ entries: [], encrypted: true });
      const entries: string[] = [];
      let encrypted = false;
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push(entry.fileName);
        if (entry.isEncrypted()) encrypted = true;
        if (entries.length >= MAX_ENTRIES) {
          zip.close();
          resolve({ entries, encrypted });
          return;
        }
        zip.readEntry();
      });
      zip.on('end', () => resolve({ entries, encrypted }));
      zip.on('error', () => resolve({ entries, encrypted: true }));
      zip.readEntry();
    });
  });
}
