import { describe, expect, it } from 'vitest';
import { createHostGuard } from '../mailboxes/index.js';
import { checkPushEndpoint, isLiteralRefused } from './endpoint-guard.js';

describe('push endpoint guard', () => {
  const strict = createHostGuard([]);

  it('refuses plain http, credentials in the URL, and private or loopback hosts by default', async () => {
    for (const endpoint of [
      'http://fcm.googleapis.com/fcm/send/x',
      'https://user:pw@fcm.googleapis.com/fcm/send/x',
      'https://127.0.0.1:8443/push',
      'https://[::1]/push',
      'https://10.0.0.5/push',
      'https://169.254.169.254/latest/meta-data',
    ]) {
      await expect(checkPushEndpoint(strict, endpoint), endpoint).rejects.toMatchObject({ code: 'push.endpoint_refused', statusCode: 400 });
    }
  });

  it('judges IP literals at send time too (they connect without a lookup)', () => {
    expect(isLiteralRefused(strict, 'https://127.0.0.1/push')).toBe(true);
    expect(isLiteralRefused(strict, 'https://[fd00::1]/push')).toBe(true);
    expect(isLiteralRefused(strict, 'https://8.8.8.8/push')).toBe(false);
    expect(isLiteralRefused(strict, 'https://updates.push.services.mozilla.com/wpush/v2/x')).toBe(false);
    expect(isLiteralRefused(createHostGuard('all'), 'https://127.0.0.1/push')).toBe(false);
  });
});
