import { distanceBetweenCountriesKm } from './geo.js';

/**
 * Unusual-login detection as pure functions over the account's login history,
 * so each rule is tested with plain data. Thresholds are deliberately plain:
 * an alert a sales assistant understands beats a score nobody can explain.
 */
export type PastLogin = { at: number; country: string | null; device: string | null; result: string };
export type ThisLogin = { at: number; country: string | null; device: string | null };
export type Anomaly =
  | { code: 'new_country'; country: string; knownCountries: string[] }
  | { code: 'new_device'; device: string }
  | { code: 'impossible_travel'; from: string; to: string; distanceKm: number; hours: number }
  | { code: 'failure_burst'; failures: number; minutes: number };

/** Faster than an airliner over a distance longer than a neighbouring country's centroid gap. */
const MAX_TRAVEL_KMH = 900;
const MIN_TRAVEL_KM = 1000;
const CREDENTIAL_FAILURES = new Set(['bad_password', 'bad_second_factor']);
export const FAILURE_BURST = { count: 5, windowMs: 15 * 60_000 };

/** Anomalies of a successful sign-in, against the earlier successful ones. */
export function successAnomalies(login: ThisLogin, history: readonly PastLogin[]): Anomaly[] {
  const earlier = history.filter((h) => h.result === 'success' && h.at < login.at);
  if (earlier.length === 0) return []; // the first sign-in has nothing to compare with
  const anomalies: Anomaly[] = [];
  const knownCountries = [...new Set(earlier.map((h) => h.country).filter((c): c is string => c !== null))];
  if (login.country && !knownCountries.includes(login.country)) {
    anomalies.push({ code: 'new_country', country: login.country, knownCountries });
  }
  if (login.device && !earlier.some((h) => h.device === login.device)) {
    anomalies.push({ code: 'new_device', device: login.device });
  }
  const previous = earlier.filter((h) => h.country !== null).sort((a, b) => b.at - a.at)[0];
  if (login.country && previous?.country && previous.country !== login.country) {
    const distanceKm = distanceBetweenCountriesKm(previous.country, login.country);
    const hours = Math.max((login.at - previous.at) / 3_600_000, 1 / 60);
    if (distanceKm !== undefined && distanceKm >= MIN_TRAVEL_KM && distanceKm / hours > MAX_TRAVEL_KMH) {
      anomalies.push({ code: 'impossible_travel', from: previous.country, to: login.country, distanceKm: Math.round(distanceKm), hours });
    }
  }
  return anomalies;
}

/** A burst of failed attempts on one account within the window (counting the one just made). */
export function failureBurst(now: number, history: readonly PastLogin[]): Anomaly | undefined {
  const failures = history.filter((h) => h.at > now - FAILURE_BURST.windowMs && CREDENTIAL_FAILURES.has(h.result));
  return failures.length >= FAILURE_BURST.count
    ? { code: 'failure_burst', failures: failures.length, minutes: FAILURE_BURST.windowMs / 60_000 }
    : undefined;
}
