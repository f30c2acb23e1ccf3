import { fraudLevels, mailCategories, priorities, type RuleAction, type RuleCondition, ruleTextFields } from '@pier/contracts';
import { useTranslation } from 'react-i18next';

/** What the form offers to choose from (loaded by RuleForm). */
export type RuleChoices = {
  mailboxes: { id: string; address: string }[];
  users: { id: string; name: string }[];
  teams: { id: string; name: string }[];
  forwardingRules: { id: string; name: string; target: string; mailboxId: string | null }[];
};

const listFields = ['language', 'country', 'tag'] as const;
export const conditionFields = [
  ...ruleTextFields,
  ...listFields,
  'contact',
  'attachment',
  'fraud-level',
  'category',
  'business-hours',
  'mailbox',
] as const;
export const actionTypes = ['tag', 'assign', 'priority', 'status', 'auto-reply', 'notify', 'spam', 'forward'] as const;

const split = (text: string) =>
  text
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** A fresh condition of a field, with values the user then fills in. */
export function newCondition(field: (typeof conditionFields)[number], choices: RuleChoices): RuleCondition {
  switch (field) {
    case 'language':
    case 'country':
    case 'tag':
      return { field, values: [] } as unknown as RuleCondition;
    case 'contact':
      return { field, value: 'first' };
    case 'attachment':
      return { field, types: [] };
    case 'fraud-level':
      return { field, values: ['high'] };
    case 'category':
      return { field, values: ['bulk'] };
    case 'business-hours':
      return { field, value: 'outside' };
    case 'mailbox':
      return { field, values: choices.mailboxes[0] ? [choices.mailboxes[0].id] : [] };
    default:
      return { field, op: 'words', values: [] } as unknown as RuleCondition;
  }
}

export function newAction(type: (typeof actionTypes)[number], choices: RuleChoices, mailboxId: string | null): RuleAction {
  switch (type) {
    case 'tag':
      return { type, tag: '' };
    case 'assign':
      return { type, assigneeId: choices.users[0]?.id ?? null, teamId: null };
    case 'priority':
      return { type, priority: 'high' };
    case 'status':
      return { type, status: 'pending' };
    case 'auto-reply':
      return { type, template: '' };
    case 'notify':
      return { type, userIds: choices.users[0] ? [choices.users[0].id] : [] };
    case 'spam':
      return { type };
    case 'forward':
      return { type, forwardingRuleId: choices.forwardingRules.find((f) => f.mailboxId === mailboxId)?.id ?? '' };
  }
}

function Checks<T extends string>({
  all,
  chosen,
  label,
  onChange,
}: {
  all: readonly T[];
  chosen: T[];
  label: (v: T) => string;
  onChange: (v: T[]) => void;
}) {
  return (
    <span className="rule-checks">
      {all.map((v) => (
        <label key={v}>
          <input
            type="checkbox"
            checked={chosen.includes(v)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, v] : chosen.filter((c) => c !== v))}
          />{' '}
          {label(v)}
        </label>
      ))}
    </span>
  );
}

/** One condition: its field, and the operator and values that field takes. */
export function ConditionRow({
  condition,
  choices,
  onChange,
}: {
  condition: RuleCondition;
  choices: RuleChoices;
  onChange: (c: RuleCondition) => void;
}) {
  const { t } = useTranslation('rules');
  const valueLabel = t('form.values');
  switch (condition.field) {
    case 'language':
    case 'country':
    case 'tag':
      return (
        <input
          className="input"
          aria-label={valueLabel}
          placeholder={condition.field === 'tag' ? valueLabel : t(`hints.${condition.field}`)}
          defaultValue={condition.values.join(', ')}
          onChange={(e) => {
            const values = split(e.target.value);
            onChange({
              ...condition,
              values: condition.field === 'country' ? values.map((v) => v.toUpperCase()) : values.map((v) => v.toLowerCase()),
            } as RuleCondition);
          }}
        />
      );
    case 'contact':
      return (
        <select
          className="select"
          value={condition.value}
          onChange={(e) => onChange({ ...condition, value: e.target.value as 'first' | 'known' })}
        >
          <option value="first">{t('contact.first')}</option>
          <option value="known">{t('contact.known')}</option>
        </select>
      );
    case 'attachment':
      return (
        <input
          className="input"
          aria-label={valueLabel}
          placeholder={t('hints.attachment')}
          defaultValue={condition.types.join(', ')}
          onChange={(e) => onChange({ ...condition, types: split(e.target.value).map((v) => v.toLowerCase()) })}
        />
      );
    case 'fraud-level':
      return (
        <Checks
          all={fraudLevels}
          chosen={condition.values}
          label={(v) => t(`fraudLevels.${v}`)}
          onChange={(values) => onChange({ ...condition, values })}
        />
      );
    case 'category':
      return (
        <Checks
          all={mailCategories}
          chosen={condition.values}
          label={(v) => t(`categories.${v}`)}
          onChange={(values) => onChange({ ...condition, values })}
        />
      );
    case 'business-hours':
      return (
        <select
          className="select"
          value={condition.value}
          onChange={(e) => onChange({ ...condition, value: e.target.value as 'inside' | 'outside' })}
        >
          <option value="inside">{t('businessHours.inside')}</option>
          <option value="outside">{t('businessHours.outside')}</option>
        </select>
      );
    case 'mailbox':
      return (
        <select className="select" value={condition.values[0] ?? ''} onChange={(e) => onChange({ ...condition, values: [e.target.value] })}>
          {choices.mailboxes.map((m) => (
            <option key={m.id} value={m.id}>
              {m.address}
            </option>
          ))}
        </select>
      );
    default:
      return (
        <span className="rule-text-condition">
          <select
            className="select"
            value={condition.op}
            onChange={(e) => onChange({ ...condition, op: e.target.value as 'words' | 'is' | 'regex' })}
          >
            <option value="words">{t('ops.words')}</option>
            <option value="is">{t('ops.is')}</option>
            <option value="regex">{t('ops.regex')}</option>
          </select>
          <input
            className="input"
            aria-label={valueLabel}
            placeholder={valueLabel}
            defaultValue={condition.values.join(', ')}
            // A regex may contain commas: it is one value.
            onChange={(e) =>
              onChange({ ...condition, values: condition.op === 'regex' ? [e.target.value].filter(Boolean) : split(e.target.value) })
            }
          />
        </span>
      );
  }
}

/** One action and what it needs (a tag, a person, a template, a forwarding rule…). */
export function ActionRow({
  action,
  choices,
  mailboxId,
  onChange,
}: {
  action: RuleAction;
  choices: RuleChoices;
  mailboxId: string | null;
  onChange: (a: RuleAction) => void;
}) {
  const { t } = useTranslation('rules');
  switch (action.type) {
    case 'tag':
      return (
        <input
          className="input"
          aria-label={t('actionTypes.tag')}
          value={action.tag}
          onChange={(e) => onChange({ ...action, tag: e.target.value })}
        />
      );
    case 'assign':
      return (
        <span className="rule-text-condition">
          <select
            className="select"
            aria-label={t('action.agent')}
            value={action.assigneeId ?? ''}
            onChange={(e) => onChange({ ...action, assigneeId: e.target.value || null })}
          >
            <option value="">{t('action.nobody')}</option>
            {choices.users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
          <select
            className="select"
            aria-label={t('action.team')}
            value={action.teamId ?? ''}
            onChange={(e) => onChange({ ...action, teamId: e.target.value || null })}
          >
            <option value="">{t('action.nobody')}</option>
            {choices.teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </span>
      );
    case 'priority':
      return (
        <select
          className="select"
          value={action.priority}
          onChange={(e) => onChange({ ...action, priority: e.target.value as (typeof priorities)[number] })}
        >
          {priorities.map((p) => (
            <option key={p} value={p}>
              {t(`priorities.${p}`)}
            </option>
          ))}
        </select>
      );
    case 'status':
      return (
        <select
          className="select"
          value={action.status}
          onChange={(e) => onChange({ ...action, status: e.target.value as 'open' | 'pending' | 'closed' })}
        >
          {(['open', 'pending', 'closed'] as const).map((s) => (
            <option key={s} value={s}>
              {t(`statuses.${s}`)}
            </option>
          ))}
        </select>
      );
    case 'auto-reply':
      return (
        <textarea
          className="input rule-template"
          rows={3}
          aria-label={t('action.template', { customer: '{{customerName}}', mailbox: '{{mailboxName}}' })}
          placeholder={t('action.template', { customer: '{{customerName}}', mailbox: '{{mailboxName}}' })}
          value={action.template}
          onChange={(e) => onChange({ ...action, template: e.target.value })}
        />
      );
    case 'notify':
      return (
        <select className="select" value={action.userIds[0] ?? ''} onChange={(e) => onChange({ ...action, userIds: [e.target.value] })}>
          {choices.users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      );
    case 'spam':
      return null;
    case 'forward': {
      if (mailboxId === null) return <span className="muted-3">{t('action.needsMailbox')}</span>;
      const own = choices.forwardingRules.filter((f) => f.mailboxId === mailboxId);
      if (own.length === 0) return <span className="muted-3">{t('action.noForwardingRules')}</span>;
      return (
        <select
          className="select"
          aria-label={t('action.forwardingRule')}
          value={action.forwardingRuleId}
          onChange={(e) => onChange({ ...action, forwardingRuleId: e.target.value })}
        >
          {own.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name} → {f.target}
            </option>
          ))}
        </select>
      );
    }
  }
}
