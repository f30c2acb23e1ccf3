// A campaign over real Postfix + Dovecot, queued through the CLI contract: throttled by a movable
// clock (5 a minute), and exactly once per recipient although the Pier process is SIGKILLed at the
// worst moment (Postfix accepted the 3rd mail, Pier never heard it): that mail is marked uncertain once
// the sending lease is over (decision 0072), never resent. Needs the built server and the
// bench; buyer+N@customer.test all land in buyer@'s INBOX (Postfix recipient_delimiter).
// PIER_CAMPAIGN_BENCH=1000 runs the same with that many recipients (slow, opt-in) and prints figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SENDING_LEASE_MS } from '../../src/modules/campaigns/cancel.js';
import { addMarketingMailbox, campaignStatusByCli, freePort, queueCampaignByCli, receivedAddresses } from '../support/campaigns.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { emptyMailboxes } from '../support/mail-server.js';
import { mailDeliveredSoFar, startSubmissionProxy } from '../support/outbox.js';
import { type PierProcess, startPierProcess } from '../support/pier-process.js';
import { waitFor } from '../support/wait.js';
import { openTestWorkspace } from '../support/workspace.js';

const customer = 'buyer@customer.test';
const bench = Number(process.env.PIER_CAMPAIGN_BENCH ?? 0);
const count = bench > 0 ? bench : 12;
const rate = bench > 0 ? 10_000 : 5;
const killAt = bench > 0 ? Math.floor(bench / 2) : 3;

describe.each(engines)('campaign sending on %s', (engine) => {
  let database: TestDatabase;
  let pier: PierProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await emptyMailboxes(customer);
  });

  afterAll(async () => {
    await pier?.stop('SIGKILL');
    await database?.drop();
  });

  it(
    `${count} recipients, ${rate} a minute, the process killed after Postfix took mail ${killAt}: every address gets it exactly once`,
    async () => {
      const tag = `news${engine}${Date.now().toString(36)}`;
      const proxy = await startSubmissionProxy(() => {
        if (proxy.accepted() !== killAt) return 'forward';
        pier?.process.kill('SIGKILL');
        return 'swallow';
      });
      const addresses = Array.from({ length: count }, (_, i) => `buyer+${tag}${i}@customer.test`);
      const ws = await openTestWorkspace(database);
      try {
        await addMarketingMailbox(ws, proxy.port);
        if (bench > 0)
          await ws.db
            .insertInto('campaign_provider_limits')
            .values({ preset: 'other', per_minute: 10_000, per_day: 100_000, updated_at: Date.now() })
            .execute();
      } finally {
        await ws.close();
      }
      const queued = await queueCampaignByCli(database, { list: tag, addresses, subject: `${tag} for {{name}}`, ratePerMinute: rate });
      // The contract: exactly these two keys.
      expect(Object.keys(queued.parsed)).toEqual(['campaign', 'recipients']);
      expect(queued.parsed.recipients).toBe(count);
      const id = queued.parsed.campaign;

      const port = await freePort();
      const env = { PIER_PORT: String(port), PIER_PUBLIC_URL: `http://127.0.0.1:${port}` };
      const started = Date.now();
      const cpuBefore = process.cpuUsage();
      try {
        pier = await startPierProcess(database, env, { startTimeoutMs: bench > 0 ? 120_000 : 20_000 });
        const killed = pier;
        await waitFor(async () => killed.process.signalCode ?? undefined, 'the kill to land', bench > 0 ? 600_000 : 30_000);
        expect(proxy.accepted()).toBe(killAt);
        const afterKill = await campaignStatusByCli(database, id);
        expect(afterKill).toMatchObject({ sent: killAt - 1, pending: count - killAt + 1, uncertain: 0 });

        pier = await startPierProcess(database, env, { startTimeoutMs: bench > 0 ? 120_000 : 20_000 });
        const running = pier;
        if (bench === 0) {
          // The first minute's budget: 5, of which 3 went before the crash. The killed run's claim is
          // younger than the lease: counted pending (it may be a live run's, decision 0072), never resent.
          const first = await waitFor(async () => {
            const s = await campaignStatusByCli(database, id);
            return s.sent === 4 ? s : undefined;
          }, 'the rest of the first minute');
          expect(first).toMatchObject({ pending: count - 4, uncertain: 0 });
          expect(proxy.accepted()).toBe(5);
          // A minute later on Pier's clock, five more; then the last two.
          await running.advanceClock(61_000);
          await waitFor(async () => ((await campaignStatusByCli(database, id)).sent === 9 ? true : undefined), 'the second minute');
          expect(proxy.accepted()).toBe(10);
          expect((await campaignStatusByCli(database, id)).pending).toBe(3);
          await running.advanceClock(61_000);
        }
        // All but the killed run's mail sent; after the lease a run marks that one uncertain and the campaign is done.
        await waitFor(
          async () => ((await campaignStatusByCli(database, id)).sent === count - 1 ? true : undefined),
          'every other recipient sent',
          bench > 0 ? 1_800_000 : 30_000,
        );
        await running.advanceClock(SENDING_LEASE_MS);
        const done = await waitFor(
          async () => {
            const s = await campaignStatusByCli(database, id);
            return s.state === 'done' ? s : undefined;
          },
          'the campaign to finish',
          bench > 0 ? 1_800_000 : 30_000,
        );
        const wallMs = Date.now() - started;
        expect(done).toMatchObject({ recipients: count, sent: count - 1, uncertain: 1, failed: 0, pending: 0 });
        expect(proxy.accepted()).toBe(count);
        await mailDeliveredSoFar(customer);
        const received = await receivedAddresses(customer, tag);
        expect(received).toHaveLength(count);
        expect(new Set(received).size).toBe(count);
        expect(received.sort()).toEqual([...addresses].sort());
        if (bench > 0) {
          const cpu = process.cpuUsage(cpuBefore);
          console.info(
            `[campaign bench ${engine}] ${count} recipients, killed at ${killAt}: done in ${wallMs} ms wall (both Pier runs and the CLI status polls); test process CPU user ${(cpu.user / 1e6).toFixed(1)} s sys ${(cpu.system / 1e6).toFixed(1)} s`,
          );
        }
      } finally {
        await pier?.stop();
        await proxy.close();
      }
    },
    bench > 0 ? 3_600_000 : 180_000,
  );
});
