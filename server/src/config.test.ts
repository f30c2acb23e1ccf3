import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../tests/support/certificates.js';
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

  it('takes a node name of letters, digits, dots, dashes and underscores, and refuses one that would break holder names', () => {
    expect(loadConfig({}).nodeName).toBeUndefined();
    expect(loadConfig({ PIER_NODE_NAME: 'worker-2.eu' }).nodeName).toBe('worker-2.eu');
    expect(() => loadConfig({ PIER_NODE_NAME: 'a:b' })).toThrow(/^Invalid configuration: PIER_NODE_NAME /);
  });

  it('refuses the movable test clock unless NODE_ENV is test, so production cannot turn it on by accident', () => {
    expect(loadConfig({}).testClock).toBe(false);
    expect(loadConfig({ PIER_TEST_CLOCK: '1', NODE_ENV: 'test' }).testClock).toBe(true);
    for (const nodeEnv of [undefined, 'production', 'development']) {
      expect(() => loadConfig({ PIER_TEST_CLOCK: '1', NODE_ENV: nodeEnv })).toThrow(
        /^Invalid configuration: PIER_TEST_CLOCK is for tests only and needs NODE_ENV=test/,
      );
    }
  });

  it('allows no private mail hosts by default, every one with 1/true, or the listed addresses and ranges', () => {
    expect(loadConfig({}).allowPrivateHosts).toEqual([]);
    expect(loadConfig({ PIER_ALLOW_PRIVATE_HOSTS: '0' }).allowPrivateHosts).toEqual([]);
    expect(loadConfig({ PIER_ALLOW_PRIVATE_HOSTS: '1' }).allowPrivateHosts).toBe('all');
    expect(loadConfig({ PIER_ALLOW_PRIVATE_HOSTS: 'true' }).allowPrivateHosts).toBe('all');
    expect(loadConfig({ PIER_ALLOW_PRIVATE_HOSTS: '10.0.0.0/8, 192.168.1.20,fd00::/8' }).allowPrivateHosts).toEqual([
      '10.0.0.0/8',
      '192.168.1.20',
      'fd00::/8',
    ]);
    for (const bad of ['mail.internal', '10.0.0.0/33', '10.0.0.0/8/1', 'yes please']) {
      expect(() => loadConfig({ PIER_ALLOW_PRIVATE_HOSTS: bad })).toThrow(/^Invalid configuration: PIER_ALLOW_PRIVATE_HOSTS /);
    }
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PIER_PORT: ' ' })).toMatchObject({ databaseUrl: undefined, port: 8080 });
  });

  describe('the SMTP listener certificate (PIER_SMTP_TLS_CERT / PIER_SMTP_TLS_KEY)', () => {
    const one = selfSignedCertificate();
    const other = selfSignedCertificate();
    afterAll(() => {
      rmSync(one.dir, { recursive: true, force: true });
      rmSync(other.dir, { recursive: true, force: true });
    });
    const error = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (e) {
        return e instanceof ConfigError ? e.message : `not a ConfigError: ${String(e)}`;
      }
      return 'no error';
    };

    it('is off by default and read from the two files when both are set', () => {
      expect(loadConfig({}).smtp.tls).toBeUndefined();
      expect(loadConfig({ PIER_SMTP_TLS_CERT: one.certPath, PIER_SMTP_TLS_KEY: one.keyPath }).smtp.tls).toEqual({
        cert: one.cert,
        key: one.key,
      });
    });

    it('refuses half a pair, a missing file, a file that is not PEM and a key of another certificate, naming the variable', () => {
      expect(error({ PIER_SMTP_TLS_CERT: one.certPath })).toMatch(/^Invalid configuration: PIER_SMTP_TLS_KEY must be set too/);
      expect(error({ PIER_SMTP_TLS_KEY: one.keyPath })).toMatch(/^Invalid configuration: PIER_SMTP_TLS_CERT must be set too/);
      expect(error({ PIER_SMTP_TLS_CERT: path.join(one.dir, 'nope.pem'), PIER_SMTP_TLS_KEY: one.keyPath })).toMatch(
        /^Invalid configuration: PIER_SMTP_TLS_CERT cannot read .*nope\.pem.*ENOENT/,
      );
      const garbage = path.join(one.dir, 'garbage.pem');
      writeFileSync(garbage, 'hello');
      expect(error({ PIER_SMTP_TLS_CERT: garbage, PIER_SMTP_TLS_KEY: one.keyPath })).toMatch(
        /^Invalid configuration: PIER_SMTP_TLS_CERT .* is not a PEM certificate/,
      );
      expect(error({ PIER_SMTP_TLS_CERT: one.certPath, PIER_SMTP_TLS_KEY: one.certPath })).toMatch(
        /^Invalid configuration: PIER_SMTP_TLS_KEY .* is not a PEM private key/,
      );
      expect(error({ PIER_SMTP_TLS_CERT: one.certPath, PIER_SMTP_TLS_KEY: other.keyPath })).toMatch(
        /^Invalid configuration: PIER_SMTP_TLS_KEY cannot be used with PIER_SMTP_TLS_CERT: .*key values mismatch/,
      );
    });
  });

  it('reads PIER_TRUST_PROXY as a hop count or a list of proxy addresses and ranges, off when unset', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ PIER_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ PIER_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1,fd00::/8' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
    ]);
  });

  it.each(['0', '11', 'yes', '10.0.0.0/33', '10.0.0/8', '127.0.0.1,', 'proxy.acme.test', '::1/129'])(
    'refuses PIER_TRUST_PROXY=%s with a message naming the variable',
    (value) => {
      expect(() => loadConfig({ PIER_TRUST_PROXY: value })).toThrow(ConfigError);
      expect(() => loadConfig({ PIER_TRUST_PROXY: value })).toThrow(/PIER_TRUST_PROXY must be a number of proxy hops/);
    },
  );
});
