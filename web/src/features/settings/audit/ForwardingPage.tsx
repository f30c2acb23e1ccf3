import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { AlertIcon } from '../../../ui/icons';
import { useDocumentTitle } from '../../../ui/useDocumentTitle';
import { formatFullTime } from '../../inbox/format';
import { forwardingApi } from './api';
import { ManualCheck } from './ManualCheck';
import { PierForwardingRules } from './PierForwardingRules';
import { SieveSettings } from './SieveSettings';
import { UncertainForwards } from './UncertainForwards';

const key = ['audit', 'forwarding'] as const;

/** /settings/forwarding: every rule that sends mail elsewhere — Pier's own (admins manage them here) and the mail server's Sieve scripts. */
export function ForwardingPage({ canScan }: { canScan: boolean }) {
  const { t } = useTranslation('audit');
  useDocumentTitle(t('forwarding.pageTitle'));
  const queryClient = useQueryClient();
  const audit = useQuery({ queryKey: key, queryFn: forwardingApi.audit });
  const scan = useMutation({
    mutationFn: forwardingApi.scan,
    onSuccess: (data) => queryClient.setQueryData(key, data),
  });
  const data = audit.data;

  return (
    <div className="settings-page audit-page" data-testid="forwarding-page">
      <header className="page-head">
        <div>
          <h2>{t('forwarding.pageTitle')}</h2>
          <p className="page-intro">{t('forwarding.intro')}</p>
        </div>
        {canScan ? (
          <button type="button" className="btn" onClick={() => scan.mutate()} disabled={scan.isPending} data-testid="forwarding-scan">
            {scan.isPending ? t('forwarding.scanning') : t('forwarding.scan')}
          </button>
        ) : null}
      </header>
      {scan.isError ? (
        <p className="row-problem" role="alert">
          {errorMessage(scan.error)}
        </p>
      ) : null}
      {audit.isError ? (
        <div className="empty" role="alert">
          <p>{errorMessage(audit.error)}</p>
        </div>
      ) : !data ? (
        <div className="list-loading" aria-busy="true">
          <div className="skeleton" />
        </div>
      ) : (
        <>
          <p className="muted-3">{t('forwarding.domains', { domains: data.companyDomains.join(', ') || '—' })}</p>
          <UncertainForwards canDecide={canScan} />
          <h3 className="audit-section">{t('forwarding.pierRules')}</h3>
          <PierForwardingRules
            rules={data.pierRules}
            companyDomains={data.companyDomains}
            canManage={canScan}
            onChanged={() => void queryClient.invalidateQueries({ queryKey: key })}
          />
          <h3 className="audit-section">{t('forwarding.sieveTitle')}</h3>
          {data.sieve.length === 0 ? <p className="muted-3">{t('forwarding.noServers')}</p> : null}
          {data.sieve.map((m) => (
            <section key={m.mailboxId} className="audit-sieve" data-testid="forwarding-mailbox">
              <h4>
                {m.address}{' '}
                <span className="cell-sub">
                  {m.manualOnly
                    ? t('forwarding.manual.status')
                    : `${m.status ? t(`forwarding.status.${m.status}`) : t('forwarding.status.never')}${m.lastCheckedAt ? ` · ${formatFullTime(m.lastCheckedAt)}` : ''}`}
                </span>
              </h4>
              {m.lastError && !m.manualOnly ? <p className="cell-sub">{m.lastError}</p> : null}
              {m.manualOnly ? (
                <ManualCheck mailbox={m} canRecord={canScan} onSaved={(saved) => queryClient.setQueryData(key, saved)} />
              ) : canScan ? (
                <SieveSettings mailbox={m} onSaved={(saved) => queryClient.setQueryData(key, saved)} />
              ) : null}
              {m.findings.length === 0 ? (
                <p className="muted-3">{m.status === 'ok' ? t('forwarding.noForwards') : ''}</p>
              ) : (
                <table className="data-table audit-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('forwarding.columns.target')}</th>
                      <th scope="col">{t('forwarding.columns.kind')}</th>
                      <th scope="col">{t('forwarding.columns.script')}</th>
                      <th scope="col">{t('forwarding.columns.since')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {m.findings.map((f) => (
                      <tr key={`${f.script}:${f.kind}:${f.target}`} className={f.external ? 'audit-failed' : undefined}>
                        <td>
                          <span className="cell-main audit-action-name">
                            {f.external ? <AlertIcon /> : null} {f.target}
                          </span>
                          <span className="cell-sub">{f.external ? t('forwarding.external') : t('forwarding.internal')}</span>
                        </td>
                        <td>{t(`forwarding.kinds.${f.kind}`)}</td>
                        <td>
                          {f.script} <span className="cell-sub">{f.active ? t('forwarding.active') : t('forwarding.inactive')}</span>
                        </td>
                        <td className="nowrap">{formatFullTime(f.firstSeenAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          ))}
        </>
      )}
    </div>
  );
}
