/**
 * English strings of live updates and presence (i18next namespace `live`), registered by
 * `features/live/PresenceBar.tsx`. It defines the shape of `live.zh-CN.ts`.
 */
export const liveEn = {
  presence: {
    label: 'Also here',
    viewing: '{{name}} is viewing',
    replying: '{{name}} is replying',
  },
  status: {
    offline: 'Live updates paused: reconnecting…',
  },
};

/** Same keys as English, any string values. */
export type LiveCatalogue = typeof liveEn;
