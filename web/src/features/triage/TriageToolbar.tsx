import { type ConversationStatus, type Priority, priorities, type SessionInfo, type TriageState } from '@pier/contracts';
import { type FormEvent, type RefObject, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { useConversationAction } from '../conversation/slots';
import { triageApi } from './api';
import { MergeDialog } from './MergeDialog';
import { Popover } from './Popover';
import { usePeople, useTriage, useTriageAction } from './useTriage';
import './triage.css';

type Props = {
  conversationId: string;
  session: SessionInfo;
  /** After a merge: where the conversation went (the pane should open it). */
  onMerged?: (intoId: string) => void;
};

const settableStatuses: ConversationStatus[] = ['open', 'pending', 'closed'];

function nextMorning(daysAhead: number, weekday?: number): number {
  const d = new Date();
  d.setHours(9, 0, 0, 0);
  if (weekday === undefined) d.setDate(d.getDate() + daysAhead);
  else d.setDate(d.getDate() + ((weekday - d.getDay() + 7) % 7 || 7));
  return d.getTime();
}

function toLocalInput(at: number): string {
  const d = new Date(at - new Date(at).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/**
 * The triage toolbar of a conversation: status and snooze, assignee and team,
 * priority, tags, follow, merge. Mounted by the reading pane above the timeline.
 */
export function TriageToolbar({ conversationId, session, onMerged }: Props) {
  const { t, i18n } = useTranslation('triage');
  const triage = useTriage(conversationId);
  const state = triage.data?.state;
  const [menu, setMenu] = useState<'assign' | 'snooze' | null>(null);
  const [merging, setMerging] = useState(false);
  const people = usePeople(conversationId, menu === 'assign');

  const assign = useTriageAction(conversationId, (body: { assigneeId?: string | null; teamId?: string | null }) =>
    triageApi.assign(conversationId, body),
  );
  const status = useTriageAction(conversationId, (args: { status: ConversationStatus; until?: number }) =>
    triageApi.status(conversationId, args.status, args.until),
  );
  const priority = useTriageAction(conversationId, (value: Priority) => triageApi.priority(conversationId, value));
  const tags = useTriageAction(conversationId, (body: { add?: string[]; remove?: string[] }) => triageApi.tags(conversationId, body));
  const follow = useTriageAction(conversationId, (value: boolean) => triageApi.follow(conversationId, value));
  const failed = [assign, status, priority, tags, follow].find((m) => m.error)?.error;
  const saving = [assign, status, priority, tags, follow].some((m) => m.isPending);
  const tagInput = useRef<HTMLInputElement>(null);

  // Keyboard (the help overlay lists them): a = assign to me, e = close, s = snooze menu, # = add a tag.
  const writable = state !== undefined && state.access !== 'read';
  useConversationAction('assign', writable ? () => assign.mutate({ assigneeId: session.user.id }) : undefined);
  useConversationAction('close', writable ? () => status.mutate({ status: 'closed' }) : undefined);
  useConversationAction('snooze', writable ? () => setMenu('snooze') : undefined);
  useConversationAction('tags', writable ? () => tagInput.current?.focus() : undefined);

  if (!state) return <div className="triage-toolbar" aria-busy="true" data-testid="triage-toolbar" />;
  const readOnly = state.access === 'read';
  const timeFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <div className="triage-toolbar" role="toolbar" aria-label={t('toolbar.label')} data-testid="triage-toolbar">
      <div className="triage-group">
        <label className="triage-field">
          <span className="triage-field-label">{t('status.label')}</span>
          <select
            data-testid="triage-status"
            value={state.status === 'snoozed' ? 'snoozed' : state.status}
            disabled={readOnly}
            onChange={(event) => status.mutate({ status: event.target.value as ConversationStatus })}
          >
            {state.status === 'snoozed' ? <option value="snoozed">{t('status.snoozed')}</option> : null}
            {settableStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <div className="triage-anchor">
          <button
            type="button"
            className="btn btn-small"
            disabled={readOnly}
            aria-expanded={menu === 'snooze'}
            data-testid="triage-snooze"
            onClick={() => setMenu(menu === 'snooze' ? null : 'snooze')}
          >
            {state.status === 'snoozed' && state.snoozedUntil
              ? t('status.snoozedUntil', { time: timeFormat.format(state.snoozedUntil) })
              : t('status.snoozeFor')}
          </button>
          <Popover open={menu === 'snooze'} onClose={() => setMenu(null)} label={t('status.snoozeFor')}>
            <SnoozeMenu
              onPick={(until) => {
                status.mutate({ status: 'snoozed', until });
                setMenu(null);
              }}
            />
          </Popover>
        </div>
      </div>

      <div className="triage-group">
        <div className="triage-anchor">
          <button
            type="button"
            className="btn btn-small triage-assignee"
            disabled={readOnly}
            aria-expanded={menu === 'assign'}
            aria-haspopup="listbox"
            data-testid="triage-assign"
            onClick={() => setMenu(menu === 'assign' ? null : 'assign')}
          >
            <span className="triage-field-label">{t('assign.label')}</span>
            <span className="triage-assignee-name">{state.assignee?.name ?? t('assign.nobody')}</span>
            {state.team ? <span className="triage-team">· {state.team.name}</span> : null}
          </button>
          <Popover open={menu === 'assign'} onClose={() => setMenu(null)} label={t('assign.label')}>
            <AssignMenu
              state={state}
              meId={session.user.id}
              people={people.data}
              onAssign={(body) => {
                assign.mutate(body);
                setMenu(null);
              }}
            />
          </Popover>
        </div>
        <label className="triage-field">
          <span className="triage-field-label">{t('priority.label')}</span>
          <select
            data-testid="triage-priority"
            value={state.priority}
            disabled={readOnly}
            data-priority={state.priority}
            onChange={(event) => priority.mutate(event.target.value as Priority)}
          >
            {priorities.map((p) => (
              <option key={p} value={p}>
                {t(`priority.${p}`)}
              </option>
            ))}
          </select>
        </label>
      </div>

      <TagEditor tags={state.tags} readOnly={readOnly} onChange={(body) => tags.mutate(body)} inputRef={tagInput} />

      <div className="triage-group triage-end">
        <button
          type="button"
          className="btn btn-small"
          aria-pressed={state.following}
          title={t('follow.hint')}
          data-testid="triage-follow"
          onClick={() => follow.mutate(!state.following)}
        >
          {state.following ? t('follow.following') : t('follow.follow')}
        </button>
        <button type="button" className="btn btn-small" disabled={readOnly} data-testid="triage-merge" onClick={() => setMerging(true)}>
          {t('merge.button')}
        </button>
      </div>

      <p className="triage-status-line" aria-live="polite">
        {readOnly
          ? t('toolbar.readOnly')
          : saving
            ? t('toolbar.saving')
            : failed
              ? t('toolbar.failed', { message: errorMessage(failed) })
              : ''}
      </p>
      {merging ? (
        <MergeDialog
          conversationId={conversationId}
          onClose={() => setMerging(false)}
          onMerged={(intoId) => {
            setMerging(false);
            onMerged?.(intoId);
          }}
        />
      ) : null}
    </div>
  );
}

function SnoozeMenu({ onPick }: { onPick: (until: number) => void }) {
  const { t } = useTranslation('triage');
  const [custom, setCustom] = useState(() => toLocalInput(nextMorning(1)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const at = new Date(custom).getTime();
    if (Number.isFinite(at) && at > Date.now()) onPick(at);
  };
  return (
    <div className="triage-menu" data-testid="snooze-menu">
      <button type="button" className="triage-menu-item" onClick={() => onPick(Date.now() + 60 * 60_000)}>
        {t('status.snoozeOneHour')}
      </button>
      <button type="button" className="triage-menu-item" data-testid="snooze-tomorrow" onClick={() => onPick(nextMorning(1))}>
        {t('status.snoozeTomorrow')}
      </button>
      <button type="button" className="triage-menu-item" onClick={() => onPick(nextMorning(0, 1))}>
        {t('status.snoozeNextWeek')}
      </button>
      <form className="triage-menu-form" onSubmit={submit}>
        <label>
          <span className="triage-field-label">{t('status.snoozeCustom')}</span>
          <input type="datetime-local" value={custom} min={toLocalInput(Date.now())} onChange={(e) => setCustom(e.target.value)} />
        </label>
        <button type="submit" className="btn btn-small btn-primary">
          {t('status.snoozeApply')}
        </button>
      </form>
    </div>
  );
}

function AssignMenu({
  state,
  meId,
  people,
  onAssign,
}: {
  state: TriageState;
  meId: string;
  people: { assignable: { id: string; name: string; email: string }[]; teams: { id: string; name: string }[] } | undefined;
  onAssign: (body: { assigneeId?: string | null; teamId?: string | null }) => void;
}) {
  const { t } = useTranslation('triage');
  const [filter, setFilter] = useState('');
  const matches = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (people?.assignable ?? []).filter((p) => !needle || p.name.toLowerCase().includes(needle) || p.email.includes(needle));
  }, [people, filter]);
  const canAssignMe = people?.assignable.some((p) => p.id === meId) && state.assignee?.id !== meId;
  return (
    <div className="triage-menu" data-testid="assign-menu">
      <input
        type="search"
        className="triage-menu-filter"
        placeholder={t('assign.filter')}
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        // biome-ignore lint/a11y/noAutofocus: the menu opens to be typed into
        autoFocus
      />
      {canAssignMe ? (
        <button type="button" className="triage-menu-item" onClick={() => onAssign({ assigneeId: meId })}>
          {t('assign.me')}
        </button>
      ) : null}
      <div className="triage-menu-title">{t('assign.agents')}</div>
      {people === undefined ? <div className="triage-menu-empty">…</div> : null}
      {people && matches.length === 0 ? <div className="triage-menu-empty">{t('assign.noneFound')}</div> : null}
      {matches.map((p) => (
        <button
          type="button"
          key={p.id}
          className="triage-menu-item"
          aria-current={state.assignee?.id === p.id ? 'true' : undefined}
          data-testid="assign-option"
          onClick={() => onAssign({ assigneeId: p.id })}
        >
          <span>{p.name}</span>
          <span className="triage-menu-sub">{p.email}</span>
        </button>
      ))}
      {state.assignee ? (
        <button type="button" className="triage-menu-item" onClick={() => onAssign({ assigneeId: null })}>
          {t('assign.unassign')}
        </button>
      ) : null}
      {people && people.teams.length > 0 ? (
        <>
          <div className="triage-menu-title">{t('assign.teams')}</div>
          {people.teams.map((team) => (
            <button
              type="button"
              key={team.id}
              className="triage-menu-item"
              aria-current={state.team?.id === team.id ? 'true' : undefined}
              onClick={() => onAssign({ teamId: team.id })}
            >
              {team.name}
            </button>
          ))}
          {state.team ? (
            <button type="button" className="triage-menu-item" onClick={() => onAssign({ teamId: null })}>
              {t('assign.noTeam')}
            </button>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

function TagEditor({
  tags,
  readOnly,
  onChange,
  inputRef,
}: {
  tags: string[];
  readOnly: boolean;
  onChange: (body: { add?: string[]; remove?: string[] }) => void;
  inputRef: RefObject<HTMLInputElement | null>;
}) {
  const { t } = useTranslation('triage');
  const [draft, setDraft] = useState('');
  const add = (event: FormEvent) => {
    event.preventDefault();
    const name = draft.trim().replace(/^#/, '').toLowerCase();
    if (name) onChange({ add: [name] });
    setDraft('');
  };
  return (
    <div className="triage-group triage-tags">
      {tags.map((tag) => (
        <span key={tag} className="triage-tag" data-testid="triage-tag">
          #{tag}
          {readOnly ? null : (
            <button type="button" aria-label={t('tags.remove', { tag })} onClick={() => onChange({ remove: [tag] })}>
              ×
            </button>
          )}
        </span>
      ))}
      {readOnly ? null : (
        <form onSubmit={add} className="triage-tag-form">
          <input
            ref={inputRef}
            data-testid="triage-tag-input"
            aria-label={t('tags.add')}
            placeholder={t('tags.add')}
            value={draft}
            maxLength={40}
            onChange={(e) => setDraft(e.target.value)}
          />
        </form>
      )}
    </div>
  );
}
