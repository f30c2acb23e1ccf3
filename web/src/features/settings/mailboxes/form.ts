import type { ConnectionSettings, MailboxDetail, MailboxPreset, MailboxPurpose, TlsMode } from '@pier/contracts';
import { mailboxPurposes } from '@pier/contracts';
import { ApiRequestError } from '../../../api/client';
import { PRESET_IDS, type PresetId, type SettingsCatalogue } from '../../../i18n/settings.en';
import { EMAIL_PATTERN } from '../../auth/formErrors';

/** The provider select's value for "no connection: receive on Pier's SMTP listener only". */
export const NO_CONNECTION = 'none';

export type SyncFolder = ConnectionSettings['syncFolders'][number];
export const SYNC_FOLDERS: readonly SyncFolder[] = ['inbox', 'sent', 'spam'];
export const SYNC_WINDOWS: readonly (number | null)[] = [30, 90, 365, null];
export const DEFAULT_PRESET: PresetId = 'exmail';

export type FormValues = {
  address: string;
  displayName: string;
  purpose: MailboxPurpose;
  /** A preset id or NO_CONNECTION. */
  preset: string;
  imapHost: string;
  imapPort: string;
  imapTls: TlsMode;
  smtpHost: string;
  smtpPort: string;
  smtpTls: TlsMode;
  /** One user name for both servers. */
  user: string;
  authMethod: ConnectionSettings['authMethod'];
  /** Password or access token, depending on `authMethod`; empty on edit keeps the saved one. */
  secret: string;
  /** XOAUTH2 renewal (presets with a token endpoint: Google, Microsoft 365); empty keeps what is saved. */
  oauthRefreshToken: string;
  oauthClientId: string;
  oauthClientSecret: string;
  syncFolders: SyncFolder[];
  syncSinceDays: number | null;
};

export type FieldName = Exclude<keyof FormValues, 'preset' | 'authMethod'>;
export type ValidationKey = keyof SettingsCatalogue['form']['validation'];
export type Problems = Partial<Record<FieldName, ValidationKey>>;

/** Form fields in screen order (for focusing the first problem and naming fields in messages). */
export const FIELD_ORDER: readonly FieldName[] = [
  'address',
  'displayName',
  'purpose',
  'imapHost',
  'imapPort',
  'imapTls',
  'smtpHost',
  'smtpPort',
  'smtpTls',
  'user',
  'secret',
  'syncFolders',
  'syncSinceDays',
];

export function isKnownPreset(id: string): id is PresetId {
  return (PRESET_IDS as readonly string[]).includes(id);
}

export function findPreset(presets: readonly MailboxPreset[], id: string): MailboxPreset | undefined {
  return presets.find((preset) => preset.id === id);
}

/**
 * A preset fills the server settings. One without settings of its own ("other") clears those the
 * previous preset filled in (a Tencent host left under "other" would send the password there), and
 * keeps what the admin typed.
 */
export function applyPreset(values: FormValues, presetId: string, presets: readonly MailboxPreset[]): FormValues {
  const preset = findPreset(presets, presetId);
  const previous = findPreset(presets, values.preset);
  const next: FormValues = { ...values, preset: presetId };
  if (preset?.imap) {
    next.imapHost = preset.imap.host;
    next.imapPort = String(preset.imap.port);
    next.imapTls = preset.imap.tls;
  } else if (previous?.imap && values.imapHost === previous.imap.host) {
    Object.assign(next, { imapHost: '', imapPort: '993', imapTls: 'tls' });
  }
  if (preset?.smtp) {
    next.smtpHost = preset.smtp.host;
    next.smtpPort = String(preset.smtp.port);
    next.smtpTls = preset.smtp.tls;
  } else if (previous?.smtp && values.smtpHost === previous.smtp.host) {
    Object.assign(next, { smtpHost: '', smtpPort: '465', smtpTls: 'tls' });
  }
  if (next.authMethod === 'xoauth2' && !preset?.supportsXoauth2) {
    next.authMethod = 'password';
    next.secret = '';
  }
  return next;
}

export function newMailboxValues(presets: readonly MailboxPreset[]): FormValues {
  return applyPreset(
    {
      address: '',
      displayName: '',
      purpose: 'inquiry',
      preset: DEFAULT_PRESET,
      imapHost: '',
      imapPort: '993',
      imapTls: 'tls',
      smtpHost: '',
      smtpPort: '465',
      smtpTls: 'tls',
      user: '',
      authMethod: 'password',
      secret: '',
      oauthRefreshToken: '',
      oauthClientId: '',
      oauthClientSecret: '',
      syncFolders: ['inbox', 'sent'],
      syncSinceDays: 365,
    },
    DEFAULT_PRESET,
    presets,
  );
}

export function valuesFromDetail(detail: MailboxDetail, presets: readonly MailboxPreset[]): FormValues {
  const base = newMailboxValues(presets);
  const values: FormValues = { ...base, address: detail.address, displayName: detail.displayName, purpose: detail.purpose };
  const connection = detail.connection;
  if (!connection) return { ...values, preset: NO_CONNECTION, user: detail.address };
  return {
    ...values,
    preset: isKnownPreset(connection.preset) ? connection.preset : 'other',
    imapHost: connection.imap.host,
    imapPort: String(connection.imap.port),
    imapTls: connection.imap.tls,
    smtpHost: connection.smtp.host,
    smtpPort: String(connection.smtp.port),
    smtpTls: connection.smtp.tls,
    user: connection.imap.user,
    authMethod: connection.authMethod,
    secret: '',
    syncFolders: [...connection.syncFolders],
    syncSinceDays: connection.syncSinceDays,
  };
}

/** info@ → inquiries, sales@ → sales…: a first guess at the purpose from the local part. */
export function guessPurpose(address: string): MailboxPurpose | null {
  const local = address.trim().toLowerCase().split('@')[0] ?? '';
  const rules: [RegExp, MailboxPurpose][] = [
    [/^(info|inquir|enquir|contact|hello|xunpan)/, 'inquiry'],
    [/^(sales?|export|trade|order|xiaoshou)/, 'sales'],
    [/^(service|support|help|cs|kefu|after-?sales?)/, 'service'],
    [/^(purchas|procure|buy|sourcing|caigou)/, 'purchase'],
    [/^(logistic|shipping|freight|ship|wuliu)/, 'logistics'],
    [/^(account|finance|billing|invoice|payment|caiwu)/, 'accounting'],
    [/^(marketing|market|media)/, 'marketing'],
  ];
  const match = rules.find(([pattern]) => pattern.test(local));
  return match && (mailboxPurposes as readonly string[]).includes(match[1]) ? match[1] : null;
}

function parsePort(value: string): number | null {
  if (!/^\d{1,5}$/.test(value.trim())) return null;
  const port = Number(value);
  return port >= 1 && port <= 65535 ? port : null;
}

export function hasConnection(values: FormValues): boolean {
  return values.preset !== NO_CONNECTION;
}

/** The connection to send; `secret` empty means "keep the saved one" (omitted). */
export function toConnection(values: FormValues): ConnectionSettings {
  const user = values.user.trim();
  const secret = values.secret;
  return {
    preset: values.preset,
    imap: { host: values.imapHost.trim(), port: parsePort(values.imapPort) ?? 0, tls: values.imapTls, user },
    smtp: { host: values.smtpHost.trim(), port: parsePort(values.smtpPort) ?? 0, tls: values.smtpTls, user },
    authMethod: values.authMethod,
    ...(secret ? (values.authMethod === 'xoauth2' ? { accessToken: secret } : { password: secret }) : {}),
    ...(values.authMethod === 'xoauth2' && values.oauthRefreshToken
      ? {
          oauth: {
            refreshToken: values.oauthRefreshToken,
            clientId: values.oauthClientId.trim(),
            ...(values.oauthClientSecret ? { clientSecret: values.oauthClientSecret } : {}),
          },
        }
      : {}),
    syncFolders: SYNC_FOLDERS.filter((folder) => values.syncFolders.includes(folder)),
    syncSinceDays: values.syncSinceDays,
  };
}

/** Whether the settings a connection test uses differ from the saved ones. */
export function serverSettingsChanged(values: FormValues, detail: MailboxDetail | undefined): boolean {
  const saved = detail?.connection;
  if (!saved) return true;
  const now = toConnection(values);
  const same = (a: ConnectionSettings['imap'], b: ConnectionSettings['imap']) =>
    a.host === b.host && a.port === b.port && a.tls === b.tls && a.user === b.user;
  return !same(now.imap, saved.imap) || !same(now.smtp, saved.smtp) || now.authMethod !== saved.authMethod;
}

/** Whether anything of the connection differs from what is saved (decides whether PATCH sends it). */
export function connectionChanged(values: FormValues, detail: MailboxDetail | undefined): boolean {
  const saved = detail?.connection;
  if (!saved) return hasConnection(values);
  const now = toConnection(values);
  return (
    serverSettingsChanged(values, detail) ||
    Boolean(values.secret) ||
    Boolean(values.oauthRefreshToken) ||
    (isKnownPreset(saved.preset) ? saved.preset : 'other') !== values.preset ||
    now.syncFolders.join() !== SYNC_FOLDERS.filter((folder) => saved.syncFolders.includes(folder)).join() ||
    now.syncSinceDays !== saved.syncSinceDays
  );
}

/**
 * Whether the host, port or TLS mode of IMAP or SMTP differs from what is saved. The server then
 * refuses to keep the saved password (`mailbox.secret_required`): it was given for the old server.
 */
export function serverMoved(values: FormValues, detail: MailboxDetail | undefined): boolean {
  const saved = detail?.connection;
  if (!saved) return false;
  const now = toConnection(values);
  const moved = (a: ConnectionSettings['imap'], b: ConnectionSettings['imap']) =>
    a.host.toLowerCase() !== b.host.toLowerCase() || a.port !== b.port || a.tls !== b.tls;
  return moved(now.imap, saved.imap) || moved(now.smtp, saved.smtp);
}

/**
 * Whether the password (or token) must be typed: always for a new connection, and on edit when
 * none is saved, the sign-in method changed (a saved password is no access token) or a server moved.
 */
export function secretRequired(values: FormValues, detail: MailboxDetail | undefined): boolean {
  if (!hasConnection(values)) return false;
  const saved = detail?.connection;
  return !saved?.hasSecret || saved.authMethod !== values.authMethod || serverMoved(values, detail);
}

export function validate(values: FormValues, options: { mode: 'add' | 'edit'; detail?: MailboxDetail | undefined }): Problems {
  const problems: Problems = {};
  if (options.mode === 'add' && !EMAIL_PATTERN.test(values.address.trim())) problems.address = 'addressInvalid';
  if (!values.displayName.trim()) problems.displayName = 'nameRequired';
  if (!hasConnection(values)) return problems;
  if (!values.imapHost.trim()) problems.imapHost = 'hostRequired';
  if (parsePort(values.imapPort) === null) problems.imapPort = 'portInvalid';
  if (!values.smtpHost.trim()) problems.smtpHost = 'hostRequired';
  if (parsePort(values.smtpPort) === null) problems.smtpPort = 'portInvalid';
  if (!values.user.trim()) problems.user = 'userRequired';
  const renewable = values.authMethod === 'xoauth2' && Boolean(values.oauthRefreshToken);
  if (renewable && !values.oauthClientId.trim()) problems.oauthClientId = 'clientIdRequired';
  if (!values.secret && !renewable && secretRequired(values, options.detail)) {
    const again = Boolean(options.detail?.connection?.hasSecret) && serverMoved(values, options.detail);
    problems.secret =
      values.authMethod === 'xoauth2' ? (again ? 'tokenAgain' : 'tokenRequired') : again ? 'passwordAgain' : 'passwordRequired';
  }
  if (values.syncFolders.length === 0) problems.syncFolders = 'foldersRequired';
  return problems;
}

/** Validation paths the server may name (`/connection/imap/host`, `connection.imap.host`) → form fields. */
const SERVER_PATHS: Record<string, FieldName> = {
  address: 'address',
  displayName: 'displayName',
  purpose: 'purpose',
  'connection.imap.host': 'imapHost',
  'connection.imap.port': 'imapPort',
  'connection.imap.tls': 'imapTls',
  'connection.imap.user': 'user',
  'connection.smtp.host': 'smtpHost',
  'connection.smtp.port': 'smtpPort',
  'connection.smtp.tls': 'smtpTls',
  'connection.smtp.user': 'user',
  'connection.password': 'secret',
  'connection.accessToken': 'secret',
  'connection.oauth.refreshToken': 'oauthRefreshToken',
  'connection.oauth.clientId': 'oauthClientId',
  'connection.oauth.clientSecret': 'oauthClientSecret',
  'connection.syncFolders': 'syncFolders',
  'connection.syncSinceDays': 'syncSinceDays',
};

function toField(path: string): FieldName | undefined {
  const dotted = path
    .replace(/^\//, '')
    .split(/[/.]/)
    .filter((part) => part && part !== 'body' && !/^\d+$/.test(part))
    .join('.');
  return SERVER_PATHS[dotted];
}

/**
 * The fields a `request.invalid` answer points at. Schema validation sends
 * `details: [{ path: '/connection/imap/host' }]`; checks made later name the path at the
 * start of the message (`connection.imap.host Too small…`).
 */
export function serverFields(error: unknown): FieldName[] {
  if (!(error instanceof ApiRequestError) || error.code !== 'request.invalid') return [];
  const fields = new Set<FieldName>();
  if (Array.isArray(error.details)) {
    for (const issue of error.details) {
      const path = typeof issue === 'object' && issue !== null ? (issue as { path?: unknown }).path : undefined;
      const field = typeof path === 'string' ? toField(path) : Array.isArray(path) ? toField(path.join('.')) : undefined;
      if (field) fields.add(field);
    }
  }
  if (fields.size === 0) {
    for (const part of error.message.split(';')) {
      const field = toField(part.trim().split(/\s/)[0] ?? '');
      if (field) fields.add(field);
    }
  }
  return FIELD_ORDER.filter((field) => fields.has(field));
}
