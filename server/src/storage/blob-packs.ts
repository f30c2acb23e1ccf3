import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync, writeSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Blob packs (decision 0054): the blobs a bulk writer stores between two flushes, one after the
 * other in one file, so that a batch is made durable by one fsync of that file and one of its
 * folder, not one per blob and per folder (a new inode, folder entry and journal work each).
 *
 * A pack is the blobs' bytes, then its index (one 48-byte entry per blob: the SHA-256's 32 bytes,
 * the offset and the size as little-endian doubles), then a 16-byte footer (`PIERPAK1`, the entry
 * count as u32 LE, four zero bytes). It is written under `tmp/`, fsynced whole, and only then
 * renamed into `packs/`: a pack under `packs/` is always complete, and never changes again.
 */
export const PACKS_DIR = 'packs';
export const PACK_NAME = /^[0-9a-f]{32}\.pack$/;
const MAGIC = Buffer.from('PIERPAK1', 'latin1');
const ENTRY_BYTES = 48;
const FOOTER_BYTES = 16;

export type PackEntry = { sha256: string; offset: number; size: number };
/** Where a blob is in a pack: the pack's file under `packs/`. */
export type PackedBlob = { file: string; offset: number; size: number };

/** A pack being written: its blobs are readable through its open descriptor until it is flushed. */
export type OpenPack = { name: string; tmp: string; fd: number; size: number; entries: Map<string, PackEntry> };

export function openPack(tmpDir: string): OpenPack {
  const name = `${randomBytes(16).toString('hex')}.pack`;
  const tmp = path.join(tmpDir, name);
  return { name, tmp, fd: openSync(tmp, 'wx+', 0o600), size: 0, entries: new Map() };
}

export function appendToPack(pack: OpenPack, sha256: string, bytes: Buffer): void {
  writeAll(pack.fd, bytes, pack.size);
  pack.entries.set(sha256, { sha256, offset: pack.size, size: bytes.length });
  pack.size += bytes.length;
}

/** A blob of a pack still being written, read through its descriptor (no await: the flush cannot close it meanwhile). */
export function readOpenPack(pack: OpenPack, entry: PackEntry): Buffer {
  const bytes = Buffer.allocUnsafe(entry.size);
  readAll(pack.fd, bytes, entry.offset);
  return bytes;
}

/** Appends the index and footer; the caller fsyncs, closes and renames. */
export function sealPack(pack: OpenPack): void {
  const tail = Buffer.alloc(pack.entries.size * ENTRY_BYTES + FOOTER_BYTES);
  let at = 0;
  for (const entry of pack.entries.values()) {
    tail.write(entry.sha256, at, 32, 'hex');
    tail.writeDoubleLE(entry.offset, at + 32);
    tail.writeDoubleLE(entry.size, at + 40);
    at += ENTRY_BYTES;
  }
  MAGIC.copy(tail, at);
  tail.writeUInt32LE(pack.entries.size, at + 8);
  writeAll(pack.fd, tail, pack.size);
}

/** The index of a complete pack (a file that is not one throws: it never came from sealPack). */
export function parsePackTail(file: string, fileSize: number, tail: Buffer): PackEntry[] {
  const footer = tail.subarray(tail.length - FOOTER_BYTES);
  if (tail.length < FOOTER_BYTES || !footer.subarray(0, 8).equals(MAGIC)) throw new Error(`${file} is not a blob pack`);
  const count = footer.readUInt32LE(8);
  const indexStart = fileSize - FOOTER_BYTES - count * ENTRY_BYTES;
  if (indexStart < 0) throw new Error(`${file} is not a blob pack`);
  const index = tail.subarray(tail.length - FOOTER_BYTES - count * ENTRY_BYTES, tail.length - FOOTER_BYTES);
  const entries: PackEntry[] = [];
  for (let at = 0; at < index.length; at += ENTRY_BYTES) {
    const entry = { sha256: index.toString('hex', at, at + 32), offset: index.readDoubleLE(at + 32), size: index.readDoubleLE(at + 40) };
    if (entry.offset + entry.size > indexStart) throw new Error(`${file} is not a blob pack`);
    entries.push(entry);
  }
  return entries;
}

/** Reads a pack's index: the footer, then the entries it counts. */
export function readPackIndexSync(file: string): PackEntry[] {
  const fd = openSync(file, 'r');
  try {
    const { size } = fstatSync(fd);
    const footer = Buffer.alloc(Math.min(size, FOOTER_BYTES));
    readAll(fd, footer, size - footer.length);
    const count = footer.length === FOOTER_BYTES ? footer.readUInt32LE(8) : 0;
    const tail = Buffer.alloc(Math.min(size, count * ENTRY_BYTES + FOOTER_BYTES));
    readAll(fd, tail, size - tail.length);
    return parsePackTail(file, size, tail);
  } finally {
    closeSync(fd);
  }
}

/** The same, without blocking the event loop (listing and copying a store). */
export async function readPackIndex(file: string): Promise<PackEntry[]> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const footer = Buffer.alloc(Math.min(size, FOOTER_BYTES));
    await handle.read(footer, 0, footer.length, size - footer.length);
    const count = footer.length === FOOTER_BYTES ? footer.readUInt32LE(8) : 0;
    const tail = Buffer.alloc(Math.min(size, count * ENTRY_BYTES + FOOTER_BYTES));
    await handle.read(tail, 0, tail.length, size - tail.length);
    return parsePackTail(file, size, tail);
  } finally {
    await handle.close();
  }
}

/** The pack files of a store folder, by name. */
export async function packFiles(root: string): Promise<string[]> {
  try {
    return (await readdir(path.join(root, PACKS_DIR))).filter((name) => PACK_NAME.test(name)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Entries of the packs read so far, sorted by SHA-256: the digest's 32 bytes, offset, size (doubles), pack number (u32). */
const SORTED_BYTES = 52;
/** Packs read since the last merge are looked up in a Map; past this many blobs they are merged into the sorted entries. */
const RECENT_MAX = 8192;

/**
 * What a store knows of the packs under `packs/`: every blob's place, read once per pack. Kept as
 * one sorted buffer (52 bytes a blob, outside the JavaScript heap: ~10 MB for 200,000 blobs, which
 * a Map of them would hold as ~33 MB of objects that every full garbage collection marks) plus a
 * Map of the newest packs' blobs. The folder is read again only when its modification time changed.
 */
export function createPackIndex(root: string) {
  const dir = path.join(root, PACKS_DIR);
  const files: string[] = [];
  const loaded = new Set<string>();
  let sorted = Buffer.alloc(0);
  let recent = new Map<string, PackedBlob & { pack: number }>();
  let seenMtime = -1;
  const find = (sha256: string): PackedBlob | undefined => {
    const found = recent.get(sha256);
    if (found) return { file: found.file, offset: found.offset, size: found.size };
    if (sorted.length === 0) return undefined;
    const key = Buffer.from(sha256, 'hex');
    for (let low = 0, high = sorted.length / SORTED_BYTES - 1; low <= high; ) {
      const middle = (low + high) >>> 1;
      const at = middle * SORTED_BYTES;
      const order = sorted.compare(key, 0, 32, at, at + 32);
      if (order === 0) {
        const file = files[sorted.readUInt32LE(at + 48)] ?? '';
        return { file, offset: sorted.readDoubleLE(at + 32), size: sorted.readDoubleLE(at + 40) };
      }
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  };
  /** The recent Map merged into the sorted buffer: both runs are sorted, so one pass. */
  const merge = () => {
    const fresh = Buffer.alloc(recent.size * SORTED_BYTES);
    let at = 0;
    for (const [sha256, blob] of [...recent].sort(([a], [b]) => (a < b ? -1 : 1))) {
      fresh.write(sha256, at, 32, 'hex');
      fresh.writeDoubleLE(blob.offset, at + 32);
      fresh.writeDoubleLE(blob.size, at + 40);
      fresh.writeUInt32LE(blob.pack, at + 48);
      at += SORTED_BYTES;
    }
    const merged = Buffer.alloc(sorted.length + fresh.length);
    let a = 0;
    let b = 0;
    for (let out = 0; out < merged.length; out += SORTED_BYTES) {
      const fromOld = b >= fresh.length || (a < sorted.length && sorted.compare(fresh, b, b + 32, a, a + 32) < 0);
      if (fromOld) {
        sorted.copy(merged, out, a, a + SORTED_BYTES);
        a += SORTED_BYTES;
      } else {
        fresh.copy(merged, out, b, b + SORTED_BYTES);
        b += SORTED_BYTES;
      }
    }
    sorted = merged;
    recent = new Map();
  };
  /**
   * A pack this store just renamed into place (no need to read back what it wrote), or one read
   * from the folder (`merge: false` while reading many: they are merged once, after the last).
   */
  const add = (name: string, entries: Iterable<PackEntry>, options = { merge: true }) => {
    loaded.add(name);
    const pack = files.push(path.join(dir, name)) - 1;
    const file = files[pack] ?? '';
    for (const { sha256, offset, size } of entries) if (!find(sha256)) recent.set(sha256, { file, offset, size, pack });
    if (options.merge && recent.size >= RECENT_MAX) merge();
  };
  /**
   * Reads the packs added since the last look. Unless `force`, only when the folder's modification
   * time changed: that time is coarse (a few ms), so a reader that must find a blob forces it.
   */
  const refresh = (force = false) => {
    let mtime: number;
    try {
      mtime = statSync(dir).mtimeMs;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    if (mtime === seenMtime && !force) return;
    seenMtime = mtime;
    for (const name of readdirSync(dir)) {
      if (PACK_NAME.test(name) && !loaded.has(name)) add(name, readPackIndexSync(path.join(dir, name)), { merge: false });
    }
    if (recent.size >= RECENT_MAX) merge();
  };
  return { dir, get: find, refresh, add };
}

export async function readPacked(blob: PackedBlob): Promise<Buffer> {
  const handle = await open(blob.file, 'r');
  try {
    const bytes = Buffer.allocUnsafe(blob.size);
    for (let done = 0; done < blob.size; ) {
      const { bytesRead } = await handle.read(bytes, done, blob.size - done, blob.offset + done);
      if (bytesRead === 0) throw new Error(`${blob.file} ends inside a blob`);
      done += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

function writeAll(fd: number, bytes: Buffer, position: number): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}

function readAll(fd: number, bytes: Buffer, position: number): void {
  for (let done = 0; done < bytes.length; ) {
    const read = readSync(fd, bytes, done, bytes.length - done, position + done);
    if (read === 0) throw new Error('a blob pack ends early');
    done += read;
  }
}
