import type { SavedReply } from '@pier/contracts';
import type { Editor } from '@tiptap/react';
import { useTranslation } from 'react-i18next';

/** Formatting, saved replies and the attach button. */
export function ComposerToolbar({
  editor,
  savedReplies,
  onSavedReply,
  onFiles,
}: {
  editor: Editor | null;
  savedReplies: SavedReply[] | undefined;
  onSavedReply: (id: string) => void;
  onFiles: (files: FileList) => void;
}) {
  const { t } = useTranslation('composer');
  return (
    <div className="composer-toolbar" role="toolbar" aria-label={t('toolbar.label')}>
      <button
        type="button"
        className="btn btn-ghost"
        aria-pressed={editor?.isActive('bold') ?? false}
        onClick={() => editor?.chain().focus().toggleBold().run()}
        title={t('toolbar.bold')}
      >
        <strong>B</strong>
      </button>
      <button
        type="button"
        className="btn btn-ghost"
        aria-pressed={editor?.isActive('italic') ?? false}
        onClick={() => editor?.chain().focus().toggleItalic().run()}
        title={t('toolbar.italic')}
      >
        <em>I</em>
      </button>
      <button
        type="button"
        className="btn btn-ghost"
        onClick={() => editor?.chain().focus().toggleBulletList().run()}
        title={t('toolbar.bulletList')}
      >
        •≡
      </button>
      <button
        type="button"
        className="btn btn-ghost"
        onClick={() => editor?.chain().focus().toggleOrderedList().run()}
        title={t('toolbar.orderedList')}
      >
        1.
      </button>
      <button
        type="button"
        className="btn btn-ghost"
        onClick={() => editor?.chain().focus().toggleBlockquote().run()}
        title={t('toolbar.quote')}
      >
        ❝
      </button>
      <select
        className="composer-saved-replies"
        aria-label={t('savedReplies.label')}
        value=""
        onChange={(e) => onSavedReply(e.target.value)}
        data-testid="composer-saved-reply"
      >
        <option value="">{savedReplies?.length ? t('savedReplies.choose') : t('savedReplies.none')}</option>
        {(savedReplies ?? []).map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
      <label className="btn btn-ghost composer-attach">
        + {t('attachments.add')}
        <input
          type="file"
          multiple
          className="visually-hidden"
          data-testid="composer-file"
          onChange={(e) => {
            if (e.target.files) onFiles(e.target.files);
            e.target.value = '';
          }}
        />
      </label>
    </div>
  );
}
