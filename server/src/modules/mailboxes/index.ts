export { findMailboxesByAddresses } from './mailbox-queries.js';
export { createMailbox, findReceivingMailbox, grantMailboxAccess, listMailboxes, listSessionMailboxes } from './mailboxes.js';
export { mailboxRoutes } from './routes.js';
