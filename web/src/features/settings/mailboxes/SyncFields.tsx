import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { SYNC_FOLDERS, SYNC_WINDOWS } from './form';
import type { MailboxFormModel } from './useMailboxForm';

/** Which folders to sync and how far back the first sync goes. */
export function SyncFields({ form }: { form: MailboxFormModel }) {
  const { t } = useTranslation('settings');
  const { id, values, update } = form;
  return (
    <div className="form-grid">
      <fieldset className="field">
        <legend className="label">{t('form.folders')}</legend>
        <div className="checks-inline">
          {SYNC_FOLDERS.map((folder) => (
            <label key={folder} className="check-inline">
              <input
                type="checkbox"
                data-testid={`mailbox-folder-${folder}`}
                checked={values.syncFolders.includes(folder)}
                ref={folder === 'inbox' ? form.folderRef : undefined}
                onChange={(event) =>
                  update(
                    {
                      syncFolders: event.target.checked
                        ? [...values.syncFolders, folder]
                        : values.syncFolders.filter((item) => item !== folder),
                    },
                    false,
                  )
                }
              />
              {t(`form.folder.${folder}`)}
            </label>
          ))}
        </div>
        {form.errorFor('syncFolders') ? (
          <p className="field-error">{form.errorFor('syncFolders')}</p>
        ) : (
          <p className="field-hint">{t('form.foldersHint')}</p>
        )}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-window`}>{t('form.syncWindow')}</label>
        <select
          id={`${id}-window`}
          className="select"
          data-testid="mailbox-sync-window"
          value={values.syncSinceDays === null ? 'all' : String(values.syncSinceDays)}
          onChange={(event) => update({ syncSinceDays: event.target.value === 'all' ? null : Number(event.target.value) }, false)}
        >
          {windowOptions(values.syncSinceDays).map((days) => (
            <option key={days ?? 'all'} value={days === null ? 'all' : String(days)}>
              {windowLabel(days, t)}
            </option>
          ))}
        </select>
        <p className="field-hint">{t('form.syncWindowHint')}</p>
      </div>
    </div>
  );
}

function windowOptions(current: number | null): (number | null)[] {
  return current === null || SYNC_WINDOWS.includes(current) ? [...SYNC_WINDOWS] : [...SYNC_WINDOWS.slice(0, -1), current, null];
}

function windowLabel(days: number | null, t: TFunction<'settings'>): string {
  if (days === null) return t('form.window.all');
  if (days === 30) return t('form.window.d30');
  if (days === 90) return t('form.window.d90');
  if (days === 365) return t('form.window.d365');
  return t('form.window.custom', { count: days });
}
