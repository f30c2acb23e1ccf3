import type { TriageState } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../session/queries';
import { triageApi, triageKeys } from './api';
import './i18n';

export function useTriage(conversationId: string) {
  return useQuery({ queryKey: triageKeys.triage(conversationId), queryFn: () => triageApi.triage(conversationId), staleTime: 5_000 });
}

export function usePeople(conversationId: string, enabled: boolean) {
  return useQuery({
    queryKey: triageKeys.people(conversationId),
    queryFn: () => triageApi.people(conversationId),
    enabled,
    staleTime: 60_000,
  });
}

/**
 * A triage change: the answer is the new state (shown at once); the timeline,
 * the list and the sidebar counts are then refetched, since the change moved them.
 */
export function useTriageAction<A>(conversationId: string, run: (args: A) => Promise<TriageState | unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => {
      // The conversation's detail (timeline, facets) and its triage state share this prefix.
      void queryClient.invalidateQueries({ queryKey: ['conversation', conversationId] });
      void queryClient.invalidateQueries({ queryKey: queryKeys.conversationsAll });
      void queryClient.invalidateQueries({ queryKey: triageKeys.views });
    },
  });
}
