import type { SessionInfo } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { applyAccountLocale } from '../../i18n';
import { forgetPushOnSignOut } from '../push/device';

export const queryKeys = {
  setup: ['setup'] as const,
  session: ['session'] as const,
  conversationsAll: ['conversations'] as const,
  conversations: (mailboxId: string | null, search = '', filter = '') => ['conversations', mailboxId ?? 'all', search, filter] as const,
  health: ['health'] as const,
};

export function useSetupStatus() {
  return useQuery({ queryKey: queryKeys.setup, queryFn: api.setupStatus, staleTime: Number.POSITIVE_INFINITY });
}

/** The signed-in user and their mailboxes; `null` data means nobody is signed in. */
export function useSession(enabled = true) {
  return useQuery({ queryKey: queryKeys.session, queryFn: api.session, enabled, staleTime: 60_000 });
}

/** Store a fresh session (after setup or login) so every screen sees it at once. */
export function useStoreSession() {
  const queryClient = useQueryClient();
  return (info: SessionInfo) => {
    queryClient.setQueryData(queryKeys.setup, { needsSetup: false });
    queryClient.setQueryData(queryKeys.session, info);
    applyAccountLocale(info.user.locale);
  };
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    // This browser stops receiving the person's push notifications first (a shared phone).
    mutationFn: async () => {
      await forgetPushOnSignOut();
      await api.logout();
    },
    // Whatever the server said, this browser is signed out: drop everything it cached.
    onSettled: () => {
      queryClient.removeQueries({ queryKey: queryKeys.conversationsAll });
      queryClient.setQueryData(queryKeys.session, null);
    },
  });
}
