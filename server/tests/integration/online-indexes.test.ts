import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { buildOnlineIndexes } from '../../src/db/online-indexes.js';
import { wroteBefore } from '../../src/modules/rules/facts.js';
import { engines } from '../support/databases.js';
import { useTestWorkspace } from '../support/workspace.js';

/** Indexes on big tables: on PostgreSQL built CONCURRENTLY after the migrations (decision 0065). */
describe.each(engines)('online indexes on %s', (engine) => {
  const workspace = useTestWorkspace(engine);

  const indexState = async (name: string) => {
    if (engine === 'sqlite') {
      const rows = await sql<{
        n: number;
      }>`select count(*) as n from sqlite_master where type = 'index' and name = ${name}`.execute(workspace().db);
      return Number(rows.rows[0]?.n) === 1 ? 'valid' : 'missing';
    }
    const rows = await sql<{
      valid: boolean;
    }>`select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = ${name}`.execute(
      workspace().db,
    );
    const row = rows.rows[0];
    return row ? (row.valid ? 'valid' : 'invalid') : 'missing';
  };

  it('has the first-contact, contact-name and escalated-view indexes once the workspace opened, and building again changes nothing', async () => {
    expect(await indexState('messages_sender_history')).toBe('valid');
    expect(await indexState('contacts_lower_name')).toBe('valid');
    expect(await indexState('conversations_escalated_idx')).toBe('valid');
    expect(await buildOnlineIndexes(workspace().db)).toEqual([]);
  });

  it('builds a missing one again (a build that never finished)', async () => {
    if (engine === 'sqlite') return;
    await sql`drop index messages_sender_history`.execute(workspace().db);
    expect(await indexState('messages_sender_history')).toBe('missing');
    expect(await buildOnlineIndexes(workspace().db)).toEqual(['messages_sender_history']);
    expect(await indexState('messages_sender_history')).toBe('valid');
    // A partial index keeps its condition when built online.
    await sql`drop index conversations_escalated_idx`.execute(workspace().db);
    expect(await buildOnlineIndexes(workspace().db)).toEqual(['conversations_escalated_idx']);
    const def = await sql<{ def: string }>`select pg_get_indexdef('conversations_escalated_idx'::regclass) as def`.execute(workspace().db);
    expect(def.rows[0]?.def).toContain('WHERE (escalated_at IS NOT NULL)');
  });

  it('answers whether a sender wrote before through it', async () => {
    expect(await wroteBefore(workspace().db, 'nobody@example.com', null, Date.now())).toBe(false);
    const plan =
      engine === 'sqlite'
        ? (
            await sql<{
              detail: string;
            }>`explain query plan select id from messages where direction = 'in' and from_addr = 'a@b.c' and received_at < 5 limit 1`.execute(
              workspace().db,
            )
          ).rows.map((r) => r.detail)
        : [];
    if (engine === 'sqlite') expect(plan.join(' ')).toContain('messages_sender_history');
  });
});
