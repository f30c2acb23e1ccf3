import type { ErrorCode, Locale } from '@pier/contracts';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { ApiRequestError, NETWORK_ERROR } from '../api/client';
import type { AccountsCatalogue } from './accounts.en';
import type { ApiCatalogue } from './api.en';
import type { AuditCatalogue } from './audit.en';
import type { AutoReplyCatalogue } from './auto-reply.en';
import type { CampaignLimitsCatalogue } from './campaign-limits.en';
import type { CampaignLinksCatalogue } from './campaign-links.en';
import type { CampaignMembersCatalogue } from './campaign-members.en';
import type { CampaignOptInCatalogue } from './campaign-opt-in.en';
import type { CampaignReplyCatalogue } from './campaign-reply.en';
import type { CampaignSegmentEditCatalogue } from './campaign-segment-edit.en';
import type { CampaignSegmentsCatalogue } from './campaign-segments.en';
import type { CampaignSignupCatalogue } from './campaign-signup.en';
import type { CampaignSuppressionCatalogue } from './campaign-suppression.en';
import type { CampaignsCatalogue } from './campaigns.en';
import type { ComposerCatalogue } from './composer.en';
import type { CustomersCatalogue } from './customers.en';
import { type Catalogue, en } from './en';
import type { FaqCatalogue } from './faq.en';
import type { FraudCatalogue } from './fraud.en';
import type { FraudMarkerCatalogue } from './fraud-marker.en';
import type { LiveCatalogue } from './live.en';
import type { NotificationsCatalogue } from './notifications.en';
import type { OperationsCatalogue } from './operations.en';
import type { PushCatalogue } from './push.en';
import type { ReadingCatalogue } from './reading.en';
import type { RulesCatalogue } from './rules.en';
import type { SettingsCatalogue } from './settings.en';
import type { TeamsCatalogue } from './teams.en';
import type { TriageCatalogue } from './triage.en';
import type { TrustCatalogue } from './trust.en';
import type { UsersCatalogue } from './users.en';
import { zhCN } from './zh-CN';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    /** `settings` is registered by the lazily loaded admin screens (features/settings/SettingsApp.tsx);
     *  `accounts` by features/accounts/i18n.ts, at start (sign-in needs it). */
    resources: {
      translation: Catalogue;
      settings: SettingsCatalogue;
      live: LiveCatalogue;
      notifications: NotificationsCatalogue;
      reading: ReadingCatalogue;
      fraud: FraudCatalogue;
      fraudMarker: FraudMarkerCatalogue;
      composer: ComposerCatalogue;
      accounts: AccountsCatalogue;
      triage: TriageCatalogue;
      audit: AuditCatalogue;
      users: UsersCatalogue;
      operations: OperationsCatalogue;
      autoReply: AutoReplyCatalogue;
      rules: RulesCatalogue;
      push: PushCatalogue;
      teams: TeamsCatalogue;
      trust: TrustCatalogue;
      api: ApiCatalogue;
      faq: FaqCatalogue;
      customers: CustomersCatalogue;
      campaigns: CampaignsCatalogue;
      campaignReply: CampaignReplyCatalogue;
      campaignLimits: CampaignLimitsCatalogue;
      campaignSegments: CampaignSegmentsCatalogue;
      campaignSegmentEdit: CampaignSegmentEditCatalogue;
      campaignLinks: CampaignLinksCatalogue;
      campaignOptIn: CampaignOptInCatalogue;
      campaignMembers: CampaignMembersCatalogue;
      campaignSuppression: CampaignSuppressionCatalogue;
      campaignSignup: CampaignSignupCatalogue;
    };
  }
}

/** localStorage key holding the language the user picked on this device. */
export const LOCALE_STORAGE_KEY = 'pier.locale';

export const LANGUAGE_NAMES: Record<Locale, string> = {
  'zh-CN': '简体中文',
  en: 'English',
};

export const SUPPORTED_LOCALES = Object.keys(LANGUAGE_NAMES) as Locale[];

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as string[]).includes(value);
}

export function storedLocale(): Locale | null {
  try {
    const value = localStorage.getItem(LOCALE_STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null;
  }
}

/** Any Chinese variant in the browser's languages gives zh-CN; everything else English. */
export function browserLocale(): Locale {
  const languages = typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];
  return languages.some((lang) => typeof lang === 'string' && lang.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
}

export function currentLocale(): Locale {
  return isLocale(i18next.language) ? i18next.language : 'en';
}

function syncDocument(lng: string): void {
  document.documentElement.lang = isLocale(lng) ? lng : 'en';
}

i18next.on('languageChanged', syncDocument);

void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
  lng: storedLocale() ?? browserLocale(),
  fallbackLng: 'en',
  supportedLngs: SUPPORTED_LOCALES,
  load: 'currentOnly',
  initAsync: false,
  showSupportNotice: false,
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
});
syncDocument(i18next.language);

/**
 * Apply the locale saved on the user's account, unless this device already has an
 * explicit choice (the device choice wins).
 */
export function applyAccountLocale(locale: Locale | null | undefined): void {
  if (!locale || storedLocale() || locale === i18next.language) return;
  void i18next.changeLanguage(locale);
}

/** Switch language now and remember it on this device. Saving to the account is the caller's job. */
export function chooseLocale(locale: Locale): void {
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // Private mode or storage disabled: the choice still applies to this page.
  }
  void i18next.changeLanguage(locale);
}

// Compile-time guarantee: every server error code has a message (a missing key fails `tsc`).
type ErrorKey = `errors.${ErrorCode}`;
const errorKey = (code: ErrorCode): ErrorKey => `errors.${code}`;

function isErrorCode(code: string): code is ErrorCode {
  return i18next.exists(`errors.${code}`);
}

/** A user-facing message for anything thrown by the API client (or elsewhere). */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiRequestError) {
    if (err.code === NETWORK_ERROR) return i18next.t('errors.network.unreachable');
    // An object in `details` (e.g. the limit and the count) fills the message's placeholders.
    const values: Record<string, unknown> =
      err.details !== null && typeof err.details === 'object' && !Array.isArray(err.details) ? { ...err.details } : {};
    if (isErrorCode(err.code)) return i18next.t(errorKey(err.code), values);
    // Unknown code: the server's own message is better than nothing.
    return err.message || i18next.t('errors.server.error');
  }
  return i18next.t('errors.server.error');
}

export default i18next;
