import type { ConversationFraud, FraudSignal, PhoneConfirmationInput } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import i18next, { currentLocale, errorMessage } from '../../i18n';
import { fraudEn } from '../../i18n/fraud.en';
import { fraudZhCN } from '../../i18n/fraud.zh-CN';
import { BidiRevealed, revealBidiControls } from '../../ui/bidi';
import { AlertIcon } from '../../ui/icons';
import { useSession } from '../session/queries';
import { isAdminRole } from '../session/roles';
import { ApprovalsPanel } from './ApprovalsPanel';
import { fraudApi, fraudKeys } from './api';
import { ClearFlag } from './ClearFlag';
import { ContactPhones } from './ContactPhones';
import { TrustSender } from './TrustSender';
import './fraud.css';

// The banner brings its own catalogue: registered once, when this module loads.
i18next.addResourceBundle('en', 'fraud', fraudEn, true, true);
i18next.addResourceBundle('zh-CN', 'fraud', fraudZhCN, true, true);

/**
 * FSI … PDI around a value interpolated into a translated sentence: it cannot reorder the sentence.
 * Reasons quote the mail (a sender's name, a file name): their bidi controls are shown, not obeyed.
 */
const isolate = (text: string) => `\u2068${text}\u2069`;
const reasonText = (signal: FraudSignal) => (currentLocale() === 'zh-CN' ? signal.reason['zh-CN'] : signal.reason.en);
const formatTime = (ms: number) =>
  new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));

/**
 * The red banner over a flagged conversation: what is wrong in plain words (the server's reasons
 * in the current language, known bank details beside the new ones), the one safe action, and the
 * phone-confirmation form. Renders nothing for a conversation without warnings.
 * Mount it at the top of the reading pane: <FraudBanner conversationId={id} />.
 */
export function FraudBanner({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation('fraud');
  const query = useQuery({ queryKey: fraudKeys.conversation(conversationId), queryFn: () => fraudApi.conversation(conversationId) });
  // Admins may vouch for the sender from here (issue 16); everyone may clear a flag with a reason.
  const role = useSession().data?.user.role;
  const admin = role !== undefined && isAdminRole(role);
  if (query.isError) {
    return (
      <div className="fraud-banner fraud-warn" role="alert" data-testid="fraud-banner-error">
        {t('banner.loadFailed')}
      </div>
    );
  }
  const data = query.data;
  if (!data || (data.level === 'none' && !data.phoneConfirmation.required)) return null;
  // A mail a person marked "not fraud" is no longer shown as a warning.
  const flagged = data.assessments.filter(
    (a) =>
      a.cleared === null && (a.level !== 'none' || a.signals.some((s) => s.code === 'payment_change' || s.code === 'new_bank_details')),
  );
  return (
    <section
      className={`fraud-banner fraud-${data.level === 'high' ? 'high' : 'warn'}`}
      role="alert"
      aria-live="polite"
      data-testid="fraud-banner"
    >
      <header className="fraud-head">
        <AlertIcon />
        <h2>{data.level === 'high' ? t('banner.highTitle') : t('banner.warnTitle')}</h2>
      </header>
      {flagged.map((assessment) => {
        const warnings = assessment.signals.filter((s) => s.weight > 0);
        const reassuring = assessment.signals.filter((s) => s.weight < 0);
        return (
          <div className="fraud-assessment" key={assessment.messageId} data-testid="fraud-assessment">
            {flagged.length > 1 && assessment.from ? (
              <p className="fraud-from">{t('banner.fromMessage', { from: isolate(revealBidiControls(assessment.from)) })}</p>
            ) : null}
            <p className="fraud-intro">{t('banner.intro')}</p>
            <ul className="fraud-reasons">
              {warnings.map((s) => (
                <li key={s.code} data-code={s.code}>
                  <BidiRevealed text={reasonText(s)} />
                </li>
              ))}
            </ul>
            {reassuring.length > 0 ? (
              <p className="fraud-reassuring">
                {t('banner.reassuring')} <BidiRevealed text={reassuring.map(reasonText).join(' ')} />
              </p>
            ) : null}
            {assessment.level !== 'none' ? (
              <div className="fraud-flag-actions">
                <ClearFlag conversationId={conversationId} messageId={assessment.messageId} />
                {admin && assessment.from ? <TrustSender conversationId={conversationId} from={assessment.from} /> : null}
              </div>
            ) : null}
          </div>
        );
      })}
      <p className="fraud-safe-action">{t('banner.safeAction')}</p>
      {data.phoneConfirmation.required ? <PhoneConfirmationPanel conversationId={conversationId} data={data} /> : null}
    </section>
  );
}

function PhoneConfirmationPanel({ conversationId, data }: { conversationId: string; data: ConversationFraud }) {
  const { t } = useTranslation('fraud');
  const queryClient = useQueryClient();
  const id = useId();
  const contacts = data.phoneConfirmation.callableContacts;
  const [chosen, setChosen] = useState('');
  // The list can grow after mount (a number just added): fall back to its first entry.
  const contactId = contacts.some((c) => c.contactId === chosen) ? chosen : (contacts[0]?.contactId ?? '');
  const setContactId = setChosen;
  const [outcome, setOutcome] = useState<PhoneConfirmationInput['outcome']>('confirmed');
  const [calledAt, setCalledAt] = useState(() => toLocalInput(Date.now()));
  const [note, setNote] = useState('');
  const record = useMutation({
    mutationFn: (body: PhoneConfirmationInput) => fraudApi.recordCall(conversationId, body),
    onSuccess: () => {
      setNote('');
      void queryClient.invalidateQueries({ queryKey: fraudKeys.conversation(conversationId) });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const at = new Date(calledAt).getTime();
    record.mutate({ contactId, outcome, ...(Number.isFinite(at) ? { calledAt: at } : {}), ...(note.trim() ? { note: note.trim() } : {}) });
  };
  const { satisfied, confirmations } = data.phoneConfirmation;
  return (
    <div className="fraud-phone" data-testid="fraud-phone">
      <h3>{t('phone.title')}</h3>
      <p className={satisfied ? 'fraud-phone-done' : 'fraud-phone-required'} data-testid="fraud-phone-status">
        {satisfied ? t('phone.done') : t('phone.required')}
      </p>
      {confirmations.length > 0 ? (
        <>
          <h4>{t('phone.history')}</h4>
          <ul className="fraud-calls">
            {confirmations.map((c) => (
              <li key={c.id}>
                {t('phone.entry', {
                  caller: c.calledBy.name,
                  contact: c.contact.name ?? c.contact.address,
                  phone: c.phone,
                  time: formatTime(c.calledAt),
                  outcome: t(`phone.outcomes.${c.outcome}`),
                })}
                {c.note ? <span className="fraud-call-note"> — {c.note}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <ContactPhones conversationId={conversationId} />
      {contacts.length === 0 ? (
        <p className="fraud-no-number" data-testid="fraud-no-number">
          {t('phone.noNumber')}
        </p>
      ) : (
        <form className="fraud-form" onSubmit={submit} data-testid="fraud-phone-form">
          <label htmlFor={`${id}-contact`}>{t('phone.contact')}</label>
          <select id={`${id}-contact`} className="input" value={contactId} onChange={(e) => setContactId(e.target.value)}>
            {contacts.map((c) => (
              <option key={c.contactId} value={c.contactId}>
                {`${c.name ?? c.address} · ${c.phone}`}
              </option>
            ))}
          </select>
          <fieldset className="fraud-outcomes">
            <legend>{t('phone.outcome')}</legend>
            {(['confirmed', 'denied', 'unreachable'] as const).map((value) => (
              <label key={value}>
                <input type="radio" name={`${id}-outcome`} value={value} checked={outcome === value} onChange={() => setOutcome(value)} />
                {t(`phone.outcomes.${value}`)}
              </label>
            ))}
          </fieldset>
          <label htmlFor={`${id}-time`}>{t('phone.calledAt')}</label>
          <input id={`${id}-time`} className="input" type="datetime-local" value={calledAt} onChange={(e) => setCalledAt(e.target.value)} />
          <label htmlFor={`${id}-note`}>{t('phone.note')}</label>
          <textarea id={`${id}-note`} className="input" rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
          {record.isError ? (
            <p className="field-error" role="alert">
              {errorMessage(record.error)}
            </p>
          ) : null}
          {record.isSuccess ? <p className="fraud-saved">{t('phone.saved')}</p> : null}
          <button type="submit" className="btn btn-primary" disabled={record.isPending || !contactId} data-testid="fraud-phone-submit">
            {record.isPending ? t('phone.saving') : t('phone.submit')}
          </button>
        </form>
      )}
    </div>
  );
}

/** `datetime-local` wants local wall-clock time without a zone. */
function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The conversation screen's `Banner` slot (features/conversation/slots.tsx): `Banner: FraudBannerSlot`. */
export function FraudBannerSlot({ detail }: { detail: { conversation: { id: string } } }) {
  return (
    <>
      <FraudBanner conversationId={detail.conversation.id} />
      <ApprovalsPanel conversationId={detail.conversation.id} />
    </>
  );
}
