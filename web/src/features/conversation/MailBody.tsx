import type { TimelineItem } from '@pier/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messageHtmlUrl, messageRawUrl, readingApi } from './api';
import { formatSize, splitQuoted } from './format';
import { READING_NS } from './strings';

type Message = Extract<TimelineItem, { kind: 'message' }>;

const RAW_PREVIEW_BYTES = 256 * 1024;

/** The body of one message: sanitised HTML in a sandboxed frame, plain text, or the raw source of broken mail. */
export function MailBody({ message }: { message: Message }) {
  if (message.parseStatus === 'failed') return <RawFallback message={message} />;
  if (message.hasHtml) return <HtmlBody message={message} />;
  return <PlainBody text={message.text} />;
}

function PlainBody({ text }: { text: string }) {
  const { t } = useTranslation(READING_NS);
  const [showQuoted, setShowQuoted] = useState(false);
  const { body, quoted } = splitQuoted(text);
  if (!text.trim()) return <p className="mail-text mail-empty">{t('message.emptyBody')}</p>;
  return (
    <div className="mail-plain">
      <div className="mail-text" data-testid="mail-text">
        {body}
      </div>
      {quoted ? (
        <>
          <button type="button" className="quote-toggle" aria-expanded={showQuoted} onClick={() => setShowQuoted((v) => !v)}>
            {showQuoted ? t('message.hideQuoted') : t('message.showQuoted')}
          </button>
          {showQuoted ? <div className="mail-text mail-quoted">{quoted}</div> : null}
        </>
      ) : null}
    </div>
  );
}

/** A guess at the frame height from the text part: the frame cannot report its own size (no scripts, no same origin). */
function estimateHeight(text: string): number {
  const lines = text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / 90)), 0);
  return Math.min(720, Math.max(140, lines * 22 + 40));
}

function HtmlBody({ message }: { message: Message }) {
  const { t } = useTranslation(READING_NS);
  const [images, setImages] = useState(false);
  const [quoted, setQuoted] = useState(false);
  const facts = useQuery({
    queryKey: ['message-html-facts', message.id],
    queryFn: () => readingApi.htmlFacts(message.id),
    staleTime: Infinity,
  });
  const blocked = facts.data?.blockedImages ?? 0;
  const sender = message.from?.name || message.from?.address || '';
  const split = splitQuoted(message.text);
  const height = estimateHeight(quoted ? message.text : split.body);
  return (
    <div className="mail-html">
      {blocked > 0 ? (
        <div className="images-bar" data-testid="images-bar">
          <span>{images ? t('message.imagesShown') : t('message.imagesBlocked', { count: blocked })}</span>
          {images ? null : (
            <button type="button" className="btn btn-sm" data-testid="show-images" onClick={() => setImages(true)}>
              {t('message.showImages')}
            </button>
          )}
        </div>
      ) : null}
      <div className="mail-frame-wrap" style={{ height }}>
        <iframe
          className="mail-frame"
          data-testid="mail-frame"
          title={t('message.frameTitle', { from: sender })}
          // No allow-scripts, no allow-same-origin: the mail runs nothing and reaches nothing of the app.
          sandbox="allow-popups allow-popups-to-escape-sandbox"
          referrerPolicy="no-referrer"
          loading="lazy"
          src={messageHtmlUrl(message.id, { images, quoted })}
        />
      </div>
      {(facts.data?.quotedBlocks ?? 0) > 0 ? (
        <button type="button" className="quote-toggle" aria-expanded={quoted} onClick={() => setQuoted((v) => !v)}>
          {quoted ? t('message.hideQuoted') : t('message.showQuoted')}
        </button>
      ) : null}
    </div>
  );
}

/**
 * Mail that failed to parse: the notice, what the parser could still decode, and the
 * original source (open at once when nothing could be decoded).
 */
function RawFallback({ message }: { message: Message }) {
  const { t } = useTranslation(READING_NS);
  const hasText = message.text.trim().length > 0;
  const [open, setOpen] = useState(!hasText);
  const raw = useQuery({
    queryKey: ['message-raw', message.id],
    queryFn: () => readingApi.rawSource(message.id, RAW_PREVIEW_BYTES),
    enabled: open,
  });
  return (
    <div className="mail-raw" data-testid="mail-raw">
      <p className="mail-notice">{t('message.parseFailed')}</p>
      {hasText ? <div className="mail-text">{message.text}</div> : null}
      <details open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary className="quote-toggle">{t('message.viewSource')}</summary>
        {raw.data ? (
          <>
            <pre className="mail-source" data-testid="mail-source">
              {raw.data.text}
            </pre>
            {raw.data.truncated ? (
              <p className="mail-notice">
                {t('message.rawTruncated', { size: formatSize(RAW_PREVIEW_BYTES) })}{' '}
                <a href={messageRawUrl(message.id, true)}>{t('message.downloadEml')}</a>
              </p>
            ) : null}
          </>
        ) : (
          <p className="mail-empty">{t('message.rawLoading')}</p>
        )}
      </details>
    </div>
  );
}
