import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy.js';
import { lockDuration } from './throttle.js';

describe('password policy', () => {
  it('wants 12 characters, no common password and not the email', () => {
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem('qwertyuiop123')).toMatch(/common/);
    expect(passwordProblem('Password1234')).toMatch(/common/);
    expect(passwordProblem('li.wei@acme.test', 'Li.Wei@acme.test')).toMatch(/email/);
    expect(passwordProblem('correct horse battery staple', 'li.wei@acme.test')).toBeUndefined();
  });
});

describe('lockout backoff', () => {
  it('starts at one minute at the threshold, doubles, and stops at an hour', () => {
    expect(lockDuration(4, 5)).toBe(0);
    expect(lockDuration(5, 5)).toBe(60_000);
    expect(lockDuration(6, 5)).toBe(120_000);
    expect(lockDuration(8, 5)).toBe(480_000);
    expect(lockDuration(30, 5)).toBe(3_600_000);
  });
});
