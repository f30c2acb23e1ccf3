import { type ApiTokenScope, apiTokenScopes } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { Field } from '../../../ui/Field';
import { Notice } from '../../../ui/Notice';
import { useStepUpAction } from '../../accounts/StepUp';
import { formatRelative, useNow } from '../relativeTime';
import { apiSettingsApi, apiSettingsKeys } from './api';
import { CopyButton } from './CopyButton';

/** API tokens: make one (shown once), the list with owner, scope and last use, revoke. */
export function TokensSection() {
  const { t } = useTranslation('api');
  const now = useNow();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: apiSettingsKeys.tokens, queryFn: apiSettingsApi.tokens });
  const [name, setName] = useState('');
  const [scope, setScope] = useState<ApiTokenScope>('read');
  const [shown, setShown] = useState<string | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: apiSettingsKeys.tokens });
  const create = useStepUpAction(apiSettingsApi.createToken, {
    onSuccess: (made) => {
      setShown(made.token);
      setName('');
      refresh();
    },
  });
  const revoke = useMutation({ mutationFn: apiSettingsApi.revokeToken, onSuccess: refresh });

  return (
    <section className="form-section api-section" aria-labelledby="api-tokens-title" data-testid="api-tokens">
      <h3 id="api-tokens-title">{t('tokens.title')}</h3>
      <p className="section-intro">{t('tokens.intro')}</p>
      <form
        className="api-create"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) create.mutate({ name: name.trim(), scope });
        }}
      >
        <Field
          id="api-token-name"
          label={t('tokens.name')}
          placeholder={t('tokens.namePlaceholder')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={100}
        />
        <div className="field">
          <label htmlFor="api-token-scope">{t('tokens.scope')}</label>
          <select
            id="api-token-scope"
            className="input"
            value={scope}
            onChange={(e) => setScope(e.target.value as ApiTokenScope)}
            data-testid="api-token-scope"
          >
            {apiTokenScopes.map((s) => (
              <option key={s} value={s}>
                {t(`tokens.scopes.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn btn-primary" disabled={!name.trim() || create.isPending} data-testid="api-token-create">
          {create.isPending ? t('tokens.creating') : t('tokens.create')}
        </button>
      </form>
      {create.dialog}
      {create.isError ? <Notice>{errorMessage(create.error)}</Notice> : null}
      {shown ? (
        <div className="api-once" role="status" data-testid="api-token-shown">
          <p>{t('tokens.shownOnce')}</p>
          <code className="api-secret">{shown}</code>
          <div className="row-actions">
            <CopyButton text={shown} />
            <button type="button" className="btn btn-sm" onClick={() => setShown(null)}>
              {t('tokens.done')}
            </button>
          </div>
        </div>
      ) : null}
      {tokens.isPending ? <p aria-busy="true">{t('loading')}</p> : null}
      {tokens.isError ? <Notice>{t('loadFailed')}</Notice> : null}
      {tokens.data?.tokens.length === 0 ? <p className="hint">{t('tokens.empty')}</p> : null}
      {tokens.data && tokens.data.tokens.length > 0 ? (
        <div className="table-scroll">
          <table className="data-table api-table">
            <thead>
              <tr>
                <th>{t('tokens.colName')}</th>
                <th>{t('tokens.colOwner')}</th>
                <th>{t('tokens.colScope')}</th>
                <th>{t('tokens.colCreated')}</th>
                <th>{t('tokens.colLastUsed')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {tokens.data.tokens.map((token) => (
                <tr key={token.id} className={token.revokedAt ? 'api-revoked' : undefined} data-testid="api-token-row">
                  <td className="cell-main">{token.name}</td>
                  <td>{token.userEmail}</td>
                  <td>{t(`tokens.scopeShort.${token.scope}`)}</td>
                  <td className="nowrap">{formatRelative(token.createdAt, now)}</td>
                  <td className="nowrap">{token.lastUsedAt ? formatRelative(token.lastUsedAt, now) : t('never')}</td>
                  <td className="row-actions">
                    {token.revokedAt ? (
                      <span className="badge status-badge paused" data-testid="api-token-revoked">
                        {t('tokens.revoked')}
                      </span>
                    ) : (
                      <button
                        type="button"
                        className="btn btn-sm btn-quiet"
                        disabled={revoke.isPending}
                        onClick={() => {
                          if (window.confirm(t('tokens.confirmRevoke', { name: token.name }))) revoke.mutate(token.id);
                        }}
                        data-testid="api-token-revoke"
                      >
                        {t('tokens.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {revoke.isError ? <Notice>{errorMessage(revoke.error)}</Notice> : null}
      <p className="hint">
        <code>{t('tokens.cliHint')}</code>
      </p>
    </section>
  );
}
