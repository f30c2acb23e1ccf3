import type { SessionInfo, TrustedParty, TrustedPartyKind } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale, errorMessage } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { useStepUp } from '../accounts/StepUp';
import { isAdminRole } from '../session/roles';
import { fraudApi, fraudKeys } from './api';
import { ReasonFields, reasonIsGiven } from './ReasonFields';
import './fraud.css';
import './trust-i18n';

const KINDS: TrustedPartyKind[] = ['domain', 'address', 'bank_account', 'phone'];
const formatTime = (ms: number) =>
  new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));

/**
 * /settings/trusted-parties: every trust mark (an admin's, or one a cleared flag made) with who,
 * when and why; revoked marks stay listed. Admins add and revoke (step-up, audited, the party's
 * conversations are judged again); auditors read.
 */
export function TrustedPartiesPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation('trust');
  useDocumentTitle(t('pageTitle'));
  const canEdit = isAdminRole(session.user.role);
  const list = useQuery({ queryKey: fraudKeys.trustedParties, queryFn: fraudApi.trustedParties });
  const [adding, setAdding] = useState(false);
  const [flash, setFlash] = useState<string | null>(null);
  const items = list.data?.items ?? [];
  return (
    <div className="settings-page" data-testid="trusted-parties-page">
      <header className="page-head">
        <div>
          <h2>{t('pageTitle')}</h2>
          <p className="page-intro">{t('intro')}</p>
        </div>
        {canEdit && !adding ? (
          <button type="button" className="btn btn-primary" onClick={() => setAdding(true)} data-testid="trust-add-open">
            {t('add.open')}
          </button>
        ) : null}
      </header>
      {canEdit ? null : <p className="muted">{t('readOnly')}</p>}
      {flash ? (
        <p className="fraud-saved" role="status" data-testid="trust-flash">
          {flash}
        </p>
      ) : null}
      {adding ? (
        <AddTrustMark
          onCancel={() => setAdding(false)}
          onDone={(value) => {
            setAdding(false);
            setFlash(t('add.done', { value }));
          }}
        />
      ) : null}
      {list.isPending ? <p className="muted">{t('loading')}</p> : null}
      {list.isError ? <Notice>{`${t('loadFailed')} ${errorMessage(list.error)}`}</Notice> : null}
      {list.isSuccess && items.length === 0 ? <p className="muted">{t('empty')}</p> : null}
      {items.length > 0 ? (
        <div className="table-scroll">
          <table className="data-table trust-table">
            <thead>
              <tr>
                <th scope="col">{t('columns.party')}</th>
                <th scope="col">{t('columns.reason')}</th>
                <th scope="col">{t('columns.by')}</th>
                <th scope="col">{t('columns.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((party) => (
                <TrustRow key={party.id} party={party} canEdit={canEdit} onRevoked={(value) => setFlash(t('revoke.done', { value }))} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

function TrustRow({ party, canEdit, onRevoked }: { party: TrustedParty; canEdit: boolean; onRevoked: (value: string) => void }) {
  const { t } = useTranslation('trust');
  const queryClient = useQueryClient();
  const stepUp = useStepUp();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const revoke = useMutation({
    mutationFn: () => stepUp.run(() => fraudApi.revokeTrust(party.id, { reason: reason.trim() })),
    onSuccess: () => {
      setOpen(false);
      onRevoked(party.value);
      void queryClient.invalidateQueries({ queryKey: ['fraud'] });
      void queryClient.invalidateQueries({ queryKey: ['conversations'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reasonIsGiven(reason)) revoke.mutate();
  };
  return (
    <tr data-testid="trust-row" data-kind={party.kind} data-revoked={party.revokedAt ? 'true' : 'false'}>
      <td>
        <strong className="trust-value">{party.value}</strong>
        <div className="muted">
          {t(`kinds.${party.kind}`)}
          {party.companyDomain ? ` · ${t('forCompany', { domain: party.companyDomain })}` : ''}
        </div>
      </td>
      <td>
        {party.reason}
        <div className="muted">{t(`sources.${party.source}`)}</div>
      </td>
      <td>{t('byAt', { name: party.decidedBy ?? t('unknownUser'), time: formatTime(party.createdAt) })}</td>
      <td>
        {party.revokedAt ? (
          <span className="muted" data-testid="trust-revoked">
            {t('revoked', {
              name: party.revokedBy ?? t('unknownUser'),
              time: formatTime(party.revokedAt),
              reason: party.revokeReason ?? '',
            })}
          </span>
        ) : (
          <span className="trust-active">{t('active')}</span>
        )}
        {canEdit && !party.revokedAt && !open ? (
          <div>
            <button type="button" className="btn btn-sm" onClick={() => setOpen(true)} data-testid="trust-revoke-open">
              {t('revoke.open')}
            </button>
          </div>
        ) : null}
        {open ? (
          <form className="fraud-clear-form" onSubmit={submit} data-testid="trust-revoke-form">
            <strong>{t('revoke.title', { value: party.value })}</strong>
            <ReasonFields
              id={id}
              label={t('revoke.reason')}
              reason={reason}
              onReason={setReason}
              error={revoke.error}
              errorClassName="field-error"
              pending={revoke.isPending}
              submitLabel={t('revoke.submit')}
              savingLabel={t('revoke.saving')}
              cancelLabel={t('revoke.cancel')}
              onCancel={() => setOpen(false)}
              submitTestId="trust-revoke-submit"
            />
          </form>
        ) : null}
        {stepUp.dialog}
      </td>
    </tr>
  );
}

function AddTrustMark({ onCancel, onDone }: { onCancel: () => void; onDone: (value: string) => void }) {
  const { t } = useTranslation('trust');
  const queryClient = useQueryClient();
  const stepUp = useStepUp();
  const id = useId();
  const [kind, setKind] = useState<TrustedPartyKind>('domain');
  const [value, setValue] = useState('');
  const [companyDomain, setCompanyDomain] = useState('');
  const [defaultCountry, setDefaultCountry] = useState('');
  const [reason, setReason] = useState('');
  const add = useMutation({
    mutationFn: () =>
      stepUp.run(() =>
        fraudApi.markTrusted({
          kind,
          value: value.trim(),
          reason: reason.trim(),
          ...(kind === 'bank_account' && companyDomain.trim() ? { companyDomain: companyDomain.trim() } : {}),
          ...(kind === 'phone' && defaultCountry.trim() ? { defaultCountry: defaultCountry.trim().toUpperCase() } : {}),
        }),
      ),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['fraud'] });
      void queryClient.invalidateQueries({ queryKey: ['conversations'] });
      onDone(saved?.value ?? value.trim());
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form className="settings-section fraud-form trust-add" onSubmit={submit} data-testid="trust-add-form">
      <h3>{t('add.title')}</h3>
      <label htmlFor={`${id}-kind`}>{t('add.kind')}</label>
      <select
        id={`${id}-kind`}
        className="input"
        value={kind}
        onChange={(e) => setKind(e.target.value as TrustedPartyKind)}
        data-testid="trust-add-kind"
      >
        {KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`kinds.${k}`)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-value`}>{t('add.value')}</label>
      <input
        id={`${id}-value`}
        className="input"
        required
        minLength={3}
        maxLength={100}
        placeholder={t(`add.valueHint.${kind}`)}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        data-testid="trust-add-value"
      />
      {kind === 'bank_account' ? (
        <>
          <label htmlFor={`${id}-company`}>{t('add.companyDomain')}</label>
          <input
            id={`${id}-company`}
            className="input"
            required
            maxLength={253}
            value={companyDomain}
            onChange={(e) => setCompanyDomain(e.target.value)}
          />
        </>
      ) : null}
      {kind === 'phone' ? (
        <>
          <label htmlFor={`${id}-country`}>{t('add.defaultCountry')}</label>
          <input
            id={`${id}-country`}
            className="input"
            maxLength={2}
            value={defaultCountry}
            onChange={(e) => setDefaultCountry(e.target.value)}
          />
        </>
      ) : null}
      <label htmlFor={`${id}-reason`}>{t('add.reason')}</label>
      <textarea
        id={`${id}-reason`}
        className="input"
        required
        minLength={3}
        maxLength={500}
        placeholder={t('add.reasonHint')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        data-testid="trust-add-reason"
      />
      {add.isError ? (
        <p role="alert" className="field-error">
          {errorMessage(add.error)}
        </p>
      ) : null}
      <div className="fraud-clear-actions">
        <button type="submit" className="btn btn-primary" disabled={add.isPending} data-testid="trust-add-submit">
          {add.isPending ? t('add.saving') : t('add.submit')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('add.cancel')}
        </button>
      </div>
      {stepUp.dialog}
    </form>
  );
}
