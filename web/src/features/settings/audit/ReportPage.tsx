import { knownAuditActions, type StoredReportDto } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import i18next, { type TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { useDocumentTitle } from '../../../ui/useDocumentTitle';
import { StepUpDownload } from '../../accounts/StepUp';
import { formatFullTime } from '../../inbox/format';
import { reportApi } from './api';

type SectionKey = Exclude<keyof StoredReportDto['report'], 'version' | 'periodStart' | 'periodEnd' | 'generatedAt'>;
const SECTIONS: SectionKey[] = [
  'mailboxesWithoutMail',
  'usersNotLoggedIn',
  'usersWithout2fa',
  'accessChanges',
  'externalForwarding',
  'pierForwardingRules',
  'failedLogins',
  'unusualLogins',
  'fraudFlags',
  'slaCompliance',
  'manualForwardingChecks',
];
const day = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString().slice(0, 10));

/** /settings/audit-report: the quarterly audit report, made on demand or by the schedule, with CSV and PDF. */
export function ReportPage({ canMail }: { canMail: boolean }) {
  const { t } = useTranslation('audit');
  const { t: tc } = useTranslation();
  useDocumentTitle(t('report.pageTitle'));
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<string | null>(null);
  const [mail, setMail] = useState(false);
  const list = useQuery({ queryKey: ['audit', 'reports'], queryFn: reportApi.list });
  const id = selected ?? list.data?.items[0]?.id ?? null;
  const report = useQuery({
    queryKey: ['audit', 'report', id],
    queryFn: () => reportApi.report(id ?? ''),
    enabled: id !== null,
  });
  const generate = useMutation({
    mutationFn: () => reportApi.generate(mail),
    onSuccess: (made) => {
      queryClient.setQueryData(['audit', 'report', made.id], made);
      setSelected(made.id);
      void queryClient.invalidateQueries({ queryKey: ['audit', 'reports'] });
    },
  });

  const r = report.data?.report;
  return (
    <div className="settings-page audit-page" data-testid="report-page">
      <header className="page-head">
        <div>
          <h2>{t('report.pageTitle')}</h2>
          <p className="page-intro">{t('report.intro')}</p>
        </div>
        <div className="report-actions">
          {canMail ? (
            <label className="muted-3">
              <input type="checkbox" checked={mail} onChange={(event) => setMail(event.target.checked)} data-testid="report-mail" />{' '}
              {t('report.mailToAdmins')}
            </label>
          ) : null}
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => generate.mutate()}
            disabled={generate.isPending}
            data-testid="report-generate"
          >
            {generate.isPending ? t('report.generating') : t('report.generate')}
          </button>
        </div>
      </header>
      {generate.isError ? <p role="alert">{errorMessage(generate.error)}</p> : null}
      {list.data && list.data.items.length > 0 ? (
        <div className="audit-filters">
          <label>
            <span>{t('report.choose')}</span>
            <select className="select" value={id ?? ''} onChange={(e) => setSelected(e.target.value)}>
              {list.data.items.map((item) => (
                <option key={item.id} value={item.id}>
                  {day(item.periodStart)} – {day(item.periodEnd - 1)} ·{' '}
                  {t(item.trigger === 'schedule' ? 'report.scheduled' : 'report.onDemand')}
                </option>
              ))}
            </select>
          </label>
          {id ? (
            <>
              <StepUpDownload href={`/api/audit/reports/${id}/export?format=csv`} fileName="pier-report.csv" testId="report-csv">
                CSV
              </StepUpDownload>
              <StepUpDownload href={`/api/audit/reports/${id}/export?format=pdf`} fileName="pier-report.pdf" testId="report-pdf">
                PDF
              </StepUpDownload>
            </>
          ) : null}
        </div>
      ) : list.isSuccess ? (
        <p className="muted-3">{t('report.none')}</p>
      ) : null}
      {r ? (
        <div data-testid="report-body">
          <p className="muted-3">
            {t('report.period', { from: day(r.periodStart), to: day(r.periodEnd - 1) })} ·{' '}
            {t('report.generatedAt', { at: formatFullTime(r.generatedAt) })}
          </p>
          {SECTIONS.map((key) => {
            const section = r[key];
            // A section added later (manual forwarding checks) is missing from reports stored before it.
            if (!section) return null;
            return (
              <section key={key} className="audit-sieve">
                <h3 className="audit-section">{t(`report.sections.${key}`)}</h3>
                {!section.available ? (
                  <p className="muted-3">
                    {t('report.unavailable')} {key === 'slaCompliance' ? '' : section.reason}
                  </p>
                ) : section.items.length === 0 ? (
                  <p className="muted-3">{t('report.empty')}</p>
                ) : (
                  <ul className="audit-report-list">
                    {section.items
                      .map((item) => describe(t, tc, key, item))
                      .map((line, index) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: two equal lines (same change twice in a day) are still two
                        <li key={`${index}:${line}`}>{line}</li>
                      ))}
                  </ul>
                )}
              </section>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}

type T = TFunction<'audit'>;
type Tc = TFunction;
type Item<K extends SectionKey> = Extract<StoredReportDto['report'][K], { available: true }>['items'][number];

/** A code the catalogue knows, in words; an unknown one (a newer server) as it came. */
function codeName(t: T, group: 'levels' | 'outcomes' | 'alerts' | 'access' | 'sources' | 'signals', code: string): string {
  const key = `report.codes.${group}.${code}`;
  return i18next.exists(key, { ns: 'audit' }) ? (t as unknown as (k: string) => string)(key) : code;
}

function roleName(tc: Tc, role: unknown): string {
  const key = `roles.${String(role)}`;
  return i18next.exists(key) ? (tc as unknown as (k: string) => string)(key) : String(role ?? '—');
}

function actionName(t: T, action: string): string {
  return (knownAuditActions as readonly string[]).includes(action) ? t(`actions.${action as (typeof knownAuditActions)[number]}`) : action;
}

/** What a membership or permission change did, from its audit details. */
function accessDetail(t: T, tc: Tc, c: Item<'accessChanges'>): string {
  const d = c.details;
  const str = (v: unknown) => (typeof v === 'string' ? v : '—');
  const members = (v: unknown) => (Array.isArray(v) && v.length > 0 ? v.map(String).join(', ') : t('report.details.none'));
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  switch (c.action) {
    case 'user.created':
      return t('report.details.created', { role: roleName(tc, d.role) });
    case 'user.role_changed':
      return t('report.details.role', { from: roleName(tc, d.previous), to: roleName(tc, d.role) });
    case 'mailbox_access.granted':
      return t('report.details.access', {
        from: codeName(t, 'access', typeof d.previous === 'string' ? d.previous : 'none'),
        to: codeName(t, 'access', str(d.access)),
      });
    case 'team.created':
      return t('report.details.teamCreated', { name: str(d.name), members: members(d.members) });
    case 'team.renamed':
      return t('report.details.renamed', { before: str(d.before), after: str(d.after) });
    case 'team.member_added':
    case 'team.member_removed':
      return t('report.details.member', { team: str(d.team), member: str(d.member) });
    case 'team.deleted':
      return t('report.details.teamDeleted', { name: str(d.name), members: members(d.members), count: num(d.conversations) });
    case 'user.deactivated': {
      const to = d.to as { user?: unknown; team?: unknown } | undefined;
      if (to?.user)
        return t('report.details.deactivatedToUser', { count: num(d.reassigned), to: str(to.user), unassigned: num(d.unassigned) });
      if (to?.team) return t('report.details.deactivatedToTeam', { count: num(d.reassigned), to: str(to.team) });
      return t('report.details.deactivated', { count: num(d.unassigned) });
    }
    default:
      return t('report.details.none');
  }
}

function describe(t: T, tc: Tc, key: SectionKey, item: unknown): string {
  switch (key) {
    case 'mailboxesWithoutMail': {
      const x = item as Item<'mailboxesWithoutMail'>;
      return t('report.lines.mailbox', { address: x.address, day: day(x.lastMailAt) });
    }
    case 'usersNotLoggedIn': {
      const x = item as Item<'usersNotLoggedIn'>;
      return t('report.lines.userNotSignedIn', {
        name: x.name,
        email: x.email,
        role: roleName(tc, x.role),
        day: x.lastLoginAt === null ? t('report.lines.never') : day(x.lastLoginAt),
      });
    }
    case 'usersWithout2fa': {
      const x = item as Item<'usersWithout2fa'>;
      return t('report.lines.userWithout2fa', { email: x.email, role: roleName(tc, x.role) });
    }
    case 'accessChanges': {
      const x = item as Item<'accessChanges'>;
      return t('report.lines.access', {
        day: day(x.at),
        action: actionName(t, x.action),
        target: [x.target ?? x.targetId ?? '—', x.mailbox].filter(Boolean).join(' · '),
        detail: accessDetail(t, tc, x),
        actor: x.actor ?? x.actorId ?? t('report.lines.system'),
      });
    }
    case 'externalForwarding': {
      const x = item as Item<'externalForwarding'>;
      return t('report.lines.forward', {
        mailbox: x.mailbox,
        target: x.target,
        source: codeName(t, 'sources', x.source),
        script: x.script,
        state: t(x.active ? 'report.codes.states.active' : 'report.codes.states.inactive'),
        day: day(x.firstSeenAt),
      });
    }
    case 'pierForwardingRules': {
      const x = item as Item<'pierForwardingRules'>;
      return t('report.lines.pierRule', {
        mailbox: x.mailbox,
        target: x.target,
        name: x.name,
        scope: x.senderDomain ? t('report.codes.fromDomain', { domain: x.senderDomain }) : t('report.codes.allMail'),
        external: x.external ? t('report.codes.states.external') : '',
        state: x.enabled ? '' : t('report.codes.states.off'),
        by: x.createdBy ?? '—',
        day: day(x.createdAt),
      });
    }
    case 'manualForwardingChecks': {
      const x = item as Item<'manualForwardingChecks'>;
      if (x.checkedAt === null) return t('report.lines.manualNever', { mailbox: x.mailbox });
      return t(x.forwardingFound ? 'report.lines.manualFound' : 'report.lines.manualClean', {
        mailbox: x.mailbox,
        day: day(x.checkedAt),
        by: x.checkedBy ?? '—',
        note: x.note ? ` — ${x.note}` : '',
      });
    }
    case 'failedLogins': {
      const x = item as Item<'failedLogins'>;
      return t('report.lines.failed', { email: x.email, count: x.count, ips: x.ips.join(', ') });
    }
    case 'unusualLogins': {
      const x = item as Item<'unusualLogins'>;
      return t('report.lines.unusual', { day: day(x.at), email: x.email, kind: codeName(t, 'alerts', x.kind) });
    }
    case 'fraudFlags': {
      const x = item as Item<'fraudFlags'>;
      return t('report.lines.fraud', {
        day: day(x.at),
        level: codeName(t, 'levels', x.level),
        score: x.score,
        subject: x.subject,
        from: x.from ?? '—',
        signals: x.signals.map((code) => codeName(t, 'signals', code)).join(', '),
        calls:
          x.confirmations.length === 0
            ? t('report.lines.noCall')
            : x.confirmations
                .map((c) => t('report.lines.call', { outcome: codeName(t, 'outcomes', c.outcome), by: c.calledBy, day: day(c.at) }))
                .join('; '),
      });
    }
    case 'slaCompliance': {
      const x = item as Item<'slaCompliance'>;
      return t('report.lines.sla', {
        scope: t(x.scope === 'team' ? 'report.lines.slaTeam' : 'report.lines.slaMailbox'),
        name: x.name,
        percent: x.compliance === null ? '—' : `${Math.round(x.compliance * 1000) / 10} %`,
        met: x.met,
        total: x.conversations,
        median: x.medianHours ?? '—',
        p90: x.p90Hours ?? '—',
      });
    }
    default:
      return JSON.stringify(item);
  }
}
