import type { ConversationDetail } from '@pier/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CustomerPhone } from '../fraud';
import { formatListTime } from '../inbox/format';
import { Flag } from './Flag';
import { countryName, localTimeIn } from './format';
import { READING_NS } from './strings';

/** Re-renders once a minute, on the minute, so "local time now" stays true. */
function useMinuteClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      setNow(new Date());
      timer = setTimeout(tick, 60_000 - (Date.now() % 60_000));
    };
    timer = setTimeout(tick, 60_000 - (Date.now() % 60_000));
    return () => clearTimeout(timer);
  }, []);
  return now;
}

export function CustomerHeader({ detail, hrefFor }: { detail: ConversationDetail; hrefFor: (conversationId: string) => string }) {
  const { t } = useTranslation(READING_NS);
  const now = useMinuteClock();
  const { customer, conversation, related } = detail;
  const byMail = related.filter((r) => r.via === 'mail');
  const byCustomer = related.filter((r) => r.via === 'customer');
  const local = customer?.timeZone ? localTimeIn(customer.timeZone, now) : null;
  return (
    <header className="conv-header" data-testid="conversation-header">
      <div className="customer" data-testid="customer">
        <div className="customer-line">
          <Flag country={customer?.country} />
          <strong className="customer-name">
            <bdi>{customer?.name || customer?.address || t('customer.unknown')}</bdi>
          </strong>
          {customer?.name ? (
            <span className="customer-address">
              <bdi>{customer.address}</bdi>
            </span>
          ) : null}
        </div>
        <div className="customer-facts">
          {customer?.company ? (
            <span className="customer-company">
              <bdi>{customer.company.name}</bdi>
            </span>
          ) : null}
          {customer?.country ? <span>{countryName(customer.country)}</span> : null}
          {customer ? <CustomerPhone conversationId={conversation.id} address={customer.address} /> : null}
          {local && customer?.timeZone ? (
            <span
              className="customer-time"
              title={t('customer.localTimeTitle', { zone: customer.timeZone })}
              data-testid="customer-local-time"
            >
              {t('customer.localTime', { time: local })}
            </span>
          ) : null}
        </div>
      </div>
      <div className="conv-mailboxes" data-testid="conversation-mailboxes">
        <span className="conv-mailboxes-label">{t('pane.inMailboxes')}</span>
        {conversation.mailboxes.map((mailbox) => (
          <span key={mailbox.id} className="mailbox-chip" title={mailbox.displayName}>
            {mailbox.address}
          </span>
        ))}
      </div>
      {byMail.map((r) => (
        <p key={r.id} className="related-by-mail" data-testid="related-by-mail" title={t('pane.relatedByMailHint')}>
          <Link to={hrefFor(r.id)}>
            {t('pane.relatedByMail', { mailboxes: r.mailboxes.join(', ') })}
            {': '}
            <bdi>{r.subject || t('pane.noSubject')}</bdi>
          </Link>
        </p>
      ))}
      {byCustomer.length > 0 ? (
        <details className="related" data-testid="related-conversations">
          <summary>
            {t('pane.related')} <span className="count">{byCustomer.length}</span>
          </summary>
          <ul>
            {byCustomer.map((r) => (
              <li key={r.id}>
                <Link to={hrefFor(r.id)}>
                  <span className="related-subject">
                    <bdi>{r.subject || t('pane.noSubject')}</bdi>
                  </span>
                  <span className="related-meta">{formatListTime(r.lastMessageAt)}</span>
                </Link>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </header>
  );
}
