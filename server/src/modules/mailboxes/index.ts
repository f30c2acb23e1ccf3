export { mailboxAccessRoutes } from './access-routes.js';
export { classifyConnectionError, connectionErrorMessage } from './connection-errors.js';
export { testMailboxConnection } from './connection-test.js';
export { type ConnectTarget, createImapClient, createSmtpTransport, PIER_CLIENT_INFO, providerSavesSentMail } from './connections.js';
export { createHostGuard, type HostGuard, type PrivateHostAllowance, PrivateHostError, resolveAllowedHost } from './host-guard.js';
export {
  grantMailboxAccess,
  grantMailboxAccessIn,
  listMailboxAccess,
  revokeMailboxAccess,
  revokeMailboxAccessIn,
} from './mailbox-access.js';
export {
  findMailboxByAddress,
  findMailboxById,
  listActiveImapMailboxes,
  listSendingMailboxes,
  loadOwnAddresses,
  setMailboxStatus,
} from './mailbox-queries.js';
export {
  createMailbox,
  findReceivingMailbox,
  hasImapSettings,
  listMailboxes,
  listSessionMailboxes,
  type MailboxSecret,
  mailboxCredentials,
  openMailboxSecret,
  removeMailbox,
  syncFolderRoles,
  toMailboxDetail,
  updateMailbox,
} from './mailboxes.js';
export { accessTokenSource, connectImap, ensureFreshAccessToken, OAuthRefreshError } from './oauth-tokens.js';
export { mailboxRoutes } from './routes.js';
