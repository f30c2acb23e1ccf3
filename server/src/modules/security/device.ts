import Bowser from 'bowser';

/** "Chrome on Windows" from a User-Agent: stable across browser updates, so a new one means a new device. */
export function deviceOf(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  const parsed = Bowser.parse(userAgent);
  const browser = parsed.browser.name;
  const os = parsed.os.name;
  if (!browser && !os) return userAgent.slice(0, 80);
  return [browser ?? 'Unknown browser', os ? `on ${os}` : null].filter(Boolean).join(' ');
}
