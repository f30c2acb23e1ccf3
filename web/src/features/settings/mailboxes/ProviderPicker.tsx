import type { MailboxPreset } from '@pier/contracts';
import { useTranslation } from 'react-i18next';
import { CheckIcon } from '../icons';
import { isKnownPreset, NO_CONNECTION } from './form';
import type { MailboxFormModel } from './useMailboxForm';

/** The provider select: a preset fills the servers; "none" receives on Pier's SMTP listener only. */
export function ProviderPicker({ form }: { form: MailboxFormModel }) {
  const { t } = useTranslation('settings');
  const { id, detail, presets, values } = form;
  return (
    <div className="field">
      <label htmlFor={`${id}-preset`}>{t('form.provider')}</label>
      <select id={`${id}-preset`} className="select" data-testid="mailbox-preset" value={values.preset} onChange={form.onPreset}>
        {presets.map((option) => (
          <option key={option.id} value={option.id}>
            {isKnownPreset(option.id) ? t(`presets.${option.id}.name`) : option.id}
          </option>
        ))}
        <option value={NO_CONNECTION} disabled={Boolean(detail?.connection)} title={detail?.connection ? t('form.noneLocked') : undefined}>
          {t('form.none')}
        </option>
      </select>
    </div>
  );
}

/** The provider's quirks, from its preset flags: what to do first, then what Pier takes care of. */
export function PresetHelp({
  preset,
  presetId,
  passwordAuth,
}: {
  preset: MailboxPreset | undefined;
  presetId: string;
  passwordAuth: boolean;
}) {
  const { t } = useTranslation('settings');
  const todo: string[] = [];
  const handled: string[] = [];
  if (preset?.needsAppPassword && passwordAuth) todo.push(t('form.help.appPassword'));
  if (isKnownPreset(presetId)) todo.push(t(`presets.${presetId}.note`));
  if (preset?.requiresImapId && presetId !== 'other') handled.push(t('form.help.imapId'));
  if (preset?.savesSentMail) handled.push(t('form.help.savesSent'));
  if (todo.length === 0 && handled.length === 0) return null;
  return (
    <div className="preset-help" data-testid="mailbox-preset-help">
      {todo.length > 0 ? (
        <ul className="help-todo">
          {todo.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      ) : null}
      {handled.length > 0 ? (
        <ul className="help-done">
          {handled.map((text) => (
            <li key={text}>
              <CheckIcon />
              {text}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
