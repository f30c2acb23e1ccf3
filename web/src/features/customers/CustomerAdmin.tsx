import { type CsvField, type CsvImportResult, type CsvPreview, csvFields } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { customersApi, readCsvFile } from './api';

/** Admins: export, import with a column-mapping step, and the pool rule. */
export function CustomerAdmin() {
  const { t } = useTranslation('customers');
  const queryClient = useQueryClient();
  const [csv, setCsv] = useState<string | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [mapping, setMapping] = useState<CsvField[]>([]);
  const [result, setResult] = useState<CsvImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = useMutation({
    mutationFn: () => customersApi.import(csv ?? '', mapping),
    onSuccess: (r) => {
      setResult(r);
      setPreview(null);
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
    },
    onError: setError,
  });
  const choose = async (file: File | undefined) => {
    setResult(null);
    setError(null);
    if (!file) return;
    try {
      const text = await readCsvFile(file);
      const p = await customersApi.preview(text);
      setCsv(text);
      setPreview(p);
      setMapping(p.suggested);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <details className="customer-admin" data-testid="customer-admin">
      <summary>{t('csv.title')}</summary>
      <a className="btn" href={customersApi.exportUrl} download data-testid="customer-export">
        {t('csv.export')}
      </a>
      <label className="customer-file">
        {t('csv.importFile')}
        <input type="file" accept=".csv,text/csv" data-testid="customer-import-file" onChange={(e) => void choose(e.target.files?.[0])} />
      </label>
      {error ? <Notice>{errorMessage(error)}</Notice> : null}
      {preview ? (
        <div className="customer-mapping" data-testid="customer-mapping">
          <p>
            {t('csv.mapping')} <span className="muted">{t('csv.rows', { count: preview.rows })}</span>
          </p>
          <table>
            <tbody>
              {preview.headers.map((header, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a column is its position; headers may repeat.
                <tr key={i}>
                  <th scope="row">{header}</th>
                  <td className="muted">{preview.sample[0]?.[i] ?? ''}</td>
                  <td>
                    <select
                      className="input"
                      aria-label={header}
                      value={mapping[i] ?? 'ignore'}
                      onChange={(e) => setMapping(mapping.map((m, j) => (j === i ? (e.target.value as CsvField) : m)))}
                    >
                      {csvFields.map((f) => (
                        <option key={f} value={f}>
                          {t(`csv.fields.${f}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            type="button"
            className="btn btn-primary"
            disabled={run.isPending || !mapping.includes('address')}
            onClick={() => run.mutate()}
            data-testid="customer-import"
          >
            {t('csv.import')}
          </button>
        </div>
      ) : null}
      {result ? (
        <div role="status" data-testid="customer-import-result">
          <p>{t('csv.result', { created: result.created, updated: result.updated, skipped: result.skipped.length })}</p>
          <ul>
            {result.skipped.slice(0, 20).map((s) => (
              <li key={s.line} className="muted">
                {t('csv.skippedLine', { line: s.line, reason: s.reason })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <PoolSettings />
    </details>
  );
}

function PoolSettings() {
  const { t } = useTranslation('customers');
  const settings = useQuery({ queryKey: ['customers', 'pool'], queryFn: customersApi.poolSettings });
  const [form, setForm] = useState({ enabled: false, days: 90, noticeDays: 7 });
  useEffect(() => {
    if (settings.data) setForm(settings.data);
  }, [settings.data]);
  const save = useMutation({ mutationFn: () => customersApi.savePoolSettings(form), onSuccess: () => void settings.refetch() });
  return (
    <form
      className="customer-pool"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h3>{t('poolSettings.title')}</h3>
      <label className="customer-check">
        <input type="checkbox" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.target.checked })} />{' '}
        {t('poolSettings.enabled')}
      </label>
      <label>
        {t('poolSettings.days')}
        <input
          className="input"
          type="number"
          min={7}
          value={form.days}
          onChange={(e) => setForm({ ...form, days: Number(e.target.value) })}
        />
      </label>
      <label>
        {t('poolSettings.noticeDays')}
        <input
          className="input"
          type="number"
          min={1}
          value={form.noticeDays}
          onChange={(e) => setForm({ ...form, noticeDays: Number(e.target.value) })}
        />
      </label>
      {save.isError ? <Notice>{errorMessage(save.error)}</Notice> : null}
      <button type="submit" className="btn" disabled={save.isPending}>
        {t('poolSettings.save')}
      </button>
    </form>
  );
}
