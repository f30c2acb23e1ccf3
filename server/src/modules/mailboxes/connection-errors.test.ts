import { describe, expect, it } from 'vitest';
import { classifyConnectionError } from './connection-errors.js';

describe('connection error classification', () => {
  it.each([
    [
      { authenticationFailed: true, message: 'Authentication failed', serverResponseCode: 'AUTHENTICATIONFAILED' },
      'connection.auth_failed',
    ],
    [{ code: 'EAUTH', responseCode: 535, message: 'Invalid login: 535 5.7.8 Error: authentication failed' }, 'connection.auth_failed'],
    [
      { authenticationFailed: true, message: 'LOGIN fail. Account is abnormal, service is not open, password is incorrect' },
      'connection.imap_disabled',
    ],
    [{ responseText: 'Unsafe Login. Please contact kefu@188.com for help' }, 'connection.imap_disabled'],
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' }, 'connection.unreachable'],
    [{ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND imap.example.invalid' }, 'connection.unreachable'],
    [{ code: 'ETIMEDOUT', message: 'Connection timed out' }, 'connection.timeout'],
    [{ code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'ssl3_get_record:wrong version number' }, 'connection.tls_failed'],
    [{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' }, 'connection.tls_failed'],
    [{ code: 'ESOCKET', message: 'connect ECONNREFUSED 127.0.0.1:1' }, 'connection.unreachable'],
    [{ code: 'ECONNECTION', message: 'Connection closed unexpectedly' }, 'connection.protocol_error'],
    [{ message: 'Unexpected response' }, 'connection.protocol_error'],
  ])('classifies %j as %s', (error, code) => {
    expect(classifyConnectionError(error).code).toBe(code);
  });

  it('keeps the server words for the detail but never more than 500 characters', () => {
    const result = classifyConnectionError({ message: 'x'.repeat(2000) });
    expect(result.message.length).toBe(500);
  });
});
