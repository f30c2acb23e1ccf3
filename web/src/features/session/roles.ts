import type { Role } from '@pier/contracts';

/** Admins and super admins manage mailboxes, users and security settings. */
export function isAdminRole(role: Role): boolean {
  return role === 'super_admin' || role === 'admin';
}
