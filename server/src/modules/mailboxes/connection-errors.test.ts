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

  it("answers in Pier's own words and keeps the server's (at most 500 characters) for the log only", () => {
    const result = classifyConnectionError({ message: `SSH-2.0-OpenSSH_9.2 ${'x'.repeat(2000)}` });
    expect(result.message).toBe('the server answered in an unexpected way');
    expect(result.serverText?.length).toBe(500);
    const refused = classifyConnectionError({ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 internal-relay-7 says no' });
    expect(refused).toMatchObject({ code: 'connection.auth_failed', message: 'the server refused the login' });
    expect(refused.message).not.toContain('internal-relay');
  });
});
