import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { Field } from '../../ui/Field';
import { Notice } from '../../ui/Notice';
import { Pager } from '../../ui/Pager';
import { useDebouncedValue } from '../../ui/useDebouncedValue';
import { type SuppressionRow, suppressionApi, suppressionKeys } from './admin-api';
import type { Suppression } from './api';
import { DataTable } from './DataTable';

const PAGE = 50;
const REASONS: Suppression['reason'][] = ['unsubscribed', 'hard_bounce', 'complaint', 'manual'];

/**
 * Who no campaign may mail, and why (decision 0072): paged and searched on the server, with the
 * campaign that caused it; an admin adds an address by hand, or takes a bounced one off with a note.
 * An unsubscribe or a complaint has no button: the row says why.
 */
export function SuppressionSection() {
  const { t, i18n } = useTranslation('campaigns');
  const { t: ts } = useTranslation('campaignSuppression');
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [reason, setReason] = useState<Suppression['reason'] | ''>('');
  const [offset, setOffset] = useState(0);
  const [lifting, setLifting] = useState<SuppressionRow | null>(null);
  const [address, setAddress] = useState('');
  const q = useDebouncedValue(search.trim(), 250);
  const query = { ...(q ? { q } : {}), ...(reason ? { reason } : {}), offset, limit: PAGE };
  const list = useQuery({
    queryKey: suppressionKeys.page(query),
    queryFn: () => suppressionApi.page(query),
    placeholderData: keepPreviousData,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: suppressionKeys.all });
  const add = useMutation({
    mutationFn: () => suppressionApi.suppress(address),
    onSuccess: () => {
      setAddress('');
      void refresh();
    },
  });
  const lifted = useMutation({
    mutationFn: (input: { address: string; note: string }) => suppressionApi.lift(input.address, input.note),
    onSuccess: () => {
      setLifting(null);
      void refresh();
      void queryClient.invalidateQueries({ queryKey: ['campaigns', 'overview'] });
    },
  });
  const data = list.data;
  const all = data ? REASONS.reduce((sum, r) => sum + data.reasons[r], 0) : 0;
  return (
    <section className="campaigns-section" aria-labelledby="campaigns-suppression-title" data-testid="suppression-section">
      <h3 id="campaigns-suppression-title">{t('suppression.title')}</h3>
      <p className="hint">{t('suppression.intro')}</p>
      <form
        className="campaign-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (address.trim()) add.mutate();
        }}
      >
        <Field
          id="suppress-address"
          label={t('suppression.address')}
          type="email"
          value={address}
          onChange={(e) => setAddress(e.target.value)}
        />
        <button type="submit" className="btn" disabled={!address.trim() || add.isPending}>
          {t('suppression.add')}
        </button>
      </form>
      {add.isError ? <Notice>{errorMessage(add.error)}</Notice> : null}
      {lifted.data ? (
        <p className="hint" role="status" data-testid="suppression-lifted">
          {ts('lifted', { address: lifted.data.address })}
        </p>
      ) : null}
      <div className="campaign-row member-filters">
        <div className="field">
          <label htmlFor="suppression-search">{ts('search')}</label>
          <input
            id="suppression-search"
            className="input"
            type="search"
            value={search}
            maxLength={200}
            data-testid="suppression-search"
            onChange={(e) => {
              setSearch(e.target.value);
              setOffset(0);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="suppression-reason">{ts('reasonFilter')}</label>
          <select
            id="suppression-reason"
            className="input"
            value={reason}
            data-testid="suppression-reason"
            onChange={(e) => {
              setReason(e.target.value as Suppression['reason'] | '');
              setOffset(0);
            }}
          >
            <option value="">{ts('allReasons', { count: all })}</option>
            {REASONS.map((r) => (
              <option key={r} value={r}>
                {ts('reasonCount', { label: t(`suppression.reasons.${r}`), count: data?.reasons[r] ?? 0 })}
              </option>
            ))}
          </select>
        </div>
      </div>
      {list.isError ? <Notice>{errorMessage(list.error)}</Notice> : null}
      {data && data.suppressions.length === 0 ? <p className="hint">{q || reason ? ts('none') : t('suppression.empty')}</p> : null}
      {data && data.suppressions.length > 0 ? (
        <DataTable
          testId="campaign-suppressions"
          head={
            <>
              <th>{t('suppression.address')}</th>
              <th>{t('suppression.reason')}</th>
              <th>{t('suppression.since')}</th>
              <th>{ts('source')}</th>
              <th />
            </>
          }
        >
          {data.suppressions.map((s) => (
            <tr key={s.address} data-reason={s.reason}>
              <td dir="ltr">{s.address}</td>
              <td>
                {t(`suppression.reasons.${s.reason}`)}
                {s.detail ? <span className="hint member-who">{s.detail}</span> : null}
              </td>
              <td>{new Date(s.createdAt).toLocaleString(i18n.language)}</td>
              <td>
                {s.campaignSubject ? ts('sourceCampaign', { subject: s.campaignSubject }) : s.reason === 'manual' ? ts('sourceNone') : '—'}
              </td>
              <td className="suppression-action">
                {s.liftable ? (
                  <button type="button" className="btn btn-sm" data-testid="suppression-lift" onClick={() => setLifting(s)}>
                    {ts('lift')}
                  </button>
                ) : (
                  <span className="hint" data-testid="suppression-why">
                    {ts(`whyNoButton.${s.reason === 'complaint' ? 'complaint' : 'unsubscribed'}`)}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {data ? (
        <Pager
          offset={data.offset}
          shown={data.suppressions.length}
          total={data.total}
          pageSize={PAGE}
          onOffset={setOffset}
          testId="suppression-pager"
        />
      ) : null}
      {lifting ? (
        <LiftForm
          key={lifting.address}
          row={lifting}
          busy={lifted.isPending}
          onCancel={() => setLifting(null)}
          onLift={(note) => lifted.mutate({ address: lifting.address, note })}
        />
      ) : null}
      {lifted.isError ? <Notice>{errorMessage(lifted.error)}</Notice> : null}
    </section>
  );
}

/** The note an admin must give before a bounced address is mailed again. */
function LiftForm(props: { row: SuppressionRow; busy: boolean; onCancel: () => void; onLift: (note: string) => void }) {
  const { t } = useTranslation('campaignSuppression');
  const [note, setNote] = useState('');
  return (
    <form
      className="campaign-compose suppression-lift"
      data-testid="suppression-lift-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (note.trim()) props.onLift(note.trim());
      }}
    >
      <h4 dir="auto">{t('liftTitle', { address: props.row.address })}</h4>
      <p className="hint">{t('liftIntro')}</p>
      <div className="field">
        <label htmlFor="suppression-note">{t('note')}</label>
        <textarea
          id="suppression-note"
          className="input"
          rows={2}
          maxLength={500}
          required
          value={note}
          placeholder={t('notePlaceholder')}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      <div className="campaign-row">
        <button type="submit" className="btn btn-primary" disabled={!note.trim() || props.busy}>
          {t('liftConfirm')}
        </button>
        <button type="button" className="btn" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
