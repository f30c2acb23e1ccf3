export { type LiveStatus, liveConnection } from './connection';
export { LiveStatusNotice } from './LiveStatusNotice';
export { PresenceBar } from './PresenceBar';
export { useLive, useLiveEvent, usePresence } from './useLive';
