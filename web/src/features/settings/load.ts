/**
 * The admin screens are their own chunk (with their own catalogues and styles), so the inbox's
 * first load does not carry them. Links to them call `preloadSettings` on hover or focus, which
 * usually has the chunk in the cache by the time of the click.
 */
export const loadSettings = () => import('./SettingsApp');

export function preloadSettings(): void {
  loadSettings().catch(() => {
    // The route's error boundary reports a failed load when the page is actually opened.
  });
}
