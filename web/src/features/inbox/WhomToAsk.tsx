import { WhomToAskSchema } from '@pier/contracts';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { http } from '../../api/client';

/** An agent without a mailbox: the names of the admins who can give access (decision 0034). */
export function WhomToAsk() {
  const { t, i18n } = useTranslation();
  const query = useQuery({
    queryKey: ['access', 'whom-to-ask'],
    queryFn: () => http.get('/api/access/whom-to-ask', import.meta.env.DEV && WhomToAskSchema),
  });
  const names = query.data?.names ?? [];
  if (names.length === 0) return <>{t('shell.noMailboxMemberHint')}</>;
  const list = new Intl.ListFormat(i18n.language, { style: 'long', type: 'disjunction' }).format(names);
  return <span data-testid="whom-to-ask">{t('shell.whomToAsk', { names: list })}</span>;
}
