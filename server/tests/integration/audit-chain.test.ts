import { sql } from 'kysely';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/compose.js';
import { recordAudit, verifyAuditChain } from '../../src/modules/audit/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { runCli } from '../support/pier-process.js';
import { openTestWorkspace } from '../support/workspace.js';

/** Simulates an attacker with the database owner's rights: the append-only triggers go first. */
async function dropAppendOnlyGuard(ws: Workspace) {
  if (ws.database.engine === 'postgres') await sql`drop trigger audit_log_append_only on audit_log`.execute(ws.db);
  else {
    await sql`drop trigger audit_log_no_update`.execute(ws.db);
    await sql`drop trigger audit_log_no_delete`.execute(ws.db);
  }
}

async function seed(ws: Workspace, count: number) {
  for (let i = 1; i <= count; i++) {
    await recordAudit(ws.db, {
      actorId: null,
      action: 'test.seeded',
      targetType: 'thing',
      targetId: `t${i}`,
      details: { n: i, note: `记录 ${i}` },
    });
  }
}

async function verifyCli(database: TestDatabase): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await runCli(database, ['audit', 'verify']);
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

describe.each(engines)('the audit chain on %s', (engine) => {
  const opened: { ws: Workspace; database: TestDatabase }[] = [];
  async function fresh() {
    const database = await createTestDatabase(engine);
    const ws = await openTestWorkspace(database);
    opened.push({ ws, database });
    return { ws, database };
  }
  afterEach(async () => {
    for (const o of opened.splice(0)) {
      await o.ws.close().catch(() => {});
      await o.database.drop();
    }
  });
  afterAll(async () => {
    for (const o of opened.splice(0)) await o.database.drop();
  });

  it('stays one gap-free chain when 30 appends race, and verify passes (CLI exit 0)', async () => {
    const { ws, database } = await fresh();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        ws.db.transaction().execute(async (trx) => {
          // Work before and after the append widens the window for interleaving.
          await trx.selectFrom('users').select('id').execute();
          await recordAudit(trx, { actorId: null, action: 'test.raced', targetType: 'thing', targetId: String(i) });
          await trx.selectFrom('mailboxes').select('id').execute();
        }),
      ),
    );
    const rows = await ws.db.selectFrom('audit_log').select(['seq', 'hash', 'prev_hash']).orderBy('seq').execute();
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    rows.slice(1).forEach((r, i) => {
      expect(r.prev_hash).toBe(rows[i]?.hash);
    });
    expect(await verifyAuditChain(ws.db)).toMatchObject({ ok: true, records: 30, headSeq: 30, problems: [] });
    await ws.close();
    const cli = await verifyCli(database);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('audit chain intact: 30 records');
  });

  it('rolls the record and the chain head back with the caller’s transaction', async () => {
    const { ws } = await fresh();
    await seed(ws, 2);
    await expect(
      ws.db.transaction().execute(async (trx) => {
        await recordAudit(trx, { actorId: null, action: 'test.doomed', targetType: 'thing' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await seed(ws, 1);
    const rows = await ws.db.selectFrom('audit_log').select(['seq', 'action']).orderBy('seq').execute();
    expect(rows.map((r) => [Number(r.seq), r.action])).toEqual([
      [1, 'test.seeded'],
      [2, 'test.seeded'],
      [3, 'test.seeded'],
    ]);
    expect((await verifyAuditChain(ws.db)).ok).toBe(true);
  });

  it('refuses UPDATE and DELETE on audit records in the database itself', async () => {
    const { ws } = await fresh();
    await seed(ws, 1);
    await expect(ws.db.updateTable('audit_log').set({ action: 'x.y' }).execute()).rejects.toThrow(/append-only/);
    await expect(ws.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
  });

  it('detects an edited record: any column, even one character of the details', async () => {
    const { ws, database } = await fresh();
    await seed(ws, 5);
    await dropAppendOnlyGuard(ws);
    await ws.db.updateTable('audit_log').set({ details: '{"n":3,"note":"记录 3!"}' }).where('seq', '=', 3).execute();
    await ws.db.updateTable('audit_log').set({ ip: '10.0.0.1' }).where('seq', '=', 4).execute();
    const report = await verifyAuditChain(ws.db);
    expect(report.problems.map((p) => [p.kind, p.seq])).toEqual([
      ['edited', 3],
      ['edited', 4],
    ]);
    await ws.close();
    const cli = await verifyCli(database);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/BROKEN #3 edited: record #3 \(.+, test\.seeded\) was edited/);
    expect(cli.stdout).toContain('BROKEN #4 edited');
  });

  it('detects a record removed from the middle, and one removed from the end', async () => {
    const { ws, database } = await fresh();
    await seed(ws, 6);
    await dropAppendOnlyGuard(ws);
    await ws.db.deleteFrom('audit_log').where('seq', '=', 3).execute();
    await ws.db.deleteFrom('audit_log').where('seq', '=', 6).execute();
    const report = await verifyAuditChain(ws.db);
    expect(report.problems.map((p) => [p.kind, p.seq])).toEqual([
      ['missing', 3],
      ['out_of_order', 4],
      ['truncated', 6],
    ]);
    await ws.close();
    const cli = await verifyCli(database);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('BROKEN #3 missing: record #3 is missing (removed)');
    expect(cli.stdout).toContain('BROKEN #6 truncated: the newest records #6–#6 are missing');
  });

  it('detects reordered records (positions swapped)', async () => {
    const { ws, database } = await fresh();
    await seed(ws, 5);
    await dropAppendOnlyGuard(ws);
    // Swap #2 and #3 through a free number (seq is unique).
    await ws.db.updateTable('audit_log').set({ seq: 1000 }).where('seq', '=', 2).execute();
    await ws.db.updateTable('audit_log').set({ seq: 2 }).where('seq', '=', 3).execute();
    await ws.db.updateTable('audit_log').set({ seq: 3 }).where('seq', '=', 1000).execute();
    const report = await verifyAuditChain(ws.db);
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: 'out_of_order', seq: 2, message: expect.stringContaining('records were reordered') }),
    );
    await ws.close();
    const cli = await verifyCli(database);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('BROKEN #2 out_of_order');
  });

  it('detects a forged record whose hash was recomputed but whose link was not', async () => {
    const { ws } = await fresh();
    await seed(ws, 4);
    await dropAppendOnlyGuard(ws);
    const { hashRecord } = await import('../../src/modules/audit/index.js');
    const row = await ws.db.selectFrom('audit_log').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow();
    const forged = { ...row, seq: Number(row.seq), created_at: Number(row.created_at), action: 'test.innocent' };
    await ws.db
      .updateTable('audit_log')
      .set({ action: forged.action, hash: hashRecord(forged) })
      .where('seq', '=', 2)
      .execute();
    const report = await verifyAuditChain(ws.db);
    expect(report.problems.map((p) => [p.kind, p.seq])).toEqual([['out_of_order', 3]]);
  });
});
