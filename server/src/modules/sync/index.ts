export { type FolderSyncStats, type SyncDeps, type SyncTraceEvent, syncFolder } from './folder-sync.js';
export { type ImportCounts, importMailFiles } from './import-files.js';
export { acquireLease, releaseLease } from './leases.js';
export { type MailboxSyncReport, pickFolders, syncMailboxOnce } from './mailbox-sync.js';
export { syncProgressOf, syncProgressRoutes } from './progress.js';
export { importRoutes } from './routes.js';
export { startSyncSupervisor } from './sync-supervisor.js';
