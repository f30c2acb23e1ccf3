import { crc32, deflateSync } from 'node:zlib';

/** PNG chunk: length, type, data, CRC-32 of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/**
 * A real PNG (8-bit RGB) of `width`×`height`: a coloured band on white, so a screenshot shows it.
 * `padTo` adds an ancillary text chunk until the file has that many bytes (a size limit's test).
 */
export function makePng(width: number, height: number, options: { rgb?: [number, number, number]; padTo?: number } = {}): Buffer {
  const [r, g, b] = options.rgb ?? [0x1f, 0x6f, 0xeb];
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3, 0xff);
    row[0] = 0; // filter: none
    const band = y >= height / 4 && y < (3 * height) / 4;
    for (let x = 0; band && x < width; x++) row.set([r, g, b], 1 + x * 3);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const parts = [
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
  ];
  const size = parts.reduce((n, p) => n + p.length, 0) + 12;
  if (options.padTo && options.padTo > size + 12) parts.push(chunk('tEXt', Buffer.alloc(options.padTo - size - 12, 0x61)));
  parts.push(chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}
