import { type AuditRecordDto, knownAuditActions } from '@pier/contracts';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { AlertIcon } from '../../../ui/icons';
import { useDocumentTitle } from '../../../ui/useDocumentTitle';
import { StepUpDownload } from '../../accounts/StepUp';
import { formatFullTime } from '../../inbox/format';
import { CheckIcon, CrossIcon } from '../icons';
import { mailboxApi, mailboxKeys } from '../mailboxes/api';
import { type AuditFilters, auditApi } from './api';

/** /settings/audit: the hash-chained log with filters, older pages on demand, and the CSV export. */
export function AuditLogPage() {
  const { t } = useTranslation('audit');
  useDocumentTitle(t('log.pageTitle'));
  const [filters, setFilters] = useState<AuditFilters>({});
  const [actorName, setActorName] = useState('');
  const set = (patch: AuditFilters) => setFilters((f) => ({ ...f, ...patch }));

  const chain = useQuery({ queryKey: ['audit', 'verify'], queryFn: auditApi.verify });
  const mailboxes = useQuery({ queryKey: mailboxKeys.list, queryFn: mailboxApi.list });
  const log = useInfiniteQuery({
    queryKey: ['audit', 'log', filters],
    queryFn: ({ pageParam }) => auditApi.page(filters, pageParam),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
  });
  const records = log.data?.pages.flatMap((p) => p.items) ?? [];
  const actionName = (action: string) =>
    (knownAuditActions as readonly string[]).includes(action) ? t(`actions.${action as (typeof knownAuditActions)[number]}`) : action;

  return (
    <div className="settings-page audit-page" data-testid="audit-page">
      <header className="page-head">
        <div>
          <h2>{t('log.pageTitle')}</h2>
          <p className="page-intro">{t('log.intro')}</p>
        </div>
        <div className="audit-export">
          <StepUpDownload href={auditApi.csvUrl(filters)} fileName="pier-audit.csv" testId="audit-export">
            {t('log.exportCsv')}
          </StepUpDownload>
          <span className="muted-3">{t('log.exportHint')}</span>
        </div>
      </header>

      {chain.data ? (
        <div className={`audit-chain ${chain.data.ok ? 'ok' : 'broken'}`} role="status" data-testid="audit-chain">
          {chain.data.ok ? <CheckIcon /> : <AlertIcon />}
          <span>
            {chain.data.ok ? t('log.chainOk', { count: chain.data.records }) : t('log.chainBroken', { count: chain.data.problems.length })}
          </span>
        </div>
      ) : (
        <div className="audit-chain muted-3">{t('log.chainChecking')}</div>
      )}

      <fieldset className="audit-filters">
        <legend className="visually-hidden">{t('log.filters')}</legend>
        <label>
          <span>{t('log.action')}</span>
          <select
            className="select"
            value={filters.action ?? ''}
            onChange={(e) => set({ action: e.target.value || undefined })}
            data-testid="audit-filter-action"
          >
            <option value="">{t('log.anyAction')}</option>
            {knownAuditActions.map((a) => (
              <option key={a} value={a}>
                {actionName(a)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('log.mailbox')}</span>
          <select className="select" value={filters.mailboxId ?? ''} onChange={(e) => set({ mailboxId: e.target.value || undefined })}>
            <option value="">{t('log.anyMailbox')}</option>
            {(mailboxes.data?.items ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.address}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('log.from')}</span>
          <input
            className="input"
            type="date"
            value={filters.fromDate ?? ''}
            onChange={(e) => set({ fromDate: e.target.value || undefined })}
          />
        </label>
        <label>
          <span>{t('log.to')}</span>
          <input
            className="input"
            type="date"
            value={filters.toDate ?? ''}
            onChange={(e) => set({ toDate: e.target.value || undefined })}
          />
        </label>
        {filters.actorId ? (
          <button type="button" className="btn btn-sm audit-chip" onClick={() => set({ actorId: undefined })} title={t('log.clearFilter')}>
            {t('log.actorFilter', { name: actorName })} <CrossIcon />
          </button>
        ) : null}
        {filters.targetId ? (
          <button type="button" className="btn btn-sm audit-chip" onClick={() => set({ targetId: undefined })} title={t('log.clearFilter')}>
            {t('log.targetFilter', { id: filters.targetId })} <CrossIcon />
          </button>
        ) : null}
        {Object.values(filters).some(Boolean) ? (
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setFilters({})}>
            {t('log.reset')}
          </button>
        ) : null}
      </fieldset>

      {log.isPending ? (
        <div className="list-loading" aria-busy="true">
          <span className="visually-hidden">{t('log.loading')}</span>
          <div className="skeleton" />
          <div className="skeleton" />
        </div>
      ) : log.isError ? (
        <div className="empty" role="alert">
          <h2>{t('log.loadFailed')}</h2>
          <p>{errorMessage(log.error)}</p>
        </div>
      ) : records.length === 0 ? (
        <div className="empty settings-empty" data-testid="audit-empty">
          <p>{t('log.empty')}</p>
        </div>
      ) : (
        <div className="table-scroll">
          <table className="data-table audit-table" data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">{t('log.columns.time')}</th>
                <th scope="col">{t('log.columns.actor')}</th>
                <th scope="col">{t('log.columns.action')}</th>
                <th scope="col">{t('log.columns.target')}</th>
                <th scope="col">{t('log.columns.mailbox')}</th>
                <th scope="col">{t('log.columns.ip')}</th>
                <th scope="col">{t('log.columns.details')}</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <AuditRow
                  key={r.id}
                  record={r}
                  actionName={actionName(r.action)}
                  onActor={(id, name) => {
                    setActorName(name);
                    set({ actorId: id });
                  }}
                  onTarget={(id) => set({ targetId: id })}
                />
              ))}
            </tbody>
          </table>
          <div className="audit-more">
            {log.hasNextPage ? (
              <button
                type="button"
                className="btn"
                onClick={() => void log.fetchNextPage()}
                disabled={log.isFetchingNextPage}
                data-testid="audit-older"
              >
                {log.isFetchingNextPage ? t('log.loadingOlder') : t('log.older')}
              </button>
            ) : (
              <span className="muted-3">{t('log.end')}</span>
            )}
          </div>
        </div>
      )}
    </div>
  );
}

function AuditRow({
  record,
  actionName,
  onActor,
  onTarget,
}: {
  record: AuditRecordDto;
  actionName: string;
  onActor: (id: string, name: string) => void;
  onTarget: (id: string) => void;
}) {
  const { t } = useTranslation('audit');
  const { via, ...details } = record.details;
  const failed = record.action.endsWith('_failed');
  return (
    <tr className={failed ? 'audit-failed' : undefined}>
      <td className="nowrap" title={`#${record.seq} · ${record.hash.slice(0, 16)}…`}>
        {formatFullTime(record.createdAt)}
      </td>
      <td>
        {record.actor ? (
          <button
            type="button"
            className="link-button"
            title={t('log.filterByActor')}
            onClick={() => onActor(record.actor?.id ?? '', record.actor?.name ?? '')}
          >
            <span className="cell-main">{record.actor.name}</span>
            <span className="cell-sub">{record.actor.email}</span>
          </button>
        ) : (
          <span className="muted-3">{record.action.startsWith('user.login') ? t('log.unknownActor') : t('log.system')}</span>
        )}
      </td>
      <td>
        <span className="cell-main audit-action-name">{actionName}</span>
        <span className="cell-sub">{record.action}</span>
      </td>
      <td>
        {record.targetId ? (
          <button type="button" className="link-button" title={t('log.filterByTarget')} onClick={() => onTarget(record.targetId ?? '')}>
            <span className="cell-sub">
              {record.targetType} · {record.targetId.slice(-8)}
            </span>
          </button>
        ) : (
          <span className="cell-sub">{record.targetType}</span>
        )}
      </td>
      <td>{record.mailboxAddress ?? (record.mailboxId ? <span className="muted-3">{record.mailboxId.slice(-8)}</span> : '—')}</td>
      <td className="nowrap">{record.ip ?? '—'}</td>
      <td className="audit-details">
        <code>{JSON.stringify(details)}</code>
        {typeof via === 'string' ? <span className="cell-sub">via {via}</span> : null}
      </td>
    </tr>
  );
}
