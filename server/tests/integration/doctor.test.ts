import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/compose.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { contentIdentity, ingestMail, prepareMail } from '../../src/modules/conversations/index.js';
import { loadOwnAddresses } from '../../src/modules/mailboxes/index.js';
import { sha256Hex } from '../../src/storage/blob-store.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { runCli } from '../support/pier-process.js';
import { openTestWorkspace } from '../support/workspace.js';
import { addMailbox, withTestWorkspace } from '../support/workspace-setup.js';

const raw = (text: string) => Buffer.from(text.replaceAll('\n', '\r\n'));
const stored = raw('X-Note: no blank line A\n');
// What an earlier identity did: B had A's identity (no Message-ID, same empty originator headers
// and body), so B was answered 250 with A's message id and its bytes stayed in an unreferenced blob.
const merged = raw('X-Note: no blank line B\n');
const order = raw('Message-ID: <po-77@customer.test>\nFrom: buyer@customer.test\nSubject: PO 77\n\nPlease ship.\n');
const orderViaInfo = Buffer.concat([raw('Received: from mx2 by info\n'), order]);
const deleted = raw(
  'Message-ID: <gone@customer.test>\nFrom: buyer@customer.test\nSubject: gone\nContent-Type: multipart/mixed; boundary=b\n\n' +
    '--b\nContent-Type: text/plain\n\nsee file\n--b\nContent-Type: text/csv; name=p.csv\nContent-Disposition: attachment; filename=p.csv\n\nsku,qty\n--b--\n',
);

type Report = {
  dry_run: boolean;
  orphans: number;
  orphan_kinds: Record<string, number>;
  repaired: number;
  remaining_orphans: number;
  missing_blobs: number;
  unplaced: string[];
};

async function doctor(database: TestDatabase, args: string[] = []): Promise<{ code: number; report: Report }> {
  try {
    const { stdout } = await runCli(database, ['doctor', ...args]);
    return { code: 0, report: JSON.parse(stdout) as Report };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, report: JSON.parse(failed.stdout) as Report };
  }
}

describe.each(engines)('pier doctor on %s', (engine) => {
  let database: TestDatabase;
  let ws: Workspace;
  let salesId: string;
  let deletedSha: string;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await withTestWorkspace(database, (ws) => addMailbox(ws, { address: 'sales@acme.test', name: 'Sales', purpose: 'sales' }));
    ws = await openTestWorkspace(database);
    salesId = (await ws.db.selectFrom('mailboxes').select('id').executeTakeFirstOrThrow()).id;
    const deps = {
      db: ws.db,
      blobs: ws.blobs,
      ctx: {
        engine: ws.engine,
        ownAddresses: await loadOwnAddresses(ws.db),
        messageIds: ws.messageIds,
        recordReopened: ws.recordReopened,
        teamActivity: ws.teamActivity,
      },
    };
    await ingestMail(deps, { raw: stored, mailboxIds: [salesId], source: 'smtp' });
    await ingestMail(deps, { raw: order, mailboxIds: [salesId], source: 'import' });
    await ws.blobs.put(merged);
    await ws.blobs.put(orderViaInfo);
    deletedSha = (await prepareMail(ws.blobs, deleted)).raw.sha256; // raw and attachment blobs, no rows
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  it('reports blobs no message points at by kind, and changes nothing with --dry-run (exit 1: a merge is left)', async () => {
    const { code, report } = await doctor(database, ['--dry-run']);
    expect(code).toBe(1);
    expect(report).toMatchObject({
      dry_run: true,
      orphans: 4,
      orphan_kinds: { attachment: 1, copy: 1, merged: 1, unplaced: 1 },
      repaired: 0,
      missing_blobs: 0,
      unplaced: [deletedSha],
    });
    expect(await ws.db.selectFrom('messages').select('id').execute()).toHaveLength(2);
  });

  it('stores a merged mail as its own message in the mailbox it reached, once, and leaves copies and deleted mail alone', async () => {
    const { code, report } = await doctor(database);
    expect(code).toBe(0);
    expect(report).toMatchObject({ dry_run: false, orphans: 4, repaired: 1, remaining_orphans: 3 });
    const rows = await ws.db
      .selectFrom('messages')
      .innerJoin('message_locations', 'message_locations.message_id', 'messages.id')
      .select(['messages.raw_sha256', 'message_locations.mailbox_id', 'message_locations.source'])
      .execute();
    const repaired = rows.find((r) => r.raw_sha256 === sha256Hex(merged));
    expect(repaired).toEqual({ raw_sha256: sha256Hex(merged), mailbox_id: salesId, source: 'smtp' });
    expect(rows).toHaveLength(3);

    const again = await doctor(database);
    expect(again.code).toBe(0);
    expect(again.report).toMatchObject({ orphans: 3, orphan_kinds: { attachment: 1, copy: 1, merged: 0, unplaced: 1 }, repaired: 0 });
  });

  it('moves stored mail without Message-ID to the identity of its bytes on upgrade (migration 0016): importing it again finds it', async () => {
    await ws.db
      .updateTable('messages')
      .set({ identity: contentIdentity(stored) })
      .where('raw_sha256', '=', sha256Hex(stored))
      .execute();
    await sql`delete from schema_migrations where name = '0016_raw_identity'`.execute(ws.db);
    expect(await migrateToLatest(ws.db)).toEqual(['0016_raw_identity']);
    const row = await ws.db.selectFrom('messages').select('identity').where('raw_sha256', '=', sha256Hex(stored)).executeTakeFirstOrThrow();
    expect(row.identity).toBe(sha256Hex(stored));
    const dir = mkdtempSync(path.join(tmpdir(), 'pier-doctor-test-'));
    try {
      writeFileSync(path.join(dir, 'a.eml'), stored);
      const { stdout } = await runCli(database, ['import', '--mailbox', 'sales@acme.test', dir]);
      expect(JSON.parse(stdout)).toMatchObject({ new: 0, known: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts referenced blobs that are missing from the store and exits 1', async () => {
    const sha = sha256Hex(order);
    rmSync(path.join(ws.blobs.root, sha.slice(0, 2), sha)); // decision 0040: ab/SHA
    const { code, report } = await doctor(database, ['--dry-run']);
    expect(code).toBe(1);
    expect(report.missing_blobs).toBe(1);
  });
});
