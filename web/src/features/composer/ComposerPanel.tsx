import type { CollisionChange, ComposeContext, ComposeMode, Draft, OutboxItem, SaveDraft, Upload } from '@pier/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { type DragEvent, type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiRequestError } from '../../api/client';
import { errorMessage } from '../../i18n';
import { useConversationAction } from '../conversation/slots';
import { usePresence } from '../live';
import './registerCatalogue';
import { FaqSuggestions } from '../knowledge/FaqSuggestions';
import { composerApi } from './api';
import { CollisionNotice } from './CollisionNotice';
import { ComposerAttachments } from './ComposerAttachments';
import { ComposerFields, emptyFields, type Fields } from './ComposerFields';
import { ComposerFooter } from './ComposerFooter';
import { ComposerToolbar } from './ComposerToolbar';
import { OutboxStatusList } from './OutboxStatusList';
import { invalidRecipients, parseRecipients } from './recipients';
import { SignaturePreview } from './SignaturePreview';
import { UndoToast } from './UndoToast';
import { useDraftAutosave } from './useDraftAutosave';
import './composer.css';
import './prosemirror.css';

export type ComposerProps = {
  /** The conversation answered; omit for new mail. */
  conversationId?: string | null;
  mode?: ComposeMode;
  /** The message answered or forwarded (default: the newest). */
  messageId?: string | null;
  onClose?: () => void;
  /** Called when a mail was queued (after the undo window it leaves). */
  onQueued?: (item: OutboxItem) => void;
  /** Called when the agent took a queued mail back (undo). */
  onUndone?: (item: OutboxItem) => void;
};

/** One extension list for the component's life: a new list would make TipTap rebuild the editor. */
const EXTENSIONS = [StarterKit.configure({ link: { openOnClick: false } })];

/**
 * The composer: rich text (TipTap) with the plain-text alternative made by the
 * server, attachments by upload or drag, saved replies, the signature preview,
 * drafts saved as the agent types, undo send, and the collision refusal.
 */
export default function ComposerPanel({
  conversationId = null,
  mode: initialMode,
  messageId = null,
  onClose,
  onQueued,
  onUndone,
}: ComposerProps) {
  const { t, i18n } = useTranslation('composer');
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<ComposeMode>(initialMode ?? (conversationId ? 'reply' : 'new'));
  const [fields, setFields] = useState<Fields>(emptyFields);
  const [showCc, setShowCc] = useState(false);
  const [draftId, setDraftId] = useState<string | null>(null);
  const [dirty, setDirty] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [collision, setCollision] = useState<CollisionChange[] | null>(null);
  const [undo, setUndo] = useState<{ item: OutboxItem; until: number } | null>(null);
  const [uploading, setUploading] = useState<string[]>([]);
  const [dragging, setDragging] = useState(false);
  const loadedFor = useRef<string | null>(null);
  // The editor is shown only once the context (and a saved draft) is in it: text typed
  // before would be replaced by the draft when it arrives, and a reply could leave empty.
  const [filledFor, setFilledFor] = useState<string | null>(null);

  const context = useQuery({
    queryKey: ['compose-context', conversationId, mode, messageId],
    queryFn: () => composerApi.context({ conversationId, mode, messageId }),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const savedReplies = useQuery({ queryKey: ['saved-replies'], queryFn: () => composerApi.savedReplies() });
  const preferences = useQuery({ queryKey: ['send-preferences'], queryFn: () => composerApi.preferences() });
  // Others in this conversation, beside the send button; this agent counts as replying once they typed.
  const others = usePresence(conversationId, dirty > 0 ? 'replying' : 'viewing');
  const signature = useQuery({
    queryKey: ['signature-preview', fields.mailboxId],
    queryFn: () => composerApi.signaturePreview(fields.mailboxId),
    enabled: fields.mailboxId !== '',
  });

  const bodyLabel = t('fields.body');
  const editorProps = useMemo(
    () => ({ attributes: { class: 'composer-editor', 'aria-label': bodyLabel, 'data-testid': 'composer-editor' } }),
    [bodyLabel],
  );
  // Not created during render: TipTap destroys an editor made in render if the commit comes
  // later than a timer tick (a navigation renders in a transition and yields), and the fill
  // effect below would then write into a destroyed editor and crash the app. The fill runs in
  // that first commit only when the compose context is already cached (a second visit).
  const editor = useEditor({
    extensions: EXTENSIONS,
    content: '',
    editorProps,
    immediatelyRender: false,
    // Its base styles come from prosemirror.css: an injected <style> breaks the CSP (style-src 'self').
    injectCSS: false,
    onUpdate: () => setDirty((n) => n + 1),
  });

  // Async handlers use the live editor: TipTap may replace the instance while a request is in flight.
  const editorRef = useRef(editor);
  editorRef.current = editor;

  const fill = useCallback(
    (ctx: ComposeContext, draft: Draft | null) => {
      const d = ctx.defaults;
      const from = draft?.mailboxId ?? d?.mailboxId ?? ctx.mailboxes[0]?.id ?? '';
      setFields({
        mailboxId: from,
        to: (draft?.to ?? d?.to ?? []).join(', '),
        cc: (draft?.cc ?? d?.cc ?? []).join(', '),
        bcc: (draft?.bcc ?? []).join(', '),
        subject: draft?.subject ?? d?.subject ?? '',
        uploads: draft?.uploads ?? [],
      });
      setShowCc(Boolean(draft?.cc.length || draft?.bcc.length || d?.cc.length));
      setDraftId(draft?.id ?? null);
      editor?.commands.setContent(draft?.html ?? '', { emitUpdate: false });
    },
    [editor],
  );

  useEffect(() => {
    const ctx = context.data;
    // A destroyed editor is about to be replaced; the effect runs again with the new one.
    if (!ctx || !editor || editor.isDestroyed) return;
    const key = `${conversationId}:${mode}:${messageId}`;
    if (loadedFor.current === key) return;
    loadedFor.current = key;
    fill(ctx, ctx.draft && ctx.draft.mode === mode ? ctx.draft : null);
    setFilledFor(key);
  }, [context.data, editor, conversationId, mode, messageId, fill]);

  const draftBody = useCallback((): SaveDraft => {
    return {
      conversationId,
      mailboxId: fields.mailboxId || null,
      mode,
      replyToMessageId: context.data?.defaults?.replyToMessageId ?? messageId,
      to: parseRecipients(fields.to),
      cc: parseRecipients(fields.cc),
      bcc: parseRecipients(fields.bcc),
      subject: fields.subject,
      html: editorRef.current?.getHTML() ?? '',
      uploadIds: fields.uploads.map((u) => u.id),
    };
  }, [conversationId, fields, mode, context.data, messageId]);

  const [draftState, setDraftState] = useDraftAutosave(dirty, draftId, draftBody, setDraftId);

  const change = (patch: Partial<Fields>) => {
    setFields((f) => ({ ...f, ...patch }));
    setDirty((n) => n + 1);
  };

  async function send(force: boolean) {
    setError(null);
    setNotice(null);
    const body = draftBody();
    if (body.to?.length === 0) return setError(t('send.noRecipients'));
    const invalid = invalidRecipients([...(body.to ?? []), ...(body.cc ?? []), ...(body.bcc ?? [])]);
    if (invalid.length > 0) return setError(t('send.invalidRecipients', { list: invalid.join(', ') }));
    if (!fields.mailboxId) return setError(t('send.noMailbox'));
    setSending(true);
    try {
      const item = await composerApi.send({
        mailboxId: fields.mailboxId,
        mode,
        ...(conversationId ? { conversationId } : {}),
        ...(body.replyToMessageId ? { replyToMessageId: body.replyToMessageId } : {}),
        to: body.to ?? [],
        cc: body.cc ?? [],
        bcc: body.bcc ?? [],
        subject: fields.subject,
        html: body.html ?? '',
        uploadIds: body.uploadIds ?? [],
        ...(context.data ? { seenAt: context.data.seenAt } : {}),
        force,
        ...(draftId ? { draftId } : {}),
      });
      setCollision(null);
      setUndo({ item, until: item.sendAfter });
      setFields((f) => ({ ...f, to: '', cc: '', bcc: '', uploads: [] }));
      editorRef.current?.commands.setContent('', { emitUpdate: false });
      setDraftId(null);
      setDraftState({ kind: 'idle' });
      setDirty(0);
      onQueued?.(item);
      if (conversationId) void queryClient.invalidateQueries({ queryKey: ['conversation-outbox', conversationId] });
    } catch (err) {
      if (err instanceof ApiRequestError && err.code === 'outbox.collision') {
        const details = err.details as { changes?: CollisionChange[] } | undefined;
        setCollision(details?.changes ?? []);
      } else {
        setError(errorMessage(err));
      }
    } finally {
      setSending(false);
    }
  }

  async function setUndoDelay(seconds: number) {
    const current = preferences.data;
    if (!current) return;
    try {
      const saved = await composerApi.savePreferences({ ...current, undoSeconds: seconds });
      queryClient.setQueryData(['send-preferences'], saved);
      setNotice(t('undo.delaySaved', { seconds: saved.undoSeconds }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function undoSend() {
    if (!undo) return;
    try {
      const draft = await composerApi.cancel(undo.item.id);
      setUndo(null);
      setFields({
        mailboxId: draft.mailboxId ?? fields.mailboxId,
        to: draft.to.join(', '),
        cc: draft.cc.join(', '),
        bcc: draft.bcc.join(', '),
        subject: draft.subject,
        uploads: draft.uploads,
      });
      setDraftId(draft.id);
      editorRef.current?.commands.setContent(draft.html, { emitUpdate: false });
      setNotice(t('undo.undone'));
      onUndone?.(undo.item);
      if (conversationId) void queryClient.invalidateQueries({ queryKey: ['conversation-outbox', conversationId] });
    } catch (err) {
      setUndo(null);
      setError(err instanceof ApiRequestError && err.code === 'outbox.not_cancellable' ? t('undo.tooLate') : errorMessage(err));
    }
  }

  async function addFiles(files: FileList | File[]) {
    for (const file of Array.from(files)) {
      setUploading((u) => [...u, file.name]);
      try {
        const upload = await composerApi.upload(file);
        setFields((f) => ({ ...f, uploads: [...f.uploads, upload] }));
        setDirty((n) => n + 1);
      } catch (err) {
        setError(t('attachments.failed', { name: file.name, reason: errorMessage(err) }));
      } finally {
        setUploading((u) => u.filter((n) => n !== file.name));
      }
    }
  }

  async function insertSavedReply(id: string) {
    if (!id || !fields.mailboxId) return;
    try {
      const { html } = await composerApi.renderSavedReply(id, {
        mailboxId: fields.mailboxId,
        ...(conversationId ? { conversationId } : {}),
        ...(context.data?.defaults?.replyToMessageId ? { messageId: context.data.defaults.replyToMessageId } : {}),
      });
      editor?.chain().focus().insertContent(html).run();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  /** An FAQ suggestion: its HTML at the cursor, its attachments on the reply. */
  function insertFaqAnswer(html: string, uploads: Upload[]) {
    editorRef.current?.chain().focus().insertContent(html).run();
    if (uploads.length > 0) setFields((f) => ({ ...f, uploads: [...f.uploads, ...uploads] }));
    setDirty((n) => n + 1);
  }

  // "r" in the conversation: answer here.
  useConversationAction(
    'reply',
    conversationId
      ? () => {
          setMode('reply');
          editor?.commands.focus();
        }
      : undefined,
  );

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !sending) {
      event.preventDefault();
      void send(false);
    }
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (event.dataTransfer.files.length > 0) void addFiles(event.dataTransfer.files);
  };

  const modes: ComposeMode[] = conversationId ? ['reply', 'reply_all', 'forward'] : ['new'];
  const time = (ms: number) => new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(ms);

  return (
    <section
      className={`composer${dragging ? ' composer-dragging' : ''}`}
      data-testid="composer"
      aria-label={t(`modes.${mode}`)}
      onKeyDown={onKeyDown}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <header className="composer-head">
        <div className="composer-modes" role="tablist">
          {modes.map((m) => (
            <button
              key={m}
              type="button"
              role="tab"
              aria-selected={m === mode}
              className={`composer-mode${m === mode ? ' is-active' : ''}`}
              onClick={() => setMode(m)}
              data-testid={`composer-mode-${m}`}
            >
              {t(`modes.${m}`)}
            </button>
          ))}
        </div>
        {onClose ? (
          <button type="button" className="btn btn-ghost composer-close" onClick={onClose} aria-label={t('close')}>
            ×
          </button>
        ) : null}
      </header>

      {collision ? (
        <CollisionNotice collision={collision} time={time} onSendAnyway={() => void send(true)} onReview={() => setCollision(null)} />
      ) : null}

      <ComposerFields
        fields={fields}
        mailboxes={context.data?.mailboxes}
        showCc={showCc}
        onShowCc={() => setShowCc(true)}
        change={change}
      />

      <ComposerToolbar
        editor={editor}
        savedReplies={savedReplies.data?.items}
        onSavedReply={(id) => void insertSavedReply(id)}
        onFiles={(files) => void addFiles(files)}
      />

      {conversationId && mode !== 'forward' ? (
        <FaqSuggestions conversationId={conversationId} mailboxId={fields.mailboxId} onInsert={insertFaqAnswer} />
      ) : null}

      {filledFor === `${conversationId}:${mode}:${messageId}` ? (
        <EditorContent editor={editor} className="composer-editor-wrap" />
      ) : context.isError ? (
        <p className="composer-error" role="alert" data-testid="composer-error">
          {errorMessage(context.error)}
        </p>
      ) : (
        <div className="composer-editor-wrap composer-editor-loading" aria-busy="true" data-testid="composer-editor-loading" />
      )}
      {dragging ? <div className="composer-drop-hint">{t('attachments.drop')}</div> : null}

      <ComposerAttachments
        uploads={fields.uploads}
        uploading={uploading}
        onRemove={(id) => change({ uploads: fields.uploads.filter((x) => x.id !== id) })}
      />

      <div className="composer-signature" data-testid="composer-signature">
        <span className="composer-signature-label">{t('signature.label')}</span>
        {signature.data?.html ? <SignaturePreview html={signature.data.html} /> : <span className="muted">{t('signature.none')}</span>}
      </div>

      {error ? (
        <p className="composer-error" role="alert" data-testid="composer-error">
          {error}
        </p>
      ) : null}
      {notice ? (
        <p className="composer-notice" role="status">
          {notice}
        </p>
      ) : null}

      <ComposerFooter
        draftState={draftState}
        others={others}
        preferences={preferences.data}
        onUndoDelay={(seconds) => void setUndoDelay(seconds)}
        sending={sending}
        loading={context.isLoading}
        onSend={() => void send(false)}
        time={time}
      />

      {undo ? <UndoToast until={undo.until} onUndo={() => void undoSend()} onDone={() => setUndo(null)} /> : null}
      {conversationId ? <OutboxStatusList conversationId={conversationId} /> : null}
    </section>
  );
}
