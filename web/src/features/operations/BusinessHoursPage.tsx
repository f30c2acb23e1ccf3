import type { MailboxOperationsSettings } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { mailboxApi, mailboxKeys } from '../settings/mailboxes/api';
import { operationsApi, operationsKeys } from './api';
import { datesToText, type HoursDraft, HoursEditor, textToDates } from './HoursEditor';
import { type PolicyDraft, policiesOf, policiesValid, SlaEditor } from './SlaEditor';
import './operations.css';
import './strings';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A problem the form finds before asking the server, already in the user's words. */
class FormProblem extends Error {}
const problemText = (e: unknown) => (e instanceof FormProblem ? e.message : errorMessage(e));
const text = (h: number | null) => (h === null ? '' : String(h));

function draftsOf(settings: MailboxOperationsSettings): { hours: HoursDraft; policies: PolicyDraft[] } {
  const h = settings.businessHours;
  return {
    hours: { ...h, extraDaysOffText: datesToText(h.extraDaysOff), extraWorkingDaysText: datesToText(h.extraWorkingDays) },
    policies: settings.slaPolicies.map((p) => ({
      priority: p.priority,
      first: text(p.firstReplyHours),
      next: text(p.nextReplyHours),
      resolution: text(p.resolutionHours),
      isDefault: p.isDefault,
    })),
  };
}

/** /settings/business-hours: per mailbox, the hours, holidays and SLA targets the due times count with. */
export function BusinessHoursPage() {
  const { t } = useTranslation('operations');
  useDocumentTitle(t('hours.pageTitle'));
  const queryClient = useQueryClient();
  const mailboxes = useQuery({ queryKey: mailboxKeys.list, queryFn: mailboxApi.list });
  const [mailboxId, setMailboxId] = useState<string | null>(null);
  const chosen = mailboxId ?? mailboxes.data?.items[0]?.id ?? null;
  const settings = useQuery({
    queryKey: operationsKeys.settings(chosen ?? ''),
    queryFn: () => operationsApi.settings(chosen ?? ''),
    enabled: chosen !== null,
  });
  const calendars = useQuery({ queryKey: operationsKeys.calendars, queryFn: operationsApi.calendars, staleTime: Number.POSITIVE_INFINITY });
  const [hours, setHours] = useState<HoursDraft | null>(null);
  const [policies, setPolicies] = useState<PolicyDraft[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!settings.data) return;
    const d = draftsOf(settings.data);
    setHours(d.hours);
    setPolicies(d.policies);
  }, [settings.data]);

  const onSaved = (next: MailboxOperationsSettings) => {
    queryClient.setQueryData(operationsKeys.settings(next.mailboxId), next);
    setProblem(null);
    setSaved(true);
  };
  const saveHours = useMutation({
    mutationFn: () => {
      if (!hours || !chosen) throw new FormProblem('');
      const { extraDaysOffText, extraWorkingDaysText, ...rest } = hours;
      const off = textToDates(extraDaysOffText);
      const working = textToDates(extraWorkingDaysText);
      const bad = [...off, ...working].find((d) => !DATE.test(d));
      if (bad) throw new FormProblem(t('hours.badDate', { value: bad }));
      return operationsApi.saveHours(chosen, { ...rest, extraDaysOff: off, extraWorkingDays: working });
    },
    onSuccess: onSaved,
    onError: (e) => setProblem(problemText(e)),
  });
  const savePolicies = useMutation({
    mutationFn: () => {
      if (!policiesValid(policies)) throw new FormProblem(t('hours.badTarget'));
      return operationsApi.savePolicies(chosen ?? '', policiesOf(policies));
    },
    onSuccess: onSaved,
    onError: (e) => setProblem(problemText(e)),
  });
  const busy = saveHours.isPending || savePolicies.isPending;

  return (
    <div className="settings-page ops-page" data-testid="hours-page">
      <header className="page-head">
        <div>
          <h2>{t('hours.pageTitle')}</h2>
          <p className="page-intro">{t('hours.intro')}</p>
        </div>
      </header>
      {mailboxes.data && mailboxes.data.items.length === 0 ? <p className="muted-3">{t('hours.noMailboxes')}</p> : null}
      {chosen ? (
        <label className="field ops-inline">
          <span className="field-label">{t('hours.mailbox')}</span>
          <select
            className="select"
            value={chosen}
            data-testid="hours-mailbox"
            onChange={(e) => {
              setMailboxId(e.target.value);
              setSaved(false);
              setProblem(null);
            }}
          >
            {mailboxes.data?.items.map((m) => (
              <option key={m.id} value={m.id}>
                {m.displayName ? `${m.displayName} <${m.address}>` : m.address}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {problem ? <Notice testId="hours-problem">{problem}</Notice> : null}
      {saved && !problem ? (
        <p className="ops-saved" role="status" data-testid="hours-saved">
          {t('hours.saved')}
        </p>
      ) : null}
      {settings.data && hours ? (
        <>
          <section className="form-section ops-section">
            <h3>{t('hours.section')}</h3>
            {settings.data.businessHoursIsDefault ? <p className="muted-3">{t('hours.isDefault')}</p> : null}
            <HoursEditor
              draft={hours}
              onChange={(next) => {
                setHours(next);
                setSaved(false);
              }}
              calendars={calendars.data}
              coveredUntil={settings.data.calendarCoveredUntil}
              disabled={busy}
            />
            <button type="button" className="btn btn-primary" data-testid="hours-save" disabled={busy} onClick={() => saveHours.mutate()}>
              {t('hours.saveHours')}
            </button>
          </section>
          <section className="form-section ops-section">
            <h3>{t('hours.sla')}</h3>
            <p className="muted-3">{t('hours.slaIntro')}</p>
            <SlaEditor
              drafts={policies}
              onChange={(next) => {
                setPolicies(next);
                setSaved(false);
              }}
              disabled={busy}
            />
            <button type="button" className="btn btn-primary" data-testid="sla-save" disabled={busy} onClick={() => savePolicies.mutate()}>
              {t('hours.saveSla')}
            </button>
          </section>
        </>
      ) : settings.isError ? (
        <Notice>{errorMessage(settings.error)}</Notice>
      ) : null}
    </div>
  );
}
