import type { TimelineItem } from '@pier/contracts';
import { useQuery } from '@tanstack/react-query';
import { type RefObject, useEffect, useRef, useState } from 'react';
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

/** The frame's first height, from the text part, until its document has loaded and can be measured. */
function estimateHeight(text: string): number {
  const lines = text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / 90)), 0);
  return Math.min(720, Math.max(140, lines * 22 + 40));
}

/**
 * The height of the mail's content, measured from the page: the frame is same-origin (`allow-same-origin`)
 * but runs no script (no `allow-scripts`, CSP without script-src), so the page can read its document's size.
 * Measured when the document loads, when its content changes size (images arriving, fonts) and when the
 * pane's width changes; `null` until measured (or when the document cannot be read).
 */
export function useContentHeight(frame: RefObject<HTMLIFrameElement | null>): number | null {
  const [height, setHeight] = useState<number | null>(null);
  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    let contentObserver: ResizeObserver | undefined;
    let lastWidth = element.clientWidth;
    // Content that overflows the root box (floats, positioned boxes) shows up only as scroll overflow; once the
    // frame grew for it, keep that floor until the width or the document changes, or the frame would shrink back.
    let overflowFloor = 0;
    const measure = () => {
      const doc = element.contentDocument;
      const root = doc?.documentElement;
      if (!doc || !root || doc.URL === 'about:blank') return;
      const view = doc.defaultView;
      const body = doc.body;
      let needed = root.getBoundingClientRect().height;
      if (body && view) {
        const style = view.getComputedStyle(body);
        needed = Math.max(needed, body.scrollHeight + Number.parseFloat(style.marginTop) + Number.parseFloat(style.marginBottom));
      }
      if (root.scrollHeight > root.clientHeight + 1) overflowFloor = Math.max(overflowFloor, root.scrollHeight);
      const next = Math.ceil(Math.max(needed, overflowFloor));
      setHeight((previous) => (previous === next ? previous : next));
    };
    const attach = () => {
      contentObserver?.disconnect();
      overflowFloor = 0;
      const doc = element.contentDocument;
      if (!doc?.documentElement || doc.URL === 'about:blank') return;
      measure();
      contentObserver = new ResizeObserver(measure);
      contentObserver.observe(doc.documentElement);
      if (doc.body) contentObserver.observe(doc.body);
      // Images (shown on request, or slow inline ones) change the layout when they arrive.
      doc.addEventListener('load', measure, true);
    };
    const frameObserver = new ResizeObserver(() => {
      if (element.clientWidth === lastWidth) return;
      lastWidth = element.clientWidth;
      overflowFloor = 0;
      measure();
    });
    frameObserver.observe(element);
    element.addEventListener('load', attach);
    attach();
    return () => {
      element.removeEventListener('load', attach);
      frameObserver.disconnect();
      contentObserver?.disconnect();
    };
  }, [frame]);
  return height;
}

function HtmlBody({ message }: { message: Message }) {
  const { t } = useTranslation(READING_NS);
  const frame = useRef<HTMLIFrameElement>(null);
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
  const estimate = estimateHeight(quoted ? message.text : split.body);
  const src = messageHtmlUrl(message.id, { images, quoted });
  const measured = useContentHeight(frame);
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
      <div
        className={measured === null ? 'mail-frame-wrap mail-frame-estimated' : 'mail-frame-wrap'}
        style={{ height: measured ?? estimate }}
      >
        <iframe
          ref={frame}
          className="mail-frame"
          data-testid="mail-frame"
          title={t('message.frameTitle', { from: sender })}
          // allow-same-origin WITHOUT allow-scripts (never both: together the mail could script the app and
          // lift its own sandbox): nothing runs in the frame; the page only reads its height (decision 0006).
          sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
          referrerPolicy="no-referrer"
          loading="lazy"
          src={src}
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
