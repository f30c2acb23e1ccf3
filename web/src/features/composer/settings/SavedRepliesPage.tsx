import type { SavedReply } from '@pier/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import '../registerCatalogue';
import { composerApi } from '../api';
import '../composer.css';

const VARIABLES = ['customer.name', 'customer.first_name', 'customer.email', 'agent.name', 'agent.title', 'mailbox.name', 'company.name'];

/** Settings → Saved replies: the team's common answers (admins edit, everyone inserts). */
export function SavedRepliesPage() {
  const { t } = useTranslation('composer');
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: ['saved-replies'], queryFn: () => composerApi.savedReplies() });
  const [editing, setEditing] = useState<{ id: string | null; name: string; bodyHtml: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['saved-replies'] });
  const save = async () => {
    if (!editing) return;
    setError(null);
    try {
      const body = { name: editing.name, bodyHtml: editing.bodyHtml };
      if (editing.id) await composerApi.updateSavedReply(editing.id, body);
      else await composerApi.createSavedReply(body);
      setEditing(null);
      await refresh();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const remove = async (reply: SavedReply) => {
    if (!window.confirm(t('settings.confirmDelete', { name: reply.name }))) return;
    try {
      await composerApi.deleteSavedReply(reply.id);
      await refresh();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <div className="settings-page narrow sending-settings" data-testid="saved-replies-page">
      <h1>{t('settings.savedRepliesTitle')}</h1>
      <p className="muted">{t('settings.savedRepliesIntro')}</p>
      <p className="sending-variables">
        {t('settings.variables')}:{' '}
        {VARIABLES.map((v) => (
          <code key={v}>{`{{${v}}}`}</code>
        ))}
      </p>
      {editing ? (
        <div className="sending-editor">
          <label className="sending-field">
            <span>{t('settings.name')}</span>
            <input value={editing.name} onChange={(e) => setEditing({ ...editing, name: e.target.value })} data-testid="saved-reply-name" />
          </label>
          <label className="sending-field">
            <span>{t('settings.bodyHtml')}</span>
            <textarea
              rows={6}
              value={editing.bodyHtml}
              onChange={(e) => setEditing({ ...editing, bodyHtml: e.target.value })}
              data-testid="saved-reply-body"
            />
          </label>
          <div className="composer-actions-row">
            <button type="button" className="btn btn-primary" onClick={() => void save()} data-testid="saved-reply-save">
              {t('settings.save')}
            </button>
            <button type="button" className="btn" onClick={() => setEditing(null)}>
              {t('settings.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => setEditing({ id: null, name: '', bodyHtml: '' })}
          data-testid="saved-reply-add"
        >
          {t('settings.add')}
        </button>
      )}
      {error ? <p className="composer-error">{error}</p> : null}
      {list.data && list.data.items.length === 0 ? <p className="muted">{t('settings.empty')}</p> : null}
      <ul className="sending-list">
        {(list.data?.items ?? []).map((reply) => (
          <li key={reply.id}>
            <strong>{reply.name}</strong>
            <span className="muted sending-snippet">{reply.bodyHtml.replace(/<[^>]+>/g, ' ').slice(0, 120)}</span>
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => setEditing({ id: reply.id, name: reply.name, bodyHtml: reply.bodyHtml })}
            >
              {t('settings.edit')}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => void remove(reply)}>
              {t('settings.delete')}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
