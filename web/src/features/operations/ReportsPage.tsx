import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale, errorMessage } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { operationsApi, operationsKeys } from './api';
import { downloadCsv } from './csv';
import { reportCharts } from './reportCharts';
import './operations.css';
import './strings';

// ECharts is loaded with the first chart, never with the inbox or the rest of the settings.
const Chart = lazy(() => import('./Chart'));

const DAY = 86_400_000;
const isoDay = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const localMidnight = (day: string) => new Date(`${day}T00:00:00`).getTime();

/** /settings/reports: mail volume, first-reply times, SLA compliance, busiest hours and backlog, each with a CSV. */
export function ReportsPage() {
  const { t } = useTranslation('operations');
  useDocumentTitle(t('reports.pageTitle'));
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai';
  const [fromDay, setFromDay] = useState(() => isoDay(new Date(Date.now() - 29 * DAY)));
  const [toDay, setToDay] = useState(() => isoDay(new Date()));
  const from = localMidnight(fromDay);
  const to = localMidnight(toDay) + DAY;
  const valid = Number.isFinite(from) && Number.isFinite(to) && from < to;
  const report = useQuery({
    queryKey: operationsKeys.report(from, to, zone),
    queryFn: () => operationsApi.report({ from, to, timeZone: zone }),
    enabled: valid,
  });
  const countryName = useMemo(() => {
    try {
      const names = new Intl.DisplayNames([currentLocale()], { type: 'region' });
      return (code: string) => names.of(code) ?? code;
    } catch {
      return (code: string) => code;
    }
  }, []);
  const charts = report.data ? reportCharts(report.data, t, countryName) : [];
  const empty = report.data
    ? report.data.volume.byDay.every((d) => d.count === 0) && report.data.firstReply.overall.conversations === 0
    : false;

  return (
    <div className="settings-page ops-page" data-testid="reports-page">
      <header className="page-head">
        <div>
          <h2>{t('reports.pageTitle')}</h2>
          <p className="page-intro">{t('reports.intro')}</p>
        </div>
      </header>
      <div className="ops-row ops-period">
        <label className="field">
          <span className="field-label">{t('reports.from')}</span>
          <input
            className="input"
            type="date"
            value={fromDay}
            max={toDay}
            onChange={(e) => setFromDay(e.target.value)}
            data-testid="reports-from"
          />
        </label>
        <label className="field">
          <span className="field-label">{t('reports.to')}</span>
          <input
            className="input"
            type="date"
            value={toDay}
            min={fromDay}
            onChange={(e) => setToDay(e.target.value)}
            data-testid="reports-to"
          />
        </label>
        <p className="muted-3 ops-zone">{t('reports.timeZone', { zone })}</p>
      </div>
      {report.isError ? <Notice>{errorMessage(report.error)}</Notice> : null}
      {report.isPending && valid ? <p className="muted-3">{t('reports.loading')}</p> : null}
      {empty ? <p className="muted-3">{t('reports.empty')}</p> : null}
      <div className="ops-charts" data-testid="reports-charts">
        {charts.map((c) => (
          <section className="ops-card" key={c.key} data-testid={`chart-${c.key}`}>
            <header className="ops-card-head">
              <h3>{c.title}</h3>
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                data-testid={`csv-${c.key}`}
                onClick={() => downloadCsv(`pier-${c.key}-${fromDay}-${toDay}.csv`, c.csv)}
              >
                {t('reports.csv')}
              </button>
            </header>
            <Suspense fallback={<p className="muted-3">{t('reports.loadingCharts')}</p>}>
              <Chart option={c.option} height={c.height ?? 240} testId={`chart-canvas-${c.key}`} />
            </Suspense>
          </section>
        ))}
      </div>
    </div>
  );
}
