import type { ErrorCode } from '@pier/contracts';

/**
 * A user-facing error: a stable code (translated by the web app), an HTTP
 * status and an English message for API clients and logs.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly statusCode: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
