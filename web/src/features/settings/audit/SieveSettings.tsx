import type { ForwardingAudit, SaveSieveSettings } from '@pier/contracts';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { forwardingApi } from './api';

type Sieve = ForwardingAudit['sieve'][number];

/** Where the scan reaches one mailbox's ManageSieve server: providers differ from port 4190. */
export function SieveSettings({ mailbox, onSaved }: { mailbox: Sieve; onSaved: (audit: ForwardingAudit) => void }) {
  const { t } = useTranslation('audit');
  const [port, setPort] = useState(String(mailbox.port));
  const [tls, setTls] = useState<SaveSieveSettings['tls']>(mailbox.tls);
  const [enabled, setEnabled] = useState(mailbox.enabled);
  const save = useMutation({
    mutationFn: () => forwardingApi.saveSieve(mailbox.mailboxId, { enabled, port: Number(port), tls }),
    onSuccess: onSaved,
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!save.isPending) save.mutate();
  };
  return (
    <form className="audit-sieve-settings" onSubmit={onSubmit} data-testid="sieve-settings" noValidate>
      <label>
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> {t('forwarding.sieve.enabled')}
      </label>
      <label>
        {t('forwarding.sieve.port')}{' '}
        <input
          className="input"
          inputMode="numeric"
          size={6}
          value={port}
          onChange={(e) => setPort(e.target.value)}
          data-testid="sieve-port"
        />
      </label>
      <label>
        {t('forwarding.sieve.tls')}{' '}
        <select className="input" value={tls} onChange={(e) => setTls(e.target.value as SaveSieveSettings['tls'])}>
          <option value="starttls">STARTTLS</option>
          <option value="tls">TLS</option>
          <option value="none">{t('forwarding.sieve.noTls')}</option>
        </select>
      </label>
      <button type="submit" className="btn btn-sm" disabled={save.isPending} data-testid="sieve-save">
        {t('forwarding.sieve.save')}
      </button>
      {save.isError ? <span className="composer-error">{errorMessage(save.error)}</span> : null}
    </form>
  );
}
