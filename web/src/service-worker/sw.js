// Pier's service worker (decision 0037), emitted as /sw.js by web/vite.config.ts, which fills in
// the shell's file list and a version. It caches the app shell only: index.html, the built
// scripts and styles, icons and the manifest. Nothing under /api/ is ever intercepted or stored,
// so no API answer, mail text or attachment lands in a cache. It also shows Web Push
// notifications, whose payload holds a kind and ids only.

const VERSION = '__PIER_VERSION__';
const SHELL = ['/', '/manifest.webmanifest', '/icons/icon-192.png', '/icons/badge-96.png', ...__PIER_SHELL__];
const CACHE = `pier-shell-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('pier-shell-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

/** Shell files: built assets (content-hashed, so a cached copy is never stale), icons, the manifest. */
function isShellFile(url) {
  return url.pathname.startsWith('/assets/') || url.pathname.startsWith('/icons/') || url.pathname === '/manifest.webmanifest';
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  // Other origins, the API (mail, attachments, live socket) and anything else: the network, untouched.
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    // Fresh index.html when online (a new version shows at once); the cached shell offline.
    event.respondWith(fetch(request).catch(() => caches.match('/').then((cached) => cached ?? Response.error())));
    return;
  }
  if (!isShellFile(url)) return;
  event.respondWith(
    caches.match(request).then(
      (cached) =>
        cached ??
        fetch(request).then((response) => {
          // A lazily loaded chunk (settings, composer) joins the shell the first time it is used.
          if (response.ok && response.type === 'basic') {
            const copy = response.clone();
            event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
          }
          return response;
        }),
    ),
  );
});

const TEXT = {
  en: {
    assigned: 'A conversation was assigned to you',
    mention: 'You were mentioned in a note',
    sla: 'A reply is about to be late',
    fraud: 'Possible payment fraud: check before anyone pays',
    approval: 'An outgoing mail waits for your approval',
    test: 'Notifications on this device work',
    open: 'Open Pier to see it.',
  },
  zh: {
    assigned: '有会话分配给了你',
    mention: '有人在备注中提到了你',
    sla: '有邮件即将超过回复时限',
    fraud: '可能的付款诈骗：付款前请先核实',
    approval: '有一封外发邮件等待你批准',
    test: '此设备的通知已可正常使用',
    open: '打开 Pier 查看详情。',
  },
};

self.addEventListener('push', (event) => {
  let payload = { kind: 'test', notificationId: null, conversationId: null };
  try {
    payload = event.data ? event.data.json() : payload;
  } catch {
    // An unreadable payload still tells the person something happened.
  }
  const text = (self.navigator.language || '').toLowerCase().startsWith('zh') ? TEXT.zh : TEXT.en;
  const title = text[payload.kind] ?? text.test;
  const url = payload.conversationId ? `/?c=${encodeURIComponent(payload.conversationId)}` : '/';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: text.open,
      tag: payload.notificationId ?? payload.kind,
      icon: '/icons/icon-192.png',
      badge: '/icons/badge-96.png',
      data: { url },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url ?? '/', self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (open) return open.navigate(target).then((client) => (client ?? open).focus());
      return self.clients.openWindow(target);
    }),
  );
});
