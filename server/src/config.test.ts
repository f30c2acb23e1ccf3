import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('starts on the embedded defaults with no variables set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      databaseUrl: undefined,
      smtp: { enabled: true, host: '127.0.0.1', port: 2525 },
    });
    expect(config.dataDir).toBe(path.resolve('data'));
  });

  it('reads each documented variable', () => {
    const config = loadConfig({
      PIER_HOST: '::1',
      PIER_PORT: '9000',
      PIER_DATA_DIR: '/srv/pier',
      PIER_SMTP_PORT: '2526',
      DATABASE_URL: 'postgres://pier@127.0.0.1/pier',
      PIER_PUBLIC_URL: 'https://pier.acme.test',
    });
    expect(config).toMatchObject({
      host: '::1',
      port: 9000,
      dataDir: '/srv/pier',
      databaseUrl: 'postgres://pier@127.0.0.1/pier',
      smtp: { port: 2526 },
    });
  });

  it.each([
    ['PIER_PORT', 'eighty'],
    ['PIER_PORT', '70000'],
    ['PIER_SMTP_PORT', '-1'],
    ['DATABASE_URL', 'mysql://x'],
    ['PIER_SECRET_KEY', 'too-short'],
    ['PIER_SMTP_ENABLED', 'maybe'],
    ['PIER_LOG_LEVEL', 'loud'],
  ])('refuses %s=%s with an error that names the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Invalid configuration: ${name} `));
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PIER_PORT: ' ' })).toMatchObject({ databaseUrl: undefined, port: 8080 });
  });
});
