import type { PushSubscriptionInput } from '@pier/contracts';
import { pushApi } from './api';

/**
 * This browser's side of Web Push: the service worker registered from main.tsx, the browser's
 * PushSubscription, and telling the server about it (decision 0037).
 */
export type DeviceState = 'unsupported' | 'insecure' | 'blocked' | 'off' | 'on';

export function pushSupported(): boolean {
  return typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** Registers /sw.js (production builds; the dev server has no worker). Failures leave Pier working without it. */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // No worker (private mode, http on a non-local host): Pier works as before, without install or push.
    });
  });
}

async function registration(): Promise<ServiceWorkerRegistration | null> {
  if (!pushSupported()) return null;
  return (await navigator.serviceWorker.getRegistration('/')) ?? null;
}

export async function currentSubscription(): Promise<PushSubscription | null> {
  return (await (await registration())?.pushManager.getSubscription()) ?? null;
}

export async function deviceState(): Promise<DeviceState> {
  if (!window.isSecureContext) return 'insecure';
  if (!pushSupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'blocked';
  return (await currentSubscription()) ? 'on' : 'off';
}

function toInput(subscription: PushSubscription): PushSubscriptionInput {
  const json = subscription.toJSON();
  return { endpoint: subscription.endpoint, keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' } };
}

/** Asks permission (a click must lead here), subscribes with the workspace's key, tells the server. */
export async function turnOnPush(publicKey: string): Promise<void> {
  const ready = await navigator.serviceWorker.ready;
  if ((await Notification.requestPermission()) !== 'granted') throw new Error('permission');
  let subscription = await ready.pushManager.getSubscription();
  const key = Uint8Array.from(atob(publicKey.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  if (!subscription) subscription = await ready.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  await pushApi.subscribe(toInput(subscription));
}

/** Stops this browser's subscription, and the server's record of it. */
export async function turnOffPush(): Promise<void> {
  const subscription = await currentSubscription();
  if (!subscription) return;
  await pushApi.unsubscribe(subscription.endpoint).catch(() => undefined);
  await subscription.unsubscribe();
}

/**
 * Signing out on this browser: it must stop receiving this person's notifications (a shared
 * phone). Best effort, before the session ends; the next person can turn them on for themselves.
 */
export async function forgetPushOnSignOut(): Promise<void> {
  try {
    await turnOffPush();
  } catch {
    // Sign-out goes ahead regardless.
  }
}
