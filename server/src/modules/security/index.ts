export {
  accessToMailbox,
  bestAccess,
  includesAccess,
  type MailboxScope,
  mailboxIdsWith,
  mailboxScopeFor,
  mayWrite,
} from './access-policy.js';
export { completeSetup, createAccount, type NewAccount, needsSetup } from './accounts.js';
export { tokenScopeNeeded } from './api-token-policy.js';
export { bearerTokenOf, createApiToken, listApiTokens, revokeApiToken } from './api-tokens.js';
export { deviceOf } from './device.js';
export { countryOf } from './geo.js';
export { type ApiRouteRecord, administers, apiActorOf, apiRoutesOf, type RouteAccess, registerGuard, requireAuth } from './guard.js';
export { hashPassword, verifyPassword } from './passwords.js';
export { resolvePublicUrl } from './public-url.js';
export { securityRoutes } from './routes.js';
export { createSecretBox, loadSecretKey, type SecretBox } from './secret-box.js';
export {
  createSecurityMailer,
  type SecurityMail,
  type SecurityMailer,
  type SendingMailbox,
  type SystemMailSender,
  securityMailJob,
} from './security-mail.js';
export { type AuthContext, defaultSessionTimeouts, purgeExpiredSessions, resolveSession, type SessionTimeouts } from './sessions.js';
