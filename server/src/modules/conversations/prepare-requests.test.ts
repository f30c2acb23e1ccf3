import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createBlobStore } from '../../storage/blob-store.js';
import { prepareRequestHandler } from './prepare-requests.js';

const mail = (i: number) =>
  new TextEncoder().encode(
    `From: Buyer ${i} <buyer${i}@customer.test>\r\nTo: sales@acme.test\r\nSubject: Order ${i}\r\nMessage-ID: <order-${i}@customer.test>\r\n` +
      `Date: Mon, 7 Dec 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${`Please quote ${i} tons of tungsten rods. `.repeat(200)}\r\n`,
  );

describe('prepare worker requests (the worker side of the prepare pool, through a real MessagePort)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('answers a flush after the mail in hand, not after every mail queued before it (decision 0066)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pier-prepare-requests-'));
    dirs.push(dir);
    const blobs = createBlobStore(dir);
    const { port1, port2 } = new MessageChannel();
    const answered: string[] = [];
    const rawBlobs = new Map<string, string>();
    const done = new Promise<void>((resolve) => {
      port2.on('message', (reply: { id: number; prepared?: { raw: { sha256: string } }; flushed?: boolean; error?: string }) => {
        if (reply.prepared) rawBlobs.set(`mail ${reply.id}`, reply.prepared.raw.sha256);
        answered.push(reply.flushed ? 'flush' : reply.prepared ? `mail ${reply.id}` : `error ${reply.error}`);
        if (answered.length === 21) resolve();
      });
    });
    port1.on(
      'message',
      prepareRequestHandler(blobs, (message) => port1.postMessage(message)),
    );
    // As the pool sends them: a batch's 20 mails, then its flush, all before the worker reads any.
    for (let id = 0; id < 20; id++) port2.postMessage({ id, raw: mail(id) });
    port2.postMessage({ id: 20, flush: true });
    await done;
    port1.close();
    expect(answered.filter((a) => a.startsWith('mail'))).toEqual(Array.from({ length: 20 }, (_, id) => `mail ${id}`));
    // The flush comes once the mails then in hand are done, long before the queue is.
    expect(answered.indexOf('flush')).toBeLessThan(5);
    // What it sealed is there for another store (as the main thread reads it): the mails answered before it.
    const reader = createBlobStore(dir);
    for (const reply of answered.slice(0, answered.indexOf('flush'))) {
      const id = Number(reply.split(' ')[1]);
      expect(await reader.get(rawBlobs.get(reply) as string)).toEqual(Buffer.from(mail(id)));
    }
  });
});
