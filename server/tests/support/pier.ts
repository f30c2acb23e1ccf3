import pino, { type Logger } from 'pino';
import { createMovableClock, type MovableClock } from '../../src/clock.js';
import { type RunningPier, startPier } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import type { TestDatabase } from './databases.js';
import { createApiClient } from './http-client.js';
import { TEST_PASSWORD } from './users.js';
import { onTestMailboxesChanged } from './workspace.js';

/**
 * Starts a whole Pier (HTTP, SMTP listener, worker) in this process on free loopback ports,
 * with a clock the test moves (`pier.clock.advance(ms)`) instead of sleeping.
 */
export async function startTestPier(
  database: TestDatabase,
  env: Record<string, string> = {},
  /** A test that reads what Pier logs passes its own (pino writing to a stream it reads); else silent. */
  logger: Logger = pino({ level: 'silent' }),
): Promise<
  RunningPier & { clock: MovableClock; api: (options?: Parameters<typeof createApiClient>[1]) => ReturnType<typeof createApiClient> }
> {
  const config = loadConfig({
    PIER_HOST: '127.0.0.1',
    PIER_PORT: '0',
    PIER_SMTP_HOST: '127.0.0.1',
    PIER_SMTP_PORT: '0',
    PIER_DATA_DIR: database.dataDir,
    PIER_LOG_LEVEL: 'silent',
    // SPF/DKIM lookups go to a closed loopback port: tests never query a real DNS server.
    PIER_DNS_SERVERS: '127.0.0.1:1',
    // The test bench's Dovecot, Postfix and OAuth server listen on loopback, a private address Pier refuses by default.
    // A test passes PIER_ALLOW_PRIVATE_HOSTS: '' to see the default.
    PIER_ALLOW_PRIVATE_HOSTS: '1',
    ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    ...env,
  });
  const clock = createMovableClock();
  const pier = await startPier(config, logger, clock);
  onTestMailboxesChanged(pier.workspace, pier.rescanMailboxes);
  return { ...pier, clock, api: (options) => createApiClient(pier.url, options) };
}

/** An API client per account, each signed in with TEST_PASSWORD (accounts without a second factor). */
export async function signedInClients<K extends string>(
  pier: { api: () => ReturnType<typeof createApiClient> },
  emails: Record<K, string>,
): Promise<Record<K, ReturnType<typeof createApiClient>>> {
  const clients = {} as Record<K, ReturnType<typeof createApiClient>>;
  for (const [who, email] of Object.entries(emails) as [K, string][]) {
    clients[who] = pier.api();
    const response = await clients[who].post('/api/auth/login', { email, password: TEST_PASSWORD });
    if (response.status !== 200) throw new Error(`${email} could not sign in: ${response.status}`);
  }
  return clients;
}
