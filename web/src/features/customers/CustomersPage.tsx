import type { SessionInfo } from '@pier/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { currentLocale, errorMessage } from '../../i18n';
import { BackIcon } from '../../ui/icons';
import { Notice } from '../../ui/Notice';
import { useDebouncedValue } from '../../ui/useDebouncedValue';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { countryName } from '../conversation/format';
import { TopBar } from '../inbox/TopBar';
import { useLogout } from '../session/queries';
import { isAdminRole } from '../session/roles';
import { type CustomerFilters, customersApi } from './api';
import { CustomerAdmin } from './CustomerAdmin';
import { CompanyPanel, ContactPanel } from './CustomerDetail';
import './strings';
import '../accounts/accounts.css';
import './customers.css';

const formatDate = (ms: number) => new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium' }).format(new Date(ms));

/** /customers: the directory of contacts and companies (decision 0048), a detail panel with the history. */
export function CustomersPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation('customers');
  useDocumentTitle(t('title'));
  const navigate = useNavigate();
  const logout = useLogout();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'companies' ? 'companies' : 'contacts';
  const selected = params.get('id');
  const [filters, setFilters] = useState<CustomerFilters>({ q: '', country: '', owner: '', tag: '', lastContact: '' });
  const [limit, setLimit] = useState(50);
  const debounced = useDebouncedValue(filters, 250);
  const isAdmin = isAdminRole(session.user.role);
  const owners = useQuery({ queryKey: ['customers', 'owners'], queryFn: customersApi.owners });
  const contacts = useQuery({
    queryKey: ['customers', 'contacts', debounced, limit],
    queryFn: () => customersApi.contacts(debounced, limit),
    enabled: tab === 'contacts',
    placeholderData: keepPreviousData,
  });
  const companies = useQuery({
    queryKey: ['customers', 'companies', debounced, limit],
    queryFn: () => customersApi.companies(debounced, limit),
    enabled: tab === 'companies',
    placeholderData: keepPreviousData,
  });
  const open = (next: { tab?: string; id?: string | null }) => {
    const p = new URLSearchParams(params);
    if (next.tab) p.set('tab', next.tab);
    if (next.id) p.set('id', next.id);
    else p.delete('id');
    setParams(p);
  };
  const list = tab === 'contacts' ? contacts : companies;
  return (
    <div className="security-shell" data-testid="customers-page">
      <TopBar
        session={session}
        title={t('title')}
        subtitle={null}
        onSignOut={() => logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })}
        signingOut={logout.isPending}
      />
      <main className={selected ? 'customers-main has-detail' : 'customers-main'}>
        <section className="customers-list">
          <Link to="/" className="sec-back">
            <BackIcon />
          </Link>
          <div className="customers-tabs" role="tablist">
            {(['contacts', 'companies'] as const).map((k) => (
              <button
                key={k}
                type="button"
                role="tab"
                aria-selected={tab === k}
                className={tab === k ? 'btn btn-primary' : 'btn'}
                onClick={() => open({ tab: k, id: null })}
                data-testid={`customers-tab-${k}`}
              >
                {t(`tabs.${k}`)}
              </button>
            ))}
          </div>
          <input
            className="input"
            type="search"
            placeholder={t('search')}
            aria-label={t('search')}
            value={filters.q}
            onChange={(e) => setFilters({ ...filters, q: e.target.value })}
            data-testid="customers-search"
          />
          <div className="customers-filters">
            <input
              className="input"
              placeholder={t('filters.country')}
              aria-label={t('filters.country')}
              maxLength={2}
              value={filters.country}
              onChange={(e) => setFilters({ ...filters, country: e.target.value })}
            />
            <select
              className="input"
              aria-label={t('filters.owner')}
              value={filters.owner}
              onChange={(e) => setFilters({ ...filters, owner: e.target.value })}
              data-testid="customers-owner"
            >
              <option value="">{t('filters.anyOwner')}</option>
              <option value="me">{t('filters.mine')}</option>
              <option value="none">{t('filters.pool')}</option>
              {(owners.data?.items ?? []).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
            <input
              className="input"
              placeholder={t('filters.tag')}
              aria-label={t('filters.tag')}
              value={filters.tag}
              onChange={(e) => setFilters({ ...filters, tag: e.target.value })}
            />
            <select
              className="input"
              aria-label={t('filters.lastContact')}
              value={filters.lastContact}
              onChange={(e) => setFilters({ ...filters, lastContact: e.target.value as CustomerFilters['lastContact'] })}
            >
              <option value="">{t('filters.any')}</option>
              <option value="within30">{t('filters.within30')}</option>
              <option value="quiet90">{t('filters.quiet90')}</option>
              <option value="quiet180">{t('filters.quiet180')}</option>
            </select>
          </div>
          {list.isError ? <Notice>{errorMessage(list.error)}</Notice> : null}
          {list.data ? <p className="muted">{t('total', { count: list.data.total })}</p> : null}
          {list.data?.total === 0 ? <p className="muted">{t('none')}</p> : null}
          <ul className="customers-rows" data-testid="customers-rows">
            {tab === 'contacts'
              ? (contacts.data?.items ?? []).map((c) => (
                  <li key={c.id}>
                    <button
                      type="button"
                      className={selected === c.id ? 'customer-row is-selected' : 'customer-row'}
                      onClick={() => open({ id: c.id })}
                      data-testid="customer-row"
                    >
                      <strong>{c.name ?? c.address}</strong>
                      <span className="muted">
                        {c.address}
                        {c.company ? ` · ${c.company.name}` : ''}
                      </span>
                      <span className="customer-meta">
                        {c.country ? <span>{countryName(c.country)}</span> : null}
                        <span className={c.owner ? 'badge' : 'badge accent'}>{c.owner ? c.owner.name : t('pool')}</span>
                        {c.tags.map((tag) => (
                          <span key={tag} className="badge">
                            {tag}
                          </span>
                        ))}
                        <span className="muted">{t('lastSeen', { date: formatDate(c.lastSeenAt) })}</span>
                      </span>
                    </button>
                  </li>
                ))
              : (companies.data?.items ?? []).map((c) => (
                  <li key={c.id}>
                    <button
                      type="button"
                      className={selected === c.id ? 'customer-row is-selected' : 'customer-row'}
                      onClick={() => open({ id: c.id })}
                      data-testid="company-row"
                    >
                      <strong>{c.name}</strong>
                      <span className="muted">
                        {c.domain} · {t('people', { count: c.contacts })}
                      </span>
                      <span className="customer-meta">
                        {c.country ? <span>{countryName(c.country)}</span> : null}
                        {c.lastSeenAt ? <span className="muted">{t('lastSeen', { date: formatDate(c.lastSeenAt) })}</span> : null}
                      </span>
                    </button>
                  </li>
                ))}
          </ul>
          {list.data && list.data.items.length < list.data.total ? (
            <button type="button" className="btn" onClick={() => setLimit(limit + 50)}>
              {t('more')}
            </button>
          ) : null}
          {isAdmin ? <CustomerAdmin /> : null}
        </section>
        <section className="customers-detail">
          {selected ? (
            <>
              <button type="button" className="btn btn-ghost customers-close" onClick={() => open({ id: null })}>
                <BackIcon />
              </button>
              {tab === 'contacts' ? (
                <ContactPanel id={selected} userId={session.user.id} isAdmin={isAdmin} onChanged={() => void list.refetch()} />
              ) : (
                <CompanyPanel id={selected} onOpenContact={(id) => open({ tab: 'contacts', id })} />
              )}
            </>
          ) : (
            <p className="muted">{t('detail.empty')}</p>
          )}
        </section>
      </main>
    </div>
  );
}
