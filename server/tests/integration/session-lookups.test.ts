import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MovableClock } from '../../src/clock.js';
import type { Workspace } from '../../src/compose.js';
import { createAccount } from '../../src/modules/security/index.js';
import { invalidateSessionCache, SESSION_CACHE_MS } from '../../src/modules/security/session-cache.js';
import { defaultSessionTimeouts, resolveSessionCached, startSession } from '../../src/modules/security/sessions.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { openTestWorkspace } from '../support/workspace.js';

/** Counts the statements run through a Kysely instance, by kind (SelectQueryNode, UpdateQueryNode, …). */
function statementCounter() {
  const counts = new Map<string, number>();
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      const kind = (args.node as RootOperationNode).kind;
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { plugin, count: (kind: string) => counts.get(kind) ?? 0, reset: () => counts.clear() };
}

/**
 * The guard's session cache under concurrent requests (decision record 0014): when a session's
 * entry runs out, the requests that arrive together share one lookup — one read of the session and
 * grants, at most one last_seen_at touch (a write that empties every node's list cache) — instead
 * of one each.
 */
describe.each(engines)('session lookups under concurrent requests on %s', (engine) => {
  let database: TestDatabase;
  let ws: Workspace & { clock: MovableClock };
  let token: string;
  let userId: string;
  const counter = statementCounter();
  let counted: Workspace['db'];
  const resolveMany = (n: number) =>
    Promise.all(Array.from({ length: n }, () => resolveSessionCached(counted, token, defaultSessionTimeouts, ws.clock)));

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openTestWorkspace(database);
    counted = ws.db.withPlugin(counter.plugin);
    userId = (await createAccount(ws.db, { email: 'agent@acme.test', name: 'Agent', password, role: 'agent' })).id;
    ({ token } = await startSession(
      ws.db,
      userId,
      { ip: null, userAgent: null },
      { secondFactor: 'done', timeouts: defaultSessionTimeouts },
    ));
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });
  beforeEach(() => {
    invalidateSessionCache();
    counter.reset();
  });

  it('32 requests arriving together read the session once and touch it once', async () => {
    // last_seen_at is due to be written (more than a minute ago).
    ws.clock.advance(61_000);
    const answers = await resolveMany(32);
    expect(answers.map((a) => a?.user.id)).toEqual(Array(32).fill(userId));
    // The session with its user, then the grants: one of each, and one touch.
    expect(counter.count('SelectQueryNode')).toBe(2);
    expect(counter.count('UpdateQueryNode')).toBe(1);

    // Kept for SESSION_CACHE_MS: the next burst reads nothing; once it has run out, one lookup again.
    await resolveMany(32);
    expect(counter.count('SelectQueryNode')).toBe(2);
    ws.clock.advance(SESSION_CACHE_MS + 1);
    await resolveMany(32);
    expect(counter.count('SelectQueryNode')).toBe(4);
    expect(counter.count('UpdateQueryNode')).toBe(1);
  });

  it('a request after an invalidation does not join a lookup that began before it', async () => {
    const before = resolveSessionCached(counted, token, defaultSessionTimeouts, ws.clock);
    invalidateSessionCache();
    const after = resolveSessionCached(counted, token, defaultSessionTimeouts, ws.clock);
    expect((await before)?.user.id).toBe(userId);
    expect((await after)?.user.id).toBe(userId);
    expect(counter.count('SelectQueryNode')).toBe(4);
  });

  it('a revoked session is refused to every request of the next burst', async () => {
    await resolveMany(4);
    await ws.db.updateTable('sessions').set({ expires_at: 0 }).where('user_id', '=', userId).execute();
    invalidateSessionCache();
    expect(await resolveMany(8)).toEqual(Array(8).fill(undefined));
  });
});
