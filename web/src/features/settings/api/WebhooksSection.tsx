import { type Webhook, type WebhookEvent, webhookEvents } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { Field } from '../../../ui/Field';
import { Notice } from '../../../ui/Notice';
import { useStepUpAction } from '../../accounts/StepUp';
import { apiSettingsApi, apiSettingsKeys, type WebhookForm } from './api';
import { CopyButton } from './CopyButton';
import { DeliveryLog } from './DeliveryLog';

/** Webhooks: add (secret shown), the list with events and on/off, secret again (step-up), delivery log. */
export function WebhooksSection() {
  const { t } = useTranslation('api');
  const queryClient = useQueryClient();
  const hooks = useQuery({ queryKey: apiSettingsKeys.hooks, queryFn: apiSettingsApi.hooks });
  const [form, setForm] = useState<WebhookForm>({ name: '', url: '', events: ['conversation.created', 'message.received'], enabled: true });
  const [secret, setSecret] = useState<{ id: string; value: string } | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: apiSettingsKeys.hooks });
  const create = useStepUpAction(apiSettingsApi.createHook, {
    onSuccess: (made) => {
      setSecret({ id: made.id, value: made.secret });
      setForm({ name: '', url: '', events: form.events, enabled: true });
      refresh();
    },
  });
  const ready = form.name.trim() !== '' && form.url.trim() !== '' && form.events.length > 0;

  return (
    <section className="form-section api-section" aria-labelledby="api-hooks-title" data-testid="api-hooks">
      <h3 id="api-hooks-title">{t('hooks.title')}</h3>
      <p className="section-intro">{t('hooks.intro')}</p>
      <form
        className="api-hook-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) create.mutate({ ...form, name: form.name.trim(), url: form.url.trim() });
        }}
      >
        <div className="api-create">
          <Field
            id="api-hook-name"
            label={t('hooks.name')}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            maxLength={100}
          />
          <Field
            id="api-hook-url"
            label={t('hooks.url')}
            type="url"
            placeholder="https://"
            value={form.url}
            onChange={(e) => setForm({ ...form, url: e.target.value })}
            className="api-url"
          />
        </div>
        <EventPicker value={form.events} onChange={(events) => setForm({ ...form, events })} />
        {form.events.length === 0 ? <p className="field-error">{t('hooks.pickEvents')}</p> : null}
        <button type="submit" className="btn btn-primary" disabled={!ready || create.isPending} data-testid="api-hook-create">
          {t('hooks.create')}
        </button>
      </form>
      {create.dialog}
      {create.isError ? <Notice>{errorMessage(create.error)}</Notice> : null}
      {hooks.isPending ? <p aria-busy="true">{t('loading')}</p> : null}
      {hooks.isError ? <Notice>{t('loadFailed')}</Notice> : null}
      {hooks.data?.webhooks.length === 0 ? <p className="hint">{t('hooks.empty')}</p> : null}
      <ul className="api-hooks">
        {hooks.data?.webhooks.map((hook) => (
          <HookCard
            key={`${hook.id}:${hook.enabled}:${hook.events.join()}`}
            hook={hook}
            secret={secret?.id === hook.id ? secret.value : null}
            onSecret={(value) => setSecret(value === null ? null : { id: hook.id, value })}
          />
        ))}
      </ul>
    </section>
  );
}

function EventPicker({ value, onChange }: { value: WebhookEvent[]; onChange: (events: WebhookEvent[]) => void }) {
  const { t } = useTranslation('api');
  return (
    <fieldset className="api-events">
      <legend>{t('hooks.events')}</legend>
      {webhookEvents.map((event) => (
        <label key={event} className="api-event">
          <input
            type="checkbox"
            checked={value.includes(event)}
            onChange={(e) => onChange(e.target.checked ? [...value, event] : value.filter((v) => v !== event))}
          />
          <span>{t(`hooks.event.${event}`)}</span> <code>{event}</code>
        </label>
      ))}
    </fieldset>
  );
}

function HookCard({ hook, secret, onSecret }: { hook: Webhook; secret: string | null; onSecret: (value: string | null) => void }) {
  const { t } = useTranslation('api');
  const queryClient = useQueryClient();
  const [showLog, setShowLog] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: apiSettingsKeys.hooks });
  const toggle = useStepUpAction(apiSettingsApi.updateHook, { onSuccess: refresh });
  const remove = useMutation({ mutationFn: apiSettingsApi.removeHook, onSuccess: refresh });
  const reveal = useStepUpAction(apiSettingsApi.secret, { onSuccess: (answer) => onSecret(answer.secret) });
  const error = toggle.error ?? remove.error ?? reveal.error;

  return (
    <li className="api-hook" data-testid="api-hook">
      <div className="api-hook-head">
        <div>
          <p className="cell-main">
            {hook.name}{' '}
            <span className={hook.enabled ? 'badge status-badge' : 'badge status-badge paused'} data-testid="api-hook-state">
              {hook.enabled ? t('hooks.enabled') : t('hooks.disabled')}
            </span>
          </p>
          <p className="cell-sub api-url-text">{hook.url}</p>
          <p className="cell-sub">{hook.events.map((e) => t(`hooks.event.${e}`)).join(' · ')}</p>
        </div>
        <div className="row-actions">
          <button type="button" className="btn btn-sm" onClick={() => setShowLog(!showLog)} data-testid="api-hook-log">
            {showLog ? t('hooks.hideDeliveries') : t('hooks.deliveries')}
          </button>
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => (secret ? onSecret(null) : reveal.mutate(hook.id))}
            data-testid="api-hook-secret"
          >
            {secret ? t('hooks.hideSecret') : t('hooks.showSecret')}
          </button>
          <button
            type="button"
            className="btn btn-sm"
            disabled={toggle.isPending}
            onClick={() => toggle.mutate({ id: hook.id, name: hook.name, url: hook.url, events: hook.events, enabled: !hook.enabled })}
          >
            {hook.enabled ? t('hooks.turnOff') : t('hooks.turnOn')}
          </button>
          <button
            type="button"
            className="btn btn-sm btn-quiet"
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm(t('hooks.confirmRemove', { name: hook.name }))) remove.mutate(hook.id);
            }}
          >
            {t('hooks.remove')}
          </button>
        </div>
      </div>
      {toggle.dialog}
      {reveal.dialog}
      {error ? <Notice>{errorMessage(error)}</Notice> : null}
      {secret ? (
        <div className="api-once" role="status" data-testid="api-hook-secret-shown">
          <p>
            {t('hooks.secretTitle')}: {t('hooks.secretShownNow')}
          </p>
          <code className="api-secret">{secret}</code>
          <div className="row-actions">
            <CopyButton text={secret} />
          </div>
        </div>
      ) : null}
      {showLog ? <DeliveryLog hookId={hook.id} /> : null}
    </li>
  );
}
