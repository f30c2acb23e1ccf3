export * from './audit.js';
export * from './auth.js';
export * from './common.js';
export * from './conversation-detail.js';
export * from './conversations.js';
export * from './health.js';
export * from './mailboxes.js';
export * from './presets.js';
