import type { TimelineItem } from '@pier/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BidiRevealed, revealBidiControls } from '../../ui/bidi';
import { attachmentUrl } from './api';
import { formatSize, isRiskyAttachment } from './format';
import { READING_NS } from './strings';

type Attachment = Extract<TimelineItem, { kind: 'message' }>['attachments'][number];

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif']);

/** Attachments of one message: size, a thumbnail for images, an inline PDF viewer, always a download. */
export function Attachments({ attachments, hasHtml }: { attachments: Attachment[]; hasHtml: boolean }) {
  const { t } = useTranslation(READING_NS);
  const [previewId, setPreviewId] = useState<string | null>(null);
  // Inline parts shown inside the HTML body are not listed again.
  const listed = attachments.filter((a) => !(hasHtml && a.isInline && a.contentId));
  if (listed.length === 0) return null;
  const preview = listed.find((a) => a.id === previewId);
  return (
    <section className="attachments" aria-label={t('attachments.title', { count: listed.length })} data-testid="attachments">
      <h4 className="attachments-title">{t('attachments.title', { count: listed.length })}</h4>
      <ul className="attachment-list">
        {listed.map((a) => {
          const mime = a.mime.toLowerCase();
          const isImage = IMAGE_TYPES.has(mime);
          const isPdf = mime === 'application/pdf';
          const risky = isRiskyAttachment(a.filename);
          return (
            <li key={a.id} className="attachment" data-testid="attachment" data-risky={risky || undefined}>
              {isImage ? (
                <button type="button" className="attachment-thumb" onClick={() => setPreviewId(a.id === previewId ? null : a.id)}>
                  <img src={attachmentUrl(a.id, true)} alt={revealBidiControls(a.filename)} loading="lazy" />
                </button>
              ) : (
                <span className={`attachment-icon${risky ? ' risky' : ''}`} aria-hidden="true">
                  {(a.filename.split('.').pop() ?? '').slice(0, 4).toUpperCase() || 'FILE'}
                </span>
              )}
              <span className="attachment-text">
                {/* A right-to-left override disguises a name (invoice‮fdp.exe): its controls are shown, not obeyed. */}
                <span className="attachment-name" title={revealBidiControls(a.filename)}>
                  <BidiRevealed text={a.filename} />
                </span>
                <span className="attachment-meta">
                  {formatSize(a.size)}
                  {risky ? <span className="attachment-risky"> · {t('attachments.risky')}</span> : null}
                </span>
              </span>
              <span className="attachment-actions">
                {isImage || isPdf ? (
                  <button
                    type="button"
                    className="btn btn-ghost btn-sm"
                    aria-pressed={a.id === previewId}
                    onClick={() => setPreviewId(a.id === previewId ? null : a.id)}
                  >
                    {a.id === previewId ? t('attachments.closePreview') : t('attachments.preview')}
                  </button>
                ) : null}
                <a className="btn btn-sm" href={attachmentUrl(a.id)} download={a.filename} data-testid="attachment-download">
                  {t('attachments.download')}
                </a>
              </span>
            </li>
          );
        })}
      </ul>
      {preview ? (
        <div className="attachment-preview" data-testid="attachment-preview">
          {IMAGE_TYPES.has(preview.mime.toLowerCase()) ? (
            <img src={attachmentUrl(preview.id, true)} alt={revealBidiControls(preview.filename)} />
          ) : (
            <iframe
              title={t('attachments.previewTitle', { name: revealBidiControls(preview.filename) })}
              src={attachmentUrl(preview.id, true)}
            />
          )}
        </div>
      ) : null}
    </section>
  );
}
