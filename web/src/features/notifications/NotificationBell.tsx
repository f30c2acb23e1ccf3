import type { Notification } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { liveConnection } from '../live';
import { formatRelative, useNow } from '../settings/relativeTime';
import { notificationKeys, notificationsApi } from './api';
import { describeNotification, notificationExcerpt, notificationTarget } from './describe';
import './strings';
import './notifications.css';

const QUERY_KEY = notificationKeys.list;

/**
 * The bell in the top bar: unread count, and a panel listing the user's
 * notifications newest first. Freshness without polling: the server pushes a
 * `notification` event to this user's sockets only, once a notification for
 * them is committed (mention, assignment, approval request, security alert);
 * the list refetches then, on live reconnect (events missed offline) and on
 * window focus.
 */
export function NotificationBell() {
  const { t } = useTranslation('notifications');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const titleId = useId();
  const now = useNow();

  const list = useQuery({
    queryKey: QUERY_KEY,
    queryFn: notificationsApi.list,
    refetchOnWindowFocus: true,
  });

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refetch = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        void queryClient.invalidateQueries({ queryKey: QUERY_KEY });
      }, 50);
    };
    const offMessage = liveConnection.onMessage((message) => {
      if (message.type === 'notification') refetch();
    });
    const offReconnect = liveConnection.onReconnect(refetch);
    return () => {
      offMessage();
      offReconnect();
      clearTimeout(timer);
    };
  }, [queryClient]);

  const markRead = useMutation({
    mutationFn: notificationsApi.markRead,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: QUERY_KEY }),
  });

  // Escape closes and gives focus back to the bell; a click outside closes.
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node | null;
      if (target && !panelRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  useEffect(() => {
    if (open) panelRef.current?.focus();
  }, [open]);

  const unread = list.data?.unread ?? 0;
  const items = list.data?.items ?? [];

  const choose = (n: Notification) => {
    if (n.readAt === null) markRead.mutate([n.id]);
    const target = notificationTarget(n);
    setOpen(false);
    if (target) void navigate(target);
  };

  return (
    <div className="notif">
      <button
        ref={buttonRef}
        type="button"
        className="btn btn-ghost notif-bell"
        data-testid="notifications-bell"
        aria-label={unread > 0 ? t('bell.labelUnread', { count: unread }) : t('bell.label')}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen((value) => !value)}
      >
        <BellIcon />
        {unread > 0 ? (
          <span className="notif-count" data-testid="notifications-count" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div
          ref={panelRef}
          id={panelId}
          className="notif-panel"
          role="dialog"
          aria-labelledby={titleId}
          tabIndex={-1}
          data-testid="notifications-panel"
        >
          <div className="notif-head">
            <h2 id={titleId}>{t('panel.title')}</h2>
            <button
              type="button"
              className="btn btn-ghost notif-mark-all"
              data-testid="notifications-mark-all"
              disabled={unread === 0 || markRead.isPending}
              onClick={() => markRead.mutate(undefined)}
            >
              {t('panel.markAllRead')}
            </button>
          </div>
          {list.isPending ? (
            <p className="notif-empty">{t('panel.loading')}</p>
          ) : list.isError && items.length === 0 ? (
            <p className="notif-empty" role="alert">
              {t('panel.failed')}
            </p>
          ) : items.length === 0 ? (
            <p className="notif-empty">{t('panel.empty')}</p>
          ) : (
            <ul className="notif-list">
              {items.map((n) => {
                const unreadItem = n.readAt === null;
                return (
                  <li key={n.id}>
                    <button
                      type="button"
                      className={unreadItem ? 'notif-item notif-unread' : 'notif-item'}
                      data-testid="notification-item"
                      data-kind={n.kind}
                      data-unread={unreadItem ? 'true' : 'false'}
                      onClick={() => choose(n)}
                    >
                      <span className="notif-dot" aria-hidden="true" />
                      <span className="notif-text">
                        {unreadItem ? <span className="visually-hidden">{t('panel.unread')}: </span> : null}
                        <span className="notif-sentence">{describeNotification(n, t)}</span>
                        {notificationExcerpt(n) ? (
                          <q className="notif-excerpt" data-testid="notification-excerpt">
                            {notificationExcerpt(n)}
                          </q>
                        ) : null}
                        <time className="notif-time" dateTime={new Date(n.createdAt).toISOString()}>
                          {formatRelative(n.createdAt, now)}
                        </time>
                      </span>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      ) : null}
    </div>
  );
}

const BellIcon = () => (
  <svg
    width={16}
    height={16}
    viewBox="0 0 16 16"
    fill="none"
    stroke="currentColor"
    strokeWidth="1.4"
    strokeLinecap="round"
    strokeLinejoin="round"
    aria-hidden="true"
    focusable="false"
  >
    <path d="M4 11.5V7a4 4 0 0 1 8 0v4.5l1 1.2H3z" />
    <path d="M6.6 14a1.5 1.5 0 0 0 2.8 0" />
  </svg>
);
