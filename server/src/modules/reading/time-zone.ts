/**
 * The IANA zone to show "local time now" for a country. One-zone countries come
 * from ICU (Intl.Locale); for countries spanning several zones ICU lists them
 * alphabetically, so the zone of the main business centre is named here.
 */
const MAIN_ZONE: Record<string, string> = {
  AR: 'America/Argentina/Buenos_Aires',
  AU: 'Australia/Sydney',
  BR: 'America/Sao_Paulo',
  CA: 'America/Toronto',
  CD: 'Africa/Kinshasa',
  CL: 'America/Santiago',
  CN: 'Asia/Shanghai',
  DE: 'Europe/Berlin',
  EC: 'America/Guayaquil',
  ES: 'Europe/Madrid',
  FM: 'Pacific/Pohnpei',
  GL: 'America/Nuuk',
  ID: 'Asia/Jakarta',
  KI: 'Pacific/Tarawa',
  KZ: 'Asia/Almaty',
  MN: 'Asia/Ulaanbaatar',
  MX: 'America/Mexico_City',
  MY: 'Asia/Kuala_Lumpur',
  NZ: 'Pacific/Auckland',
  PF: 'Pacific/Tahiti',
  PG: 'Pacific/Port_Moresby',
  PS: 'Asia/Gaza',
  PT: 'Europe/Lisbon',
  RU: 'Europe/Moscow',
  UA: 'Europe/Kyiv',
  UM: 'Pacific/Wake',
  US: 'America/New_York',
  UZ: 'Asia/Tashkent',
  CY: 'Asia/Nicosia',
  EG: 'Africa/Cairo',
  GB: 'Europe/London',
  IN: 'Asia/Kolkata',
};

type LocaleWithZones = Intl.Locale & { timeZones?: string[]; getTimeZones?: () => string[] };

export function timeZoneOfCountry(country: string | null): string | null {
  if (!country || !/^[A-Z]{2}$/.test(country)) return null;
  const main = MAIN_ZONE[country];
  if (main) return main;
  try {
    const locale = new Intl.Locale(`und-${country}`) as LocaleWithZones;
    const zones = locale.getTimeZones?.() ?? locale.timeZones ?? [];
    return zones.find((zone) => !zone.startsWith('Antarctica/')) ?? null;
  } catch {
    return null;
  }
}
