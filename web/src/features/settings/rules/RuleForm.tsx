import { type Rule, type RuleAction, type RuleCondition, type RulePreview, ruleTriggers, type SaveRule } from '@pier/contracts';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { formatFullTime } from '../../inbox/format';
import { rulesApi } from './api';
import { ActionRow, actionTypes, ConditionRow, conditionFields, newAction, newCondition, type RuleChoices } from './RuleRows';

/** A row with a stable key: rows are removed from the middle, so an index is no key. */
type Keyed<T> = { key: number; item: T };
let nextKey = 0;
const keyed = <T,>(item: T): Keyed<T> => ({ key: nextKey++, item });

type Draft = {
  name: string;
  mailboxId: string | null;
  enabled: boolean;
  trigger: SaveRule['trigger'];
  afterWorkingHours: number;
  match: 'all' | 'any';
  conditions: Keyed<RuleCondition>[];
  actions: Keyed<RuleAction>[];
  repeat: boolean;
};

function draftOf(rule: Rule | null, choices: RuleChoices): Draft {
  if (rule) {
    return {
      ...rule,
      afterWorkingHours: rule.afterWorkingHours ?? 24,
      conditions: rule.conditions.map(keyed),
      actions: rule.actions.map(keyed),
    };
  }
  return {
    name: '',
    mailboxId: choices.mailboxes[0]?.id ?? null,
    enabled: true,
    trigger: 'new-conversation',
    afterWorkingHours: 24,
    match: 'all',
    conditions: [],
    actions: [keyed<RuleAction>({ type: 'tag', tag: '' })],
    repeat: false,
  };
}

const bodyOf = (d: Draft): SaveRule => ({
  ...d,
  afterWorkingHours: d.trigger === 'schedule' ? d.afterWorkingHours : null,
  conditions: d.conditions.map((c) => c.item),
  actions: d.actions.map((a) => a.item),
});

/**
 * Create or edit one rule: name, mailbox (or all), when it runs, its conditions (all / any) and
 * actions; before saving, a preview of which of a mailbox's last 100 mails it would have matched.
 */
export function RuleForm({
  rule,
  choices,
  isAdmin,
  onSaved,
  onCancel,
}: {
  rule: Rule | null;
  choices: RuleChoices;
  isAdmin: boolean;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation('rules');
  const [draft, setDraft] = useState<Draft>(() => draftOf(rule, choices));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<RulePreview | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [previewMailbox, setPreviewMailbox] = useState(draft.mailboxId ?? choices.mailboxes[0]?.id ?? '');
  const set = (change: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setPreview(null);
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (rule) await rulesApi.save(rule.id, bodyOf(draft));
      else await rulesApi.create(bodyOf(draft));
      onSaved();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const runPreview = async () => {
    setPreviewing(true);
    setError(null);
    try {
      setPreview(await rulesApi.preview(draft.mailboxId ?? previewMailbox, bodyOf(draft)));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPreviewing(false);
    }
  };

  return (
    <form className="rule-form" onSubmit={onSubmit} data-testid="rule-form">
      <h2 className="form-title">{rule ? t('form.editTitle') : t('form.newTitle')}</h2>
      <div className="rule-grid">
        <label className="field">
          <span>{t('form.name')}</span>
          <input
            className="input"
            required
            maxLength={100}
            value={draft.name}
            onChange={(e) => set({ name: e.target.value })}
            data-testid="rule-name"
          />
        </label>
        <label className="field">
          <span>{t('form.mailbox')}</span>
          <select
            className="select"
            value={draft.mailboxId ?? ''}
            onChange={(e) => set({ mailboxId: e.target.value || null })}
            data-testid="rule-mailbox"
          >
            {isAdmin ? <option value="">{t('global')}</option> : null}
            {choices.mailboxes.map((m) => (
              <option key={m.id} value={m.id}>
                {m.address}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('form.trigger')}</span>
          <select
            className="select"
            value={draft.trigger}
            onChange={(e) => set({ trigger: e.target.value as Draft['trigger'] })}
            data-testid="rule-trigger"
          >
            {ruleTriggers.map((trigger) => (
              <option key={trigger} value={trigger}>
                {trigger === 'schedule' ? t('triggers.scheduleShort') : t(`triggers.${trigger}`)}
              </option>
            ))}
          </select>
        </label>
        {draft.trigger === 'schedule' ? (
          <label className="field">
            <span>{t('form.afterWorkingHours')}</span>
            <input
              className="input"
              type="number"
              min={1}
              max={10000}
              value={draft.afterWorkingHours}
              onChange={(e) => set({ afterWorkingHours: Number(e.target.value) })}
            />
          </label>
        ) : null}
      </div>

      <fieldset className="rule-section">
        <legend>
          {t('form.match')}{' '}
          <select
            className="select"
            value={draft.match}
            onChange={(e) => set({ match: e.target.value as 'all' | 'any' })}
            aria-label={t('form.match')}
          >
            <option value="all">{t('form.matchAll')}</option>
            <option value="any">{t('form.matchAny')}</option>
          </select>
        </legend>
        {draft.conditions.length === 0 ? <p className="muted-3">{t('form.noConditions')}</p> : null}
        <ul className="rule-rows">
          {draft.conditions.map(({ key, item: condition }) => (
            <li key={key} className="rule-row" data-testid="rule-condition">
              <select
                className="select"
                aria-label={t('form.match')}
                value={condition.field}
                onChange={(e) =>
                  set({
                    conditions: draft.conditions.map((c) =>
                      c.key === key ? { key, item: newCondition(e.target.value as (typeof conditionFields)[number], choices) } : c,
                    ),
                  })
                }
              >
                {conditionFields.map((f) => (
                  <option key={f} value={f}>
                    {t(`fields.${f}`)}
                  </option>
                ))}
              </select>
              <ConditionRow
                key={condition.field}
                condition={condition}
                choices={choices}
                onChange={(changed) => set({ conditions: draft.conditions.map((c) => (c.key === key ? { key, item: changed } : c)) })}
              />
              <button
                type="button"
                className="btn btn-ghost"
                onClick={() => set({ conditions: draft.conditions.filter((c) => c.key !== key) })}
              >
                {t('form.removeRow')}
              </button>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => set({ conditions: [...draft.conditions, keyed(newCondition('subject-or-body', choices))] })}
          data-testid="rule-add-condition"
        >
          + {t('form.addCondition')}
        </button>
      </fieldset>

      <fieldset className="rule-section">
        <legend>{t('form.actions')}</legend>
        <ul className="rule-rows">
          {draft.actions.map(({ key, item: action }) => (
            <li key={key} className="rule-row" data-testid="rule-action">
              <select
                className="select"
                aria-label={t('form.actions')}
                value={action.type}
                onChange={(e) =>
                  set({
                    actions: draft.actions.map((a) =>
                      a.key === key
                        ? { key, item: newAction(e.target.value as (typeof actionTypes)[number], choices, draft.mailboxId) }
                        : a,
                    ),
                  })
                }
              >
                {actionTypes.map((type) => (
                  <option key={type} value={type}>
                    {t(`actionTypes.${type}`)}
                  </option>
                ))}
              </select>
              <ActionRow
                action={action}
                choices={choices}
                mailboxId={draft.mailboxId}
                onChange={(changed) => set({ actions: draft.actions.map((a) => (a.key === key ? { key, item: changed } : a)) })}
              />
              {draft.actions.length > 1 ? (
                <button
                  type="button"
                  className="btn btn-ghost"
                  onClick={() => set({ actions: draft.actions.filter((a) => a.key !== key) })}
                >
                  {t('form.removeRow')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => set({ actions: [...draft.actions, keyed(newAction('tag', choices, draft.mailboxId))] })}
        >
          + {t('form.addAction')}
        </button>
      </fieldset>

      <label className="rule-check">
        <input type="checkbox" checked={draft.repeat} onChange={(e) => set({ repeat: e.target.checked })} /> {t('form.repeat')}
      </label>
      <label className="rule-check">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> {t('form.enabled')}
      </label>

      <section className="rule-preview" aria-labelledby="rule-preview-title">
        <h3 id="rule-preview-title">{t('preview.title')}</h3>
        <div className="rule-preview-run">
          {draft.mailboxId === null ? (
            <label>
              {t('preview.mailbox')}{' '}
              <select className="select" value={previewMailbox} onChange={(e) => setPreviewMailbox(e.target.value)}>
                {choices.mailboxes.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.address}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <button type="button" className="btn" onClick={runPreview} disabled={previewing} data-testid="rule-preview">
            {previewing ? t('preview.running') : t('preview.run')}
          </button>
        </div>
        {preview ? (
          preview.checked === 0 ? (
            <p className="muted-3">{t('preview.none')}</p>
          ) : (
            <>
              <p data-testid="rule-preview-result">
                {t('preview.result', { matched: preview.items.filter((i) => i.matched).length, checked: preview.checked })}
              </p>
              <ul className="rule-preview-list">
                {preview.items.map((item) => (
                  <li key={item.messageId} className={item.matched ? 'matched' : undefined}>
                    <span className="rule-preview-mark">{item.matched ? `✓ ${t('preview.matched')}` : ''}</span>
                    <span className="rule-preview-subject" dir="auto">
                      {item.subject}
                    </span>
                    <span className="muted-3" dir="auto">
                      {item.from} · {formatFullTime(item.receivedAt)}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )
        ) : null}
      </section>

      {error ? (
        <p className="row-problem" role="alert">
          {error}
        </p>
      ) : null}
      <div className="rule-buttons">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="rule-save">
          {busy ? t('form.saving') : t('form.save')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}
