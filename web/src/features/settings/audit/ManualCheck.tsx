import type { ForwardingAudit } from '@pier/contracts';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { formatFullTime } from '../../inbox/format';
import { forwardingApi } from './api';

type Sieve = ForwardingAudit['sieve'][number];

/**
 * A provider without ManageSieve (Tencent Exmail, Alibaba Mail): what to look at in its console,
 * the last recorded check ("checked on … by …", also in the quarterly report), and the form that
 * records a new one.
 */
export function ManualCheck({
  mailbox,
  canRecord,
  onSaved,
}: {
  mailbox: Sieve;
  canRecord: boolean;
  onSaved: (audit: ForwardingAudit) => void;
}) {
  const { t } = useTranslation('audit');
  const [found, setFound] = useState(false);
  const [note, setNote] = useState('');
  const record = useMutation({
    mutationFn: () => forwardingApi.recordManualCheck(mailbox.mailboxId, { forwardingFound: found, note }),
    onSuccess: (audit) => {
      setNote('');
      setFound(false);
      onSaved(audit);
    },
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!record.isPending) record.mutate();
  };
  const steps = mailbox.preset === 'aliyun' ? 'aliyun' : 'exmail';
  const last = mailbox.manualCheck;
  return (
    <div className="audit-manual-check" data-testid="manual-check">
      <p>{t('forwarding.manual.intro')}</p>
      <ol className="audit-manual-steps">
        {(t(`forwarding.manual.steps.${steps}`, { returnObjects: true }) as string[]).map((step) => (
          <li key={step} className="audit-manual-step">
            {step}
          </li>
        ))}
      </ol>
      <p className={last?.forwardingFound ? 'audit-failed' : 'muted'} data-testid="manual-check-last">
        {last
          ? t(last.forwardingFound ? 'forwarding.manual.lastFound' : 'forwarding.manual.lastClean', {
              at: formatFullTime(last.checkedAt),
              by: last.checkedBy,
            })
          : t('forwarding.manual.never')}
        {last?.note ? ` — ${last.note}` : ''}
      </p>
      {canRecord ? (
        <form className="audit-sieve-settings" onSubmit={onSubmit} noValidate>
          <label>
            <input type="radio" name={`found-${mailbox.mailboxId}`} checked={!found} onChange={() => setFound(false)} />{' '}
            {t('forwarding.manual.none')}
          </label>
          <label>
            <input type="radio" name={`found-${mailbox.mailboxId}`} checked={found} onChange={() => setFound(true)} />{' '}
            {t('forwarding.manual.found')}
          </label>
          <input
            className="input"
            value={note}
            maxLength={1000}
            placeholder={t('forwarding.manual.notePlaceholder')}
            aria-label={t('forwarding.manual.notePlaceholder')}
            onChange={(e) => setNote(e.target.value)}
            data-testid="manual-check-note"
          />
          <button type="submit" className="btn btn-sm" disabled={record.isPending} data-testid="manual-check-record">
            {t('forwarding.manual.record')}
          </button>
          {record.isError ? <span className="composer-error">{errorMessage(record.error)}</span> : null}
        </form>
      ) : null}
    </div>
  );
}
