import type { ForwardingAudit, PierForwardingRule, SaveForwardingRule } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { Field } from '../../../ui/Field';
import { AlertIcon } from '../../../ui/icons';
import { useStepUp } from '../../accounts/StepUp';
import { formatFullTime } from '../../inbox/format';
import { mailboxApi, mailboxKeys } from '../mailboxes/api';
import { forwardingApi } from './api';

type Rules = ForwardingAudit['pierRules'];

/**
 * Pier's own forwarding rules on the forwarding audit page: who made each, when, whether it leaves
 * the company, how many mails it forwarded. Admins add, switch off and remove rules here; every
 * change asks for the password and code again (step-up).
 */
export function PierForwardingRules({
  rules,
  companyDomains,
  canManage,
  onChanged,
}: {
  rules: Rules;
  companyDomains: string[];
  canManage: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation('audit');
  const stepUp = useStepUp();
  const change = useMutation({
    mutationFn: (run: () => Promise<unknown>) => stepUp.run(run),
    onSuccess: onChanged,
  });
  const save = (rule: PierForwardingRule, enabled: boolean) =>
    forwardingApi.saveRule(rule.id, {
      mailboxId: rule.mailboxId ?? '',
      name: rule.name,
      senderDomain: rule.senderDomain,
      target: rule.target,
      enabled,
    } satisfies SaveForwardingRule);

  return (
    <>
      {stepUp.dialog}
      {!rules.available ? (
        <p className="muted-3">{t('forwarding.pierUnavailable')}</p>
      ) : rules.items.length === 0 ? (
        <p className="muted-3" data-testid="forwarding-pier-rules">
          {t('forwarding.pierNone')}
        </p>
      ) : (
        <table className="data-table audit-table" data-testid="forwarding-pier-rules">
          <thead>
            <tr>
              <th scope="col">{t('forwarding.rules.columns.target')}</th>
              <th scope="col">{t('forwarding.rules.columns.mailbox')}</th>
              <th scope="col">{t('forwarding.rules.columns.scope')}</th>
              <th scope="col">{t('forwarding.rules.columns.madeBy')}</th>
              <th scope="col">{t('forwarding.rules.columns.forwarded')}</th>
              {canManage ? <th scope="col" /> : null}
            </tr>
          </thead>
          <tbody>
            {rules.items.map((rule) => (
              <tr key={rule.id} className={rule.external ? 'audit-failed' : undefined} data-testid="forwarding-pier-rule">
                <td>
                  <span className="cell-main audit-action-name">
                    {rule.external ? <AlertIcon /> : null} {rule.target}
                  </span>
                  <span className="cell-sub">
                    {rule.external ? t('forwarding.external') : t('forwarding.internal')} · {rule.name}
                    {rule.enabled ? '' : ` · ${t('forwarding.rules.disabled')}`}
                  </span>
                </td>
                <td>{rule.mailboxAddress}</td>
                <td>
                  {rule.senderDomain ? t('forwarding.rules.fromDomain', { domain: rule.senderDomain }) : t('forwarding.rules.allMail')}
                </td>
                <td className="nowrap">
                  {t('forwarding.rules.madeBy', {
                    name: rule.createdByName ?? t('forwarding.rules.unknownMaker'),
                    at: formatFullTime(rule.createdAt),
                  })}
                </td>
                <td>{rule.forwarded}</td>
                {canManage ? (
                  <td className="nowrap">
                    <button
                      type="button"
                      className="btn btn-ghost"
                      disabled={change.isPending}
                      onClick={() => change.mutate(() => save(rule, !rule.enabled))}
                    >
                      {rule.enabled ? t('forwarding.rules.disable') : t('forwarding.rules.enable')}
                    </button>{' '}
                    <button
                      type="button"
                      className="btn btn-ghost"
                      data-testid="forwarding-rule-remove"
                      disabled={change.isPending}
                      onClick={() => {
                        if (!window.confirm(t('forwarding.rules.confirmRemove', { name: rule.name, target: rule.target }))) return;
                        change.mutate(() => forwardingApi.removeRule(rule.id));
                      }}
                    >
                      {t('forwarding.rules.remove')}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {change.isError ? (
        <p className="row-problem" role="alert">
          {errorMessage(change.error)}
        </p>
      ) : null}
      {canManage ? (
        <NewRuleForm companyDomains={companyDomains} onCreate={(body) => change.mutateAsync(() => forwardingApi.createRule(body))} />
      ) : null}
    </>
  );
}

function NewRuleForm({ companyDomains, onCreate }: { companyDomains: string[]; onCreate: (body: SaveForwardingRule) => Promise<unknown> }) {
  const { t } = useTranslation('audit');
  const queryClient = useQueryClient();
  const mailboxes = useQuery({
    queryKey: mailboxKeys.list,
    queryFn: mailboxApi.list,
  });
  const [mailboxId, setMailboxId] = useState('');
  const [name, setName] = useState('');
  const [senderDomain, setSenderDomain] = useState('');
  const [target, setTarget] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const chosen = mailboxId || mailboxes.data?.items[0]?.id || '';
  const targetDomain = target.trim().toLowerCase().split('@')[1];
  const external = Boolean(targetDomain) && !companyDomains.includes(targetDomain ?? '');

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await onCreate({ mailboxId: chosen, name: name.trim(), senderDomain: senderDomain.trim() || null, target: target.trim() });
      setName('');
      setSenderDomain('');
      setTarget('');
      await queryClient.invalidateQueries({ queryKey: ['audit', 'forwarding'] });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="audit-rule-form" onSubmit={(event) => void onSubmit(event)} data-testid="forwarding-rule-form" noValidate>
      <h4>{t('forwarding.rules.newTitle')}</h4>
      <p className="muted-3">{t('forwarding.rules.newHint')}</p>
      {error ? (
        <p className="row-problem" role="alert">
          {errorMessage(error)}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="forwarding-rule-mailbox">{t('forwarding.rules.mailbox')}</label>
        <select
          id="forwarding-rule-mailbox"
          className="select"
          data-testid="forwarding-rule-mailbox"
          value={chosen}
          onChange={(event) => setMailboxId(event.target.value)}
        >
          {(mailboxes.data?.items ?? []).map((m) => (
            <option key={m.id} value={m.id}>
              {m.address}
            </option>
          ))}
        </select>
      </div>
      <Field
        id="forwarding-rule-name"
        data-testid="forwarding-rule-name"
        label={t('forwarding.rules.name')}
        value={name}
        maxLength={120}
        onChange={(event) => setName(event.target.value)}
      />
      <Field
        id="forwarding-rule-sender"
        data-testid="forwarding-rule-sender"
        label={t('forwarding.rules.senderDomain')}
        placeholder={t('forwarding.rules.senderDomainPlaceholder')}
        value={senderDomain}
        onChange={(event) => setSenderDomain(event.target.value)}
      />
      <Field
        id="forwarding-rule-target"
        data-testid="forwarding-rule-target"
        type="email"
        label={t('forwarding.rules.target')}
        value={target}
        onChange={(event) => setTarget(event.target.value)}
      />
      {external ? (
        <p className="row-problem" data-testid="forwarding-rule-external">
          <AlertIcon /> {t('forwarding.rules.externalWarning', { target: target.trim() })}
        </p>
      ) : null}
      <button
        type="submit"
        className="btn btn-primary"
        data-testid="forwarding-rule-create"
        disabled={busy || !name.trim() || !target.trim()}
      >
        {busy ? t('forwarding.rules.creating') : t('forwarding.rules.create')}
      </button>
    </form>
  );
}
