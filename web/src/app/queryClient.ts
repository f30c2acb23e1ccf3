import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiRequestError } from '../api/client';

/** Session keys live here too (not imported from features) to keep this module dependency-free. */
const SESSION_KEY = ['session'] as const;

function shouldRetry(failureCount: number, error: unknown): boolean {
  // A 4xx will not get better by asking again; network blips and 5xx get one more try.
  if (error instanceof ApiRequestError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 1;
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error) => onAuthLost(error) }),
    mutationCache: new MutationCache({ onError: (error) => onAuthLost(error) }),
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 15_000 },
      mutations: { retry: false },
    },
  });

  // The session expired or was revoked while the app was open: forget it, the router sends the user to sign in.
  function onAuthLost(error: unknown) {
    if (error instanceof ApiRequestError && error.status === 401 && error.code === 'auth.required') {
      client.setQueryData(SESSION_KEY, null);
    }
  }

  return client;
}
