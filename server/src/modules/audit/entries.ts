import type { UserRow } from '../../db/schema.js';
import type { AuditEntry } from './audit-log.js';

/**
 * Ready-made entries for call sites that must stay one line (login is being
 * reworked in parallel): the shape of the record lives here, not in the caller.
 */
export function auditLoginAttempt(attempt: {
  email: string;
  user: Pick<UserRow, 'id' | 'status'> | undefined;
  passwordOk: boolean;
  ip: string | null;
}): AuditEntry {
  const reason = !attempt.user
    ? 'unknown_user'
    : !attempt.passwordOk
      ? 'wrong_password'
      : attempt.user.status !== 'active'
        ? 'disabled'
        : null;
  return {
    // A failed attempt has no proven actor: it is recorded against the account it aimed at.
    actorId: reason === null && attempt.user ? attempt.user.id : null,
    action: reason === null ? 'user.login' : 'user.login_failed',
    targetType: 'user',
    targetId: attempt.user?.id ?? null,
    ip: attempt.ip,
    details: { email: attempt.email.trim().toLowerCase(), ...(reason ? { reason } : {}) },
  };
}

export function auditUserCreated(
  user: Pick<UserRow, 'id' | 'email' | 'role'>,
  via: 'setup' | 'api' | 'cli',
  actorId: string | null = null,
) {
  return {
    actorId: via === 'setup' ? user.id : actorId,
    action: 'user.created',
    targetType: 'user',
    targetId: user.id,
    details: { email: user.email, role: user.role, via },
  } satisfies AuditEntry;
}
