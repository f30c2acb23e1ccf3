import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { Pager } from '../../ui/Pager';
import { useDebouncedValue } from '../../ui/useDebouncedValue';
import { AddMemberForm } from './AddMemberForm';
import { campaignsApi, campaignsKeys, type MemberStatus, type OptInMember } from './api';
import { DataTable } from './DataTable';
import { MemberActions, MemberEditForm } from './MemberEdit';

const PAGE = 50;
const STATUSES: MemberStatus[] = ['subscribed', 'pending', 'unsubscribed', 'suppressed'];

/**
 * A static list's members, paged and searched on the server (decision 0068): counts by status for
 * the whole list, a search by address, name or company, 50 a page; each member's double opt-in state
 * and proof (decision 0059), resending, and adding one contact by hand.
 */
export function ListMembers({ listId, listName }: { listId: string; listName: string }) {
  const { t, i18n } = useTranslation('campaignOptIn');
  const { t: tm } = useTranslation('campaignMembers');
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<MemberStatus | ''>('');
  const [offset, setOffset] = useState(0);
  const [editing, setEditing] = useState<OptInMember | null>(null);
  const q = useDebouncedValue(search.trim(), 250);
  const query = { ...(q ? { q } : {}), ...(status ? { status } : {}), offset, limit: PAGE };
  const members = useQuery({
    queryKey: campaignsKeys.members(listId, query),
    queryFn: () => campaignsApi.members(listId, query),
    placeholderData: keepPreviousData,
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: campaignsKeys.members(listId) });
    void queryClient.invalidateQueries({ queryKey: campaignsKeys.overview });
  };
  const resend = useMutation({ mutationFn: (address?: string) => campaignsApi.resendConfirmation(listId, address), onSuccess: refresh });
  const when = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString(i18n.language));
  if (members.isError) return <Notice>{errorMessage(members.error)}</Notice>;
  if (!members.data) return <p aria-busy="true" />;
  // The page shown is the one the server answered (the previous one stays while the next loads).
  const { counts, statuses, members: rows, total, offset: shown } = members.data;
  const all = STATUSES.reduce((sum, s) => sum + statuses[s], 0);
  return (
    <div className="campaign-compose">
      <p className="hint" data-testid="opt-in-counts">
        {t('counts', counts)}
      </p>
      {counts.pending > 0 ? (
        <div className="campaign-row">
          <button type="button" className="btn" onClick={() => resend.mutate(undefined)} disabled={resend.isPending}>
            {t('resendAll')}
          </button>
          <span className="hint">{t('resendHint')}</span>
        </div>
      ) : null}
      {resend.data ? <p className="hint">{t('resendAllDone', resend.data)}</p> : null}
      {resend.isError ? <Notice>{errorMessage(resend.error)}</Notice> : null}
      <div className="campaign-row member-filters">
        <div className="field">
          <label htmlFor="members-search">{tm('search')}</label>
          <input
            id="members-search"
            className="input"
            type="search"
            value={search}
            maxLength={200}
            data-testid="members-search"
            onChange={(e) => {
              setSearch(e.target.value);
              setOffset(0);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="members-status">{tm('statusFilter')}</label>
          <select
            id="members-status"
            className="input"
            value={status}
            data-testid="members-status"
            onChange={(e) => {
              setStatus(e.target.value as MemberStatus | '');
              setOffset(0);
            }}
          >
            <option value="">{tm('allStatuses', { count: all })}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {tm('statusCount', { label: tm(`statuses.${s}`), count: statuses[s] })}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ul className="member-status-counts" data-testid="members-statuses">
        {STATUSES.map((s) => (
          <li key={s} data-status={s}>
            <span className={`badge member-${s}`}>{tm(`statuses.${s}`)}</span> {statuses[s]}
          </li>
        ))}
      </ul>
      {rows.length === 0 ? <p className="hint">{q || status ? tm('none') : t('empty')}</p> : null}
      {rows.length > 0 ? (
        <DataTable
          testId="opt-in-members"
          head={
            <>
              <th>{t('address')}</th>
              <th>{tm('statusFilter')}</th>
              <th>{t('state')}</th>
              <th className="num">{t('mails')}</th>
              <th>{t('lastMail')}</th>
              <th>{t('evidence')}</th>
              <th>{t('consent')}</th>
              <th />
            </>
          }
        >
          {rows.map((m) => (
            <MemberRow key={m.address} member={m} when={when} onResend={() => resend.mutate(m.address)} busy={resend.isPending}>
              <MemberActions listId={listId} listName={listName} member={m} onEdit={() => setEditing(m)} onChanged={refresh} />
            </MemberRow>
          ))}
        </DataTable>
      ) : null}
      <Pager offset={shown} shown={rows.length} total={total} pageSize={PAGE} onOffset={setOffset} testId="members" />
      {editing ? (
        <MemberEditForm
          key={editing.address}
          listId={listId}
          member={editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) refresh();
          }}
        />
      ) : null}
      <AddMemberForm listId={listId} onAdded={refresh} />
    </div>
  );
}

function MemberRow(props: {
  member: OptInMember;
  when: (ms: number | null) => string;
  onResend: () => void;
  busy: boolean;
  children: React.ReactNode;
}) {
  const { t, i18n } = useTranslation('campaignOptIn');
  const { t: tm } = useTranslation('campaignMembers');
  const { t: tc } = useTranslation('campaigns');
  const { member: m, when } = props;
  return (
    <tr data-state={m.optIn} data-status={m.status}>
      <td>
        <span dir="ltr">{m.address}</span>
        {m.name || m.company ? <span className="hint member-who">{[m.name, m.company].filter(Boolean).join(' · ')}</span> : null}
      </td>
      <td>
        <span className={`badge member-${m.status}`}>{tm(`statuses.${m.status}`)}</span>
        {m.suppressionReason && m.suppressedAt !== null ? (
          <span className="hint member-who">
            {tm('suppressedWhy', {
              reason: tc(`suppression.reasons.${m.suppressionReason}`),
              since: new Date(m.suppressedAt).toLocaleDateString(i18n.language),
            })}
          </span>
        ) : null}
      </td>
      <td>
        <span className={m.optIn === 'confirmed' ? 'badge accent' : 'badge'}>{t(`states.${m.optIn}`)}</span>
        {m.mail && m.optIn !== 'confirmed' ? (
          <span className="hint" title={m.mailError ?? undefined}>
            {' '}
            {t(`mailStates.${m.mail}`)}
          </span>
        ) : null}
      </td>
      <td className="num">{m.mails}</td>
      <td>{when(m.lastMailAt)}</td>
      <td>
        {m.confirmedAt !== null ? (
          <span title={m.confirmedUserAgent ?? undefined}>
            {when(m.confirmedAt)} · <span dir="ltr">{m.confirmedIp ?? '—'}</span>
          </span>
        ) : (
          '—'
        )}
      </td>
      <td>
        {m.signupIp !== null ? <SignupConsent ip={m.signupIp} /> : m.consentSource} ·{' '}
        {new Date(m.consentAt).toLocaleDateString(i18n.language)}
      </td>
      <td>
        {m.optIn === 'pending' || m.optIn === 'expired' ? (
          <button type="button" className="btn" data-testid="member-resend" onClick={props.onResend} disabled={!m.canResend || props.busy}>
            {t('resend')}
          </button>
        ) : null}
        {props.children}
      </td>
    </tr>
  );
}

/** A member who came by the public sign-up form (decision 0071): the source in the reader's language and the requester's IP. */
function SignupConsent({ ip }: { ip: string }) {
  const { t } = useTranslation('campaignSignup');
  return (
    <span data-testid="signup-consent">
      {t('consentSignup')} · <span dir="ltr">{ip}</span>
    </span>
  );
}
