import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import type { Database } from '../../src/db/schema.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { hanseMails, TEAM } from '../support/hanse-scenario.js';
import { runCli } from '../support/pier-process.js';
import { addMailbox, withTestWorkspace } from '../support/workspace-setup.js';

type Line = { file: string; score: number; level: string; signals: { code: string }[] };

/** Every table `fraud check` could write to if it were not a pure read. */
const TABLES = [
  'messages',
  'message_contacts',
  'contacts',
  'companies',
  'conversations',
  'fraud_assessments',
  'fraud_bank_identifiers',
  'fraud_trusted_parties',
  'jobs',
  'audit_log',
] as const;

/**
 * Issue 16 through the CLI: `pier import` judges what it imports exactly as live mail is judged
 * (stored assessments, learned bank details), and `pier fraud check` judges files against the
 * workspace as it is now — earlier flagged mail included — without storing anything.
 */
describe.each(engines)('pier import and pier fraud check on the look-alike scenario on %s', (engine) => {
  let database: TestDatabase;
  let dir: string;
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  const file = (key: string) => path.join(dir, `${key}.eml`);

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await withTestWorkspace(database, (ws) => addMailbox(ws, { address: TEAM, name: 'Accounting' }));
    dir = mkdtempSync(path.join(tmpdir(), 'pier-hanse-'));
    for (const [key, mail] of Object.entries(hanseMails(Date.now(), `.cli.${engine}`))) writeFileSync(file(key), mail.raw);
    const opened = openDatabase(database);
    db = opened.db;
    close = () => opened.close();
  });
  afterAll(async () => {
    await close?.();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const counts = async () => {
    const result: Record<string, number> = {};
    for (const table of TABLES) {
      const row = await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      result[table] = Number(row.n);
    }
    return result;
  };

  it('import judges the history and the look-alike like live mail; check judges against it and stores nothing', async () => {
    const imported = await runCli(database, ['import', '--mailbox', TEAM, ...['h1', 'h2', 'h3', 'attack'].map(file)]);
    expect(JSON.parse(imported.stdout)).toMatchObject({ new: 4, failed: 0 });
    const stored = await db
      .selectFrom('fraud_assessments')
      .innerJoin('messages', 'messages.id', 'fraud_assessments.message_id')
      .select(['messages.from_addr', 'fraud_assessments.level', 'fraud_assessments.signals'])
      .orderBy('messages.received_at')
      .execute();
    expect(stored.map((s) => [s.from_addr, s.level])).toEqual([
      ['j.weber@hanse-import.de', 'none'],
      ['j.weber@hanse-import.de', 'none'],
      ['j.weber@hanse-import.de', 'none'],
      ['j.weber@hanse-lmport.de', 'high'],
    ]);
    // The customer's IBAN was learned; the look-alike's was not.
    const ledger = await db.selectFrom('fraud_bank_identifiers').select(['kind', 'value', 'status']).where('kind', '=', 'iban').execute();
    expect(ledger.map((l) => [l.value, l.status]).sort()).toEqual([
      ['DE89370400440532013000', 'trusted'],
      ['GB29NWBK60161331926819', 'unverified'],
    ]);

    const before = await counts();
    const { stdout } = await runCli(database, ['fraud', 'check', '--mailbox', TEAM, ...['g1', 'g2', 'g3', 'attack'].map(file)]);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    expect(lines.map((l) => l.level)).toEqual(['none', 'none', 'none', 'high']);
    // The same verdict as the stored one: one assessment, whichever way the mail came in.
    const storedCodes = (JSON.parse(stored[3]?.signals ?? '[]') as { code: string }[]).map((s) => s.code).sort();
    expect(lines[3]?.signals.map((s) => s.code).sort()).toEqual(storedCodes);
    expect(storedCodes).toEqual(expect.arrayContaining(['lookalike_domain', 'display_name_mismatch', 'new_bank_details', 'thread_hijack']));
    expect(await counts()).toEqual(before);
  });
});
