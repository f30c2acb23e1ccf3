import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

/**
 * A loopback DNS server that answers TXT queries from a fixed zone (RFC 1035 over UDP), so SPF,
 * DKIM and DMARC checks of mail received on Pier's SMTP listener run for real without the internet.
 * A name in the zone answers its TXT records (no data for other types); any other name is NXDOMAIN.
 */
export async function startTxtDnsServer(
  zone: Record<string, string[]>,
): Promise<{ server: string; queries: string[]; stop(): Promise<void> }> {
  const records = new Map(Object.entries(zone).map(([name, values]) => [name.toLowerCase().replace(/\.$/, ''), values]));
  const queries: string[] = [];
  const socket = createSocket('udp4');
  socket.on('message', (query, remote) => {
    const answer = respond(query, records, queries);
    if (answer) socket.send(answer, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    server: `127.0.0.1:${port}`,
    queries,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

const TYPE_TXT = 16;

function respond(query: Buffer, records: Map<string, string[]>, log: string[]): Buffer | undefined {
  if (query.length < 12 || query.readUInt16BE(4) !== 1) return undefined;
  // Question: labels, then QTYPE and QCLASS.
  const labels: string[] = [];
  let offset = 12;
  while (offset < query.length) {
    const length = query[offset] ?? 0;
    offset++;
    if (length === 0) break;
    labels.push(query.subarray(offset, offset + length).toString('latin1'));
    offset += length;
  }
  const qtype = query.readUInt16BE(offset);
  const questionEnd = offset + 4;
  const name = labels.join('.').toLowerCase();
  log.push(`${name} ${qtype === TYPE_TXT ? 'TXT' : qtype}`);
  const values = records.get(name);
  const answers = values && qtype === TYPE_TXT ? values.map(txtRecord) : [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0); // id
  // QR, opcode 0, AA, RD copied, RA; RCODE 3 (NXDOMAIN) for a name outside the zone.
  header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | 0x0080 | (values ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
}

/** One TXT answer pointing at the question's name; long values are split into 255-byte strings. */
function txtRecord(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const strings: Buffer[] = [];
  for (let i = 0; i < bytes.length || i === 0; i += 255) {
    const chunk = bytes.subarray(i, i + 255);
    strings.push(Buffer.from([chunk.length]), chunk);
  }
  const rdata = Buffer.concat(strings);
  const fixed = Buffer.alloc(12);
  fixed.writeUInt16BE(0xc00c, 0); // name: pointer to the question
  fixed.writeUInt16BE(TYPE_TXT, 2);
  fixed.writeUInt16BE(1, 4); // IN
  fixed.writeUInt32BE(60, 6); // TTL
  fixed.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([fixed, rdata]);
}
