import { priorities, type SlaPolicy } from '@pier/contracts';
import { useTranslation } from 'react-i18next';

/** Hours as the inputs hold them: text, so "" means "no target". */
export type PolicyDraft = { priority: SlaPolicy['priority']; first: string; next: string; resolution: string; isDefault: boolean };

const num = (text: string) => (text.trim() === '' ? null : Number(text));

/** Whether every target is a number of working hours above 0 in whole minutes (empty next/resolution: none). */
export function policiesValid(drafts: PolicyDraft[]): boolean {
  const ok = (h: number | null, required: boolean) =>
    h === null ? !required : Number.isFinite(h) && h > 0 && h <= 8760 && Number.isInteger(Math.round(h * 60 * 1e6) / 1e6);
  return drafts.every((d) => ok(num(d.first), true) && ok(num(d.next), false) && ok(num(d.resolution), false));
}

/** The drafts as the API takes them (the server checks the numbers and answers in the user's words). */
export function policiesOf(drafts: PolicyDraft[]): SlaPolicy[] {
  return drafts.map((d) => ({
    priority: d.priority,
    firstReplyHours: num(d.first) ?? Number.NaN,
    nextReplyHours: num(d.next),
    resolutionHours: num(d.resolution),
  }));
}

/** First reply, next reply and resolution targets per priority, in working hours. */
export function SlaEditor({
  drafts,
  onChange,
  disabled,
}: {
  drafts: PolicyDraft[];
  onChange: (next: PolicyDraft[]) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation('operations');
  const set = (priority: string, key: 'first' | 'next' | 'resolution', value: string) =>
    onChange(drafts.map((d) => (d.priority === priority ? { ...d, [key]: value } : d)));
  return (
    <fieldset className="ops-fieldset" disabled={disabled}>
      <div className="ops-table-wrap">
        <table className="ops-table" data-testid="sla-table">
          <thead>
            <tr>
              <th scope="col">{t('hours.priority')}</th>
              <th scope="col">{t('hours.firstReply')}</th>
              <th scope="col">{t('hours.nextReply')}</th>
              <th scope="col">{t('hours.resolution')}</th>
            </tr>
          </thead>
          <tbody>
            {priorities.map((p) => {
              const d = drafts.find((x) => x.priority === p);
              if (!d) return null;
              return (
                <tr key={p}>
                  <th scope="row">
                    {t(`hours.priorities.${p}`)}
                    {d.isDefault ? <span className="muted-3"> · {t('hours.defaultPolicy')}</span> : null}
                  </th>
                  {(['first', 'next', 'resolution'] as const).map((key) => (
                    <td key={key}>
                      <input
                        className="input ops-hours"
                        inputMode="decimal"
                        aria-label={`${t(`hours.priorities.${p}`)} ${t(key === 'first' ? 'hours.firstReply' : key === 'next' ? 'hours.nextReply' : 'hours.resolution')}`}
                        placeholder={key === 'first' ? '24' : t('hours.none')}
                        value={d[key]}
                        data-testid={`sla-${p}-${key}`}
                        onChange={(e) => set(p, key, e.target.value)}
                      />
                      <span className="muted-3 ops-unit">{t('hours.hoursUnit')}</span>
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </fieldset>
  );
}
