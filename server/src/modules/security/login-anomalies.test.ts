import { describe, expect, it } from 'vitest';
import { deviceOf } from './device.js';
import { countryOf, distanceBetweenCountriesKm } from './geo.js';
import { failureBurst, type PastLogin, successAnomalies } from './login-anomalies.js';

const hour = 3_600_000;
const chromeWindows = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const safariIphone =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

describe('GeoIP from the shipped database', () => {
  it('places public IPv4 and IPv6 addresses and leaves loopback, private, link-local and documentation ranges unknown', () => {
    expect(countryOf('8.8.8.8')).toBe('US');
    expect(countryOf('::ffff:8.8.8.8')).toBe('US');
    expect(countryOf('123.45.67.8')).toBe('KR');
    expect(countryOf('127.0.0.1')).toBeNull();
    expect(countryOf('192.168.1.20')).toBeNull();
    expect(countryOf('::1')).toBeNull();
    // IPv6 (GeoLite2 data of geoip-country): Google DNS, Deutsche Telekom, China Telecom, CERNET.
    expect(countryOf('2001:4860:4860::8888')).toBe('US');
    expect(countryOf('2003:e8:1234::1')).toBe('DE');
    expect(countryOf('240e:3b0::1')).toBe('CN');
    expect(countryOf('2001:DA8:8000::1')).toBe('CN');
    expect(countryOf('fe80::1')).toBeNull();
    expect(countryOf('fd00::1')).toBeNull();
    expect(countryOf('2001:db8::1')).toBeNull();
    expect(countryOf('not-an-ip')).toBeNull();
    expect(countryOf(null)).toBeNull();
  });

  it('measures the distance between country centroids', () => {
    expect(distanceBetweenCountriesKm('CN', 'DE')).toBeGreaterThan(6000);
    expect(distanceBetweenCountriesKm('DE', 'AT')).toBeLessThan(1000);
    expect(distanceBetweenCountriesKm('DE', 'XX')).toBeUndefined();
  });
});

describe('device summary', () => {
  it('names browser and system, stable across versions', () => {
    expect(deviceOf(chromeWindows)).toBe('Chrome on Windows');
    expect(deviceOf(chromeWindows.replace('131.0', '132.0'))).toBe('Chrome on Windows');
    expect(deviceOf(safariIphone)).toBe('Safari on iOS');
    expect(deviceOf(null)).toBeNull();
  });
});

describe('unusual sign-in', () => {
  const t0 = Date.UTC(2026, 10, 2, 8);
  const usual: PastLogin[] = [
    { at: t0, country: 'CN', device: 'Chrome on Windows', result: 'success' },
    { at: t0 + 24 * hour, country: 'CN', device: 'Chrome on Windows', result: 'success' },
  ];

  it('says nothing about the very first sign-in or a usual one', () => {
    expect(successAnomalies({ at: t0, country: 'CN', device: 'Chrome on Windows' }, [])).toEqual([]);
    expect(successAnomalies({ at: t0 + 48 * hour, country: 'CN', device: 'Chrome on Windows' }, usual)).toEqual([]);
  });

  it('flags a new device', () => {
    expect(successAnomalies({ at: t0 + 48 * hour, country: 'CN', device: 'Safari on iOS' }, usual)).toEqual([
      { code: 'new_device', device: 'Safari on iOS' },
    ]);
  });

  it('flags a new country, and impossible travel when it is too far too soon', () => {
    const twoHoursLater = successAnomalies({ at: t0 + 26 * hour, country: 'NG', device: 'Chrome on Windows' }, usual);
    expect(twoHoursLater.map((a) => a.code)).toEqual(['new_country', 'impossible_travel']);
    expect(twoHoursLater[1]).toMatchObject({ from: 'CN', to: 'NG', hours: 2 });
    const aWeekLater = successAnomalies({ at: t0 + 24 * 8 * hour, country: 'NG', device: 'Chrome on Windows' }, usual);
    expect(aWeekLater.map((a) => a.code)).toEqual(['new_country']);
  });

  it('does not call a short hop to a neighbour impossible', () => {
    const history: PastLogin[] = [{ at: t0, country: 'DE', device: 'Chrome on Windows', result: 'success' }];
    expect(successAnomalies({ at: t0 + hour, country: 'AT', device: 'Chrome on Windows' }, history).map((a) => a.code)).toEqual([
      'new_country',
    ]);
  });

  it('ignores failed attempts when learning the usual countries', () => {
    const history: PastLogin[] = [...usual, { at: t0 + 30 * hour, country: 'NG', device: 'Chrome on Windows', result: 'bad_password' }];
    expect(successAnomalies({ at: t0 + 40 * hour, country: 'NG', device: 'Chrome on Windows' }, history).map((a) => a.code)).toContain(
      'new_country',
    );
  });

  it('finds a burst of failed attempts within 15 minutes', () => {
    const failures = (n: number, spacingMs: number): PastLogin[] =>
      Array.from({ length: n }, (_, i) => ({ at: t0 + i * spacingMs, country: null, device: null, result: 'bad_password' }));
    expect(failureBurst(t0 + 4 * 60_000, failures(5, 60_000))).toMatchObject({ code: 'failure_burst', failures: 5 });
    expect(failureBurst(t0 + 40 * 60_000, failures(5, 10 * 60_000))).toBeUndefined();
    expect(failureBurst(t0 + 4 * 60_000, failures(4, 60_000))).toBeUndefined();
  });
});
