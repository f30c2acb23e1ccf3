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
  const pier = await startPier(config, logger);
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
