import type { StoredReportDto } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../../api/client';
import { errorMessage } from '../../../i18n';
import { useDocumentTitle } from '../../../ui/useDocumentTitle';
import { StepUpDownload } from '../../accounts/StepUp';
import { formatFullTime } from '../../inbox/format';

type ReportList = { items: { id: string; periodStart: number; periodEnd: number; createdAt: number; trigger: string }[] };
type SectionKey = Exclude<keyof StoredReportDto['report'], 'version' | 'periodStart' | 'periodEnd' | 'generatedAt'>;
const SECTIONS: SectionKey[] = [
  'mailboxesWithoutMail',
  'usersNotLoggedIn',
  'usersWithout2fa',
  'accessChanges',
  'externalForwarding',
  'pierForwardingRules',
  'failedLogins',
  'unusualLogins',
  'fraudFlags',
  'slaCompliance',
];
const day = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString().slice(0, 10));

/** /settings/audit-report: the quarterly audit report, made on demand or by the schedule, with CSV and PDF. */
export function ReportPage({ canMail }: { canMail: boolean }) {
  const { t } = useTranslation('audit');
  useDocumentTitle(t('report.pageTitle'));
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<string | null>(null);
  const [mail, setMail] = useState(false);
  const list = useQuery({ queryKey: ['audit', 'reports'], queryFn: () => request<ReportList>('GET', '/api/audit/reports') });
  const id = selected ?? list.data?.items[0]?.id ?? null;
  const report = useQuery({
    queryKey: ['audit', 'report', id],
    queryFn: () => request<StoredReportDto>('GET', `/api/audit/reports/${encodeURIComponent(id ?? '')}`),
    enabled: id !== null,
  });
  const generate = useMutation({
    mutationFn: () => request<StoredReportDto>('POST', '/api/audit/reports', mail ? { mail: true } : {}),
    onSuccess: (made) => {
      queryClient.setQueryData(['audit', 'report', made.id], made);
      setSelected(made.id);
      void queryClient.invalidateQueries({ queryKey: ['audit', 'reports'] });
    },
  });

  const r = report.data?.report;
  return (
    <div className="settings-page audit-page" data-testid="report-page">
      <header className="page-head">
        <div>
          <h2>{t('report.pageTitle')}</h2>
          <p className="page-intro">{t('report.intro')}</p>
        </div>
        <div className="report-actions">
          {canMail ? (
            <label className="muted-3">
              <input type="checkbox" checked={mail} onChange={(event) => setMail(event.target.checked)} data-testid="report-mail" />{' '}
              {t('report.mailToAdmins')}
            </label>
          ) : null}
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => generate.mutate()}
            disabled={generate.isPending}
            data-testid="report-generate"
          >
            {generate.isPending ? t('report.generating') : t('report.generate')}
          </button>
        </div>
      </header>
      {generate.isError ? <p role="alert">{errorMessage(generate.error)}</p> : null}
      {list.data && list.data.items.length > 0 ? (
        <div className="audit-filters">
          <label>
            <span>{t('report.choose')}</span>
            <select className="select" value={id ?? ''} onChange={(e) => setSelected(e.target.value)}>
              {list.data.items.map((item) => (
                <option key={item.id} value={item.id}>
                  {day(item.periodStart)} – {day(item.periodEnd - 1)} ·{' '}
                  {t(item.trigger === 'schedule' ? 'report.scheduled' : 'report.onDemand')}
                </option>
              ))}
            </select>
          </label>
          {id ? (
            <>
              <StepUpDownload href={`/api/audit/reports/${id}/export?format=csv`} fileName="pier-report.csv" testId="report-csv">
                CSV
              </StepUpDownload>
              <StepUpDownload href={`/api/audit/reports/${id}/export?format=pdf`} fileName="pier-report.pdf" testId="report-pdf">
                PDF
              </StepUpDownload>
            </>
          ) : null}
        </div>
      ) : list.isSuccess ? (
        <p className="muted-3">{t('report.none')}</p>
      ) : null}
      {r ? (
        <div data-testid="report-body">
          <p className="muted-3">
            {t('report.period', { from: day(r.periodStart), to: day(r.periodEnd - 1) })} ·{' '}
            {t('report.generatedAt', { at: formatFullTime(r.generatedAt) })}
          </p>
          {SECTIONS.map((key) => {
            const section = r[key];
            return (
              <section key={key} className="audit-sieve">
                <h3 className="audit-section">{t(`report.sections.${key}`)}</h3>
                {!section.available ? (
                  <p className="muted-3">
                    {t('report.unavailable')} {key === 'slaCompliance' ? '' : section.reason}
                  </p>
                ) : section.items.length === 0 ? (
                  <p className="muted-3">{t('report.empty')}</p>
                ) : (
                  <ul className="audit-report-list">
                    {section.items
                      .map((item) => describe(key, item))
                      .map((line) => (
                        <li key={line}>{line}</li>
                      ))}
                  </ul>
                )}
              </section>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}

function describe(key: SectionKey, item: unknown): string {
  const x = item as Record<string, unknown>;
  switch (key) {
    case 'mailboxesWithoutMail':
      return `${x.address} · ${day((x.lastMailAt as number | null) ?? null)}`;
    case 'usersNotLoggedIn':
      return `${x.name} <${x.email}> · ${x.role} · ${day((x.lastLoginAt as number | null) ?? null)}`;
    case 'accessChanges':
      return `${day(x.at as number)} · ${x.action} · ${JSON.stringify(x.details)}`;
    case 'externalForwarding':
      return `${x.mailbox} → ${x.target} (${x.script}${x.active ? '' : ', inactive'})`;
    case 'failedLogins':
      return `${x.email} × ${x.count} · ${(x.ips as string[]).join(', ')}`;
    case 'usersWithout2fa':
      return `${x.email} · ${x.role}`;
    case 'unusualLogins':
      return `${day(x.at as number)} · ${x.email} · ${x.kind}`;
    case 'pierForwardingRules':
      return `${x.mailbox} → ${x.target} (${x.name}${x.senderDomain ? `, ${x.senderDomain}` : ''}${x.external ? ', external' : ''}${x.enabled ? '' : ', off'}) · ${x.createdBy ?? '—'} ${day(x.createdAt as number)}`;
    case 'fraudFlags': {
      const calls = x.confirmations as { outcome: string; calledBy: string; at: number }[];
      return `${day(x.at as number)} · ${x.level} ${x.score} · ${x.subject} · ${x.from ?? '—'} · ${(x.signals as string[]).join(', ')} · ${
        calls.length === 0 ? '☎ —' : calls.map((c) => `☎ ${c.outcome} (${c.calledBy}, ${day(c.at)})`).join('; ')
      }`;
    }
    default:
      return JSON.stringify(x);
  }
}
