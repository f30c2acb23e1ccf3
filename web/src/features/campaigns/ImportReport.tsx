import { useTranslation } from 'react-i18next';
import { downloadCsv } from '../operations/csv';
import type { ImportResult } from './admin-api';
import { DataTable } from './DataTable';

const SHOWN = 20;

/**
 * What a CSV import did per row (decision 0072): the counts by outcome, the first rows not mailed
 * (suppressed, invalid, duplicate) with why, and all of them as a CSV to fix and import again.
 */
export function ImportReport({ result, listName }: { result: ImportResult; listName: string }) {
  const { t } = useTranslation('campaignSuppression');
  const { counts, skipped } = result.report;
  const download = () => {
    const columns = [...new Set(skipped.flatMap((s) => Object.keys(s.row)))];
    downloadCsv(`pier-import-skipped-${listName.replace(/[^\p{L}\p{N}_-]+/gu, '-')}.csv`, [
      ['line', 'outcome', 'reason', ...columns],
      ...skipped.map((s) => [s.line, s.outcome, s.reason, ...columns.map((c) => s.row[c] ?? '')]),
    ]);
  };
  return (
    <div className="import-report" data-testid="import-report">
      <h4>{t('report.title')}</h4>
      <p className="hint" data-testid="import-counts">
        {t('report.counts', counts)}
      </p>
      {skipped.length > 0 ? (
        <>
          <DataTable
            testId="import-skipped"
            head={
              <>
                <th className="num">{t('report.line')}</th>
                <th>{t('report.outcome')}</th>
                <th>{t('report.reason')}</th>
              </>
            }
          >
            {skipped.slice(0, SHOWN).map((s) => (
              <tr key={s.line} data-outcome={s.outcome}>
                <td className="num">{s.line}</td>
                <td>
                  <span className="badge">{t(`report.outcomes.${s.outcome}`)}</span> <span dir="ltr">{s.address}</span>
                </td>
                <td>{s.reason}</td>
              </tr>
            ))}
          </DataTable>
          {skipped.length > SHOWN ? <p className="hint">{t('report.more', { count: skipped.length - SHOWN })}</p> : null}
          <button type="button" className="btn btn-sm" data-testid="import-download" onClick={download}>
            {t('report.download', { count: skipped.length })}
          </button>
        </>
      ) : null}
    </div>
  );
}
