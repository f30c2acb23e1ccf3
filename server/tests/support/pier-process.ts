import { type ChildProcess, execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TestDatabase } from './databases.js';

const serverDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');

/** Runs the built CLI (`npm run pier -- …`) against a test workspace. */
export async function runCli(database: TestDatabase, args: string[], input?: string) {
  const globals = ['--data-dir', database.dataDir, ...(database.databaseUrl ? ['--database-url', database.databaseUrl] : [])];
  const child = promisify(execFile)(process.execPath, [path.join(serverDist, 'cli.js'), ...globals, ...args], {
    env: { ...process.env, DATABASE_URL: '', PIER_DATA_DIR: '' },
  });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return child;
}

export type PierProcess = {
  url: string;
  smtpPort: number;
  process: ChildProcess;
  output: () => string;
  /** Moves the server's clock `ms` forward (PIER_TEST_CLOCK over IPC); resolves with its new time. */
  advanceClock(ms: number): Promise<number>;
  stop(signal?: NodeJS.Signals): Promise<void>;
};

/**
 * Starts the built server (`node server/dist/main.js`, what `npm start` runs) on
 * free loopback ports and waits for its "running" log line. Its clock can be moved
 * (PIER_TEST_CLOCK with NODE_ENV=test, over the IPC channel).
 */
export async function startPierProcess(
  database: TestDatabase,
  env: Record<string, string> = {},
  options: { startTimeoutMs?: number } = {},
): Promise<PierProcess> {
  const child = spawn(process.execPath, [path.join(serverDist, 'main.js')], {
    env: {
      ...process.env,
      PIER_HOST: '127.0.0.1',
      PIER_PORT: '0',
      PIER_SMTP_PORT: '0',
      PIER_DATA_DIR: database.dataDir,
      DATABASE_URL: database.databaseUrl ?? '',
      PIER_LOG_LEVEL: 'info',
      // SPF/DKIM lookups go to a closed loopback port: tests never query a real DNS server.
      PIER_DNS_SERVERS: '127.0.0.1:1',
      NODE_ENV: 'test',
      PIER_TEST_CLOCK: '1',
      // The test bench's Dovecot, Postfix and OAuth server listen on loopback, a private address Pier refuses by default.
      PIER_ALLOW_PRIVATE_HOSTS: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const { stdout, stderr } = child;
  if (!stdout || !stderr) throw new Error('spawn gave no stdout/stderr pipes');
  let output = '';
  stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = await new Promise<{ url: string; smtpPort: number }>((resolve, reject) => {
    const limit = options.startTimeoutMs ?? 20_000;
    const timer = setTimeout(() => {
      // Not left running: a server that never said it was up would keep its ports and CPU through the next files.
      child.kill('SIGKILL');
      reject(new Error(`Pier did not start within ${limit / 1000} s:\n${output}`));
    }, limit);
    const check = () => {
      for (const line of output.split('\n')) {
        if (!line.includes('Pier is running')) continue;
        const entry = JSON.parse(line) as { url: string; smtpPort: number };
        clearTimeout(timer);
        return resolve(entry);
      }
    };
    stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Pier exited with ${code} before it was running:\n${output}`));
    });
  });
  return {
    ...started,
    process: child,
    output: () => output,
    advanceClock(ms) {
      return new Promise<number>((resolve, reject) => {
        const onMessage = (message: { pierTestClock?: string; now?: number }) => {
          if (message?.pierTestClock !== 'advanced') return;
          child.off('message', onMessage);
          resolve(Number(message.now));
        };
        child.on('message', onMessage);
        child.send({ pierTestClock: 'advance', ms }, (error) => {
          if (error) {
            child.off('message', onMessage);
            reject(error);
          }
        });
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
