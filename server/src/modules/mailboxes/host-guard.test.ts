import { describe, expect, it } from 'vitest';
import { createHostGuard, PrivateHostError, resolveAllowedHost } from './host-guard.js';

describe('host guard', () => {
  const strict = createHostGuard([]);

  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '224.0.0.1',
  ])('refuses the private or reserved address %s by default', (address) => {
    expect(strict.isAllowed(address)).toBe(false);
  });

  it.each(['8.8.8.8', '1.1.1.1', '2a00:1450:4001:82b::200e', '::ffff:8.8.8.8'])('allows the public address %s', (address) => {
    expect(strict.isAllowed(address)).toBe(true);
  });

  it('allows every private address with "all", and only the listed ones with a list', () => {
    expect(createHostGuard('all').isAllowed('10.1.2.3')).toBe(true);
    const listed = createHostGuard(['10.0.0.0/8', '192.168.1.20', 'fd00::/8']);
    expect(listed.isAllowed('10.200.0.1')).toBe(true);
    expect(listed.isAllowed('192.168.1.20')).toBe(true);
    expect(listed.isAllowed('192.168.1.21')).toBe(false);
    expect(listed.isAllowed('fd12::1')).toBe(true);
    expect(listed.isAllowed('127.0.0.1')).toBe(false);
    expect(listed.isAllowed('::ffff:10.0.0.1')).toBe(true);
  });

  it('resolves a name once and refuses it when it points at loopback, keeping the name for TLS', async () => {
    await expect(resolveAllowedHost(strict, 'localhost')).rejects.toBeInstanceOf(PrivateHostError);
    await expect(resolveAllowedHost(strict, '[::1]')).rejects.toBeInstanceOf(PrivateHostError);
    const allowed = await resolveAllowedHost(createHostGuard('all'), 'localhost');
    expect(allowed.address).toBe('127.0.0.1');
    expect(allowed.servername).toBe('localhost');
    expect(await resolveAllowedHost(strict, '8.8.8.8')).toEqual({ address: '8.8.8.8', servername: undefined });
  });
});
