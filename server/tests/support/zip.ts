import yazl from 'yazl';

const ZIP_TIME = new Date(Date.UTC(2026, 0, 5, 9, 30, 0));

/**
 * Writes a small ZIP with yazl (deflate). An `encrypted` entry is stored behind a 12-byte header
 * with general-purpose bit 0 set, which is how an archive reader sees a password-protected entry
 * (yazl cannot encrypt). Used by the unit tests; scripts/fraud-fixtures/generate.mjs does the same.
 */
export async function makeZip(files: { name: string; content: string; encrypted?: boolean }[]): Promise<Buffer> {
  const archive = new yazl.ZipFile();
  for (const file of files) {
    const raw = Buffer.from(file.content, 'utf8');
    const data = file.encrypted ? Buffer.concat([Buffer.alloc(12, 7), raw]) : raw;
    archive.addBuffer(data, file.name, { mtime: ZIP_TIME, mode: 0o100644, compress: !file.encrypted });
  }
  archive.end();
  const chunks: Buffer[] = [];
  for await (const chunk of archive.outputStream) chunks.push(chunk as Buffer);
  return markEncrypted(
    Buffer.concat(chunks),
    files.map((f) => f.encrypted === true),
  );
}

/** Sets the "encrypted" flag of the chosen entries in their central and local headers. */
function markEncrypted(buffer: Buffer, which: boolean[]): Buffer {
  const eocd = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = buffer.readUInt32LE(eocd + 16);
  for (const encrypted of which) {
    if (encrypted) {
      buffer.writeUInt16LE(buffer.readUInt16LE(at + 8) | 1, at + 8);
      const local = buffer.readUInt32LE(at + 42);
      buffer.writeUInt16LE(buffer.readUInt16LE(local + 6) | 1, local + 6);
    }
    at += 46 + buffer.readUInt16LE(at + 28) + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
  }
  return buffer;
}
