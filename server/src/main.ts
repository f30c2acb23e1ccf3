import { type Clock, createMovableClock, systemClock } from './clock.js';
import { createLogger, startPier } from './compose.js';
import { ConfigError, loadConfig } from './config.js';

const startedAt = performance.now();
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}

const logger = createLogger(config);
try {
  const pier = await startPier(config, logger, config.testClock ? testClock() : systemClock);
  logger.info(
    {
      url: pier.url,
      smtpPort: pier.smtpPort,
      database: pier.workspace.database.engine,
      dataDir: config.dataDir,
      startupMs: Math.round(performance.now() - startedAt),
    },
    `Pier is running at ${pier.url || '(worker only)'}`,
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    pier.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error instanceof Error ? error.message : String(error) }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (error) {
  logger.fatal({ err: error instanceof Error ? error.message : String(error) }, 'Pier could not start');
  process.exit(1);
}

/**
 * PIER_TEST_CLOCK (NODE_ENV=test only): the process that started Pier moves its clock over the
 * Node IPC channel, `{ pierTestClock: 'advance', ms }`, answered with `{ pierTestClock: 'advanced', now }`.
 * No network path reaches it (docs/decisions/0028-movable-clock.md).
 */
function testClock(): Clock {
  if (!process.send) throw new ConfigError('PIER_TEST_CLOCK', 'needs an IPC channel to the process that started Pier (spawn with "ipc")');
  const clock = createMovableClock();
  process.on('message', (message: { pierTestClock?: string; ms?: number }) => {
    if (message?.pierTestClock !== 'advance') return;
    const now = clock.advance(Number(message.ms));
    process.send?.({ pierTestClock: 'advanced', now });
  });
  return clock;
}
