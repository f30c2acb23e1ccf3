import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { createSecureContext } from 'node:tls';
import { z } from 'zod';
import type { BlobStoreSettings } from './storage/blob-stores.js';

/**
 * The only reader of process.env. Every setting is parsed and validated here;
 * a bad value stops start-up with a message that names the variable.
 */
export type Config = {
  host: string;
  port: number;
  dataDir: string;
  /** Where mail and attachment bytes live: a folder (PIER_BLOB_DIR, default dataDir/blobs) or an S3 bucket (PIER_BLOB_S3_*). */
  blobStore: BlobStoreSettings;
  /** postgres://… selects PostgreSQL; undefined means the embedded SQLite file in dataDir. */
  databaseUrl: string | undefined;
  smtp: {
    enabled: boolean;
    host: string;
    port: number;
    maxMessageBytes: number;
    /** Concurrent SMTP clients; the next one is answered 421 (its MTA retries later). */
    maxConnections: number;
    /** PEM certificate chain and key: the listener offers STARTTLS only when they are set. */
    tls: { cert: Buffer; key: Buffer } | undefined;
  };
  /** Externally visible base URL; https here turns on Secure cookies and HSTS. */
  publicUrl: string | undefined;
  /** 32-byte key (base64) for secrets at rest; when unset a key file in dataDir is created. */
  secretKey: string | undefined;
  loginRateLimitPerMinute: number;
  /** PIER_API_RATE_LIMIT: requests per minute per session (per IP for visitors) on /api; 0 = off. */
  apiRateLimitPerMinute: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  role: 'all' | 'web' | 'worker';
  /**
   * PIER_NODE_NAME: the host part of this process's lease and job-claim holder name (default: the
   * host name). Processes with one name on one machine see each other's death at once; a node
   * with another name is another host, whose leases are left to expire (decision 0056).
   */
  nodeName: string | undefined;
  /** PIER_JOB_CONCURRENCY: background jobs a worker runs at once; unset = the engine's default (worker.ts, decision 0070). */
  jobConcurrency: number | undefined;
  webDir: string;
  /** DNS servers for SPF/DKIM/DMARC checks of mail received on the SMTP listener; the system's when empty. */
  dnsServers: string[];
  /** Live channel: ping/heartbeat and session re-check interval of each WebSocket. */
  liveHeartbeatMs: number;
  /** How long outgoing SMTP (outbox, forwarding rules) waits for the server; no answer after DATA = "uncertain". */
  smtpSendTimeoutMs: number;
  /** A session ends after idleMs without a request, and absoluteMs after sign-in in any case. */
  sessionTimeouts: { idleMs: number; absoluteMs: number };
  /** Address of a mailbox connected in Pier whose SMTP settings send security mail (alerts, invitations, resets). */
  systemMailbox: string | undefined;
  /**
   * PIER_TRUST_PROXY, handed to Fastify's trustProxy: false (the socket's address is the client), a number
   * of proxy hops to trust, or the proxies' addresses/CIDR ranges. Only then is X-Forwarded-For believed.
   */
  trustProxy: false | number | string[];
  /** PIER_TEST_CLOCK: the parent process may move the server's clock (tests only; refused unless NODE_ENV=test). */
  testClock: boolean;
  /**
   * PIER_ALLOW_PRIVATE_HOSTS: private/reserved addresses mailbox servers and OAuth token endpoints may
   * resolve to. Unset: none (public addresses only); `all`: every one; else the listed IPs/CIDRs.
   */
  allowPrivateHosts: 'all' | string[];
};

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

const port = z.coerce.number().int().min(0).max(65535);
const flag = z.enum(['1', '0', 'true', 'false', 'yes', 'no']).transform((v) => ['1', 'true', 'yes'].includes(v));

const variables = {
  PIER_HOST: z.string().min(1).default('127.0.0.1'),
  PIER_PORT: port.default(8080),
  PIER_DATA_DIR: z.string().min(1).default('./data'),
  PIER_BLOB_DIR: z.string().min(1).optional(),
  PIER_BLOB_S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL of the S3 API' }).optional(),
  PIER_BLOB_S3_BUCKET: z.string().min(1).optional(),
  PIER_BLOB_S3_REGION: z.string().min(1).default('us-east-1'),
  PIER_BLOB_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  PIER_BLOB_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  PIER_BLOB_S3_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._\-/]*$/, 'may hold letters, digits and . _ - / only')
    .default(''),
  PIER_BLOB_S3_PATH_STYLE: flag.default(true),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// (leave it unset for the embedded SQLite database)')
    .optional(),
  PIER_SMTP_ENABLED: flag.default(true),
  PIER_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  PIER_SMTP_PORT: port.default(2525),
  PIER_SMTP_MAX_MB: z.coerce.number().positive().max(1024).default(50),
  PIER_SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(10_000).default(20),
  PIER_SMTP_TLS_CERT: z.string().min(1).optional(),
  PIER_SMTP_TLS_KEY: z.string().min(1).optional(),
  PIER_PUBLIC_URL: z.url().optional(),
  PIER_SECRET_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes encoded in base64 (openssl rand -base64 32)')
    .optional(),
  PIER_LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
  // 1200/min = 20 requests a second, sustained for a minute, per session: a busy agent clicking
  // through conversations makes a few requests a second at most, and the web app's bursts (a page
  // opening fires ~5-10 requests) stay far below; a script looping on the API hits it quickly.
  PIER_API_RATE_LIMIT: z.coerce
    .number({ error: 'must be a whole number of requests per minute (0 turns the limit off)' })
    .int('must be a whole number of requests per minute (0 turns the limit off)')
    .min(0, 'must be 0 (off) or more')
    .max(1_000_000, 'must be at most 1000000 requests per minute')
    .default(1200),
  PIER_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PIER_ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  PIER_NODE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores')
    .optional(),
  PIER_JOB_CONCURRENCY: z.coerce
    .number({ error: 'must be a whole number of jobs run at once' })
    .int('must be a whole number of jobs run at once')
    .min(1, 'must be at least 1')
    .max(32, 'must be at most 32 (each running job may hold one of the 10 database connections)')
    .optional(),
  PIER_LIVE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(300_000).default(25_000),
  PIER_SMTP_SEND_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  PIER_WEB_DIR: z.string().min(1).optional(),
  PIER_DNS_SERVERS: z
    .string()
    .regex(/^[0-9a-fA-F.:[\],\s]+$/, 'must be a comma-separated list of IP addresses (optionally with :port)')
    .optional(),
  PIER_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 90)
    .default(60 * 24 * 3),
  PIER_SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .default(24 * 30),
  PIER_SYSTEM_MAILBOX: z.email().optional(),
  PIER_TRUST_PROXY: z.string().optional().transform(parseTrustProxy),
  PIER_TEST_CLOCK: flag.default(false),
  NODE_ENV: z.string().optional(),
  PIER_ALLOW_PRIVATE_HOSTS: z
    .string()
    .transform((v, ctx): 'all' | string[] => {
      const value = v.trim().toLowerCase();
      if (['1', 'true', 'yes', 'all'].includes(value)) return 'all';
      if (['0', 'false', 'no', 'none'].includes(value)) return [];
      const entries = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = entries.find((entry) => !isAddressOrRange(entry));
      if (bad !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `must be 1/true (every private address), 0/false, or a comma-separated list of IP addresses and CIDR ranges; ${JSON.stringify(bad)} is neither`,
        });
        return z.NEVER;
      }
      return entries;
    })
    .optional(),
} as const;

type Variables = { [K in keyof typeof variables]: z.infer<(typeof variables)[K]> };

/** Defaults that are paths are resolved against the working directory, like `npm start` expects. */
const defaultWebDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'web', 'dist');

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Record<keyof typeof variables, string>> = {}): Config {
  const parsed: Partial<Variables> = {};
  for (const [name, schema] of Object.entries(variables)) {
    const key = name as keyof typeof variables;
    const raw = overrides[key] ?? emptyToUndefined(env[key]);
    const result = schema.safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new ConfigError(name, `${issue?.message ?? 'is invalid'} (got ${JSON.stringify(raw)})`);
    }
    (parsed as Record<string, unknown>)[key] = result.data;
  }
  const v = parsed as Variables;
  return {
    host: v.PIER_HOST,
    port: v.PIER_PORT,
    dataDir: path.resolve(v.PIER_DATA_DIR),
    blobStore: blobStoreSettings(v),
    databaseUrl: v.DATABASE_URL,
    smtp: {
      enabled: v.PIER_SMTP_ENABLED,
      host: v.PIER_SMTP_HOST,
      port: v.PIER_SMTP_PORT,
      maxMessageBytes: Math.round(v.PIER_SMTP_MAX_MB * 1024 * 1024),
      maxConnections: v.PIER_SMTP_MAX_CONNECTIONS,
      tls: loadSmtpTls(v.PIER_SMTP_TLS_CERT, v.PIER_SMTP_TLS_KEY),
    },
    publicUrl: v.PIER_PUBLIC_URL,
    secretKey: v.PIER_SECRET_KEY,
    loginRateLimitPerMinute: v.PIER_LOGIN_RATE_LIMIT,
    apiRateLimitPerMinute: v.PIER_API_RATE_LIMIT,
    logLevel: v.PIER_LOG_LEVEL,
    role: v.PIER_ROLE,
    nodeName: v.PIER_NODE_NAME,
    jobConcurrency: v.PIER_JOB_CONCURRENCY,
    webDir: v.PIER_WEB_DIR ? path.resolve(v.PIER_WEB_DIR) : defaultWebDir,
    dnsServers: (v.PIER_DNS_SERVERS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    liveHeartbeatMs: v.PIER_LIVE_HEARTBEAT_MS,
    smtpSendTimeoutMs: v.PIER_SMTP_SEND_TIMEOUT_SECONDS * 1000,
    sessionTimeouts: { idleMs: v.PIER_SESSION_IDLE_MINUTES * 60_000, absoluteMs: v.PIER_SESSION_MAX_HOURS * 3_600_000 },
    systemMailbox: v.PIER_SYSTEM_MAILBOX?.toLowerCase(),
    trustProxy: v.PIER_TRUST_PROXY,
    testClock: testClockAllowed(v.PIER_TEST_CLOCK, v.NODE_ENV),
    allowPrivateHosts: v.PIER_ALLOW_PRIVATE_HOSTS ?? [],
  };
}

/** PIER_BLOB_S3_ENDPOINT selects the S3 store, and then its bucket and key pair are required. */
function blobStoreSettings(v: Variables): BlobStoreSettings {
  const dataDir = path.resolve(v.PIER_DATA_DIR);
  if (!v.PIER_BLOB_S3_ENDPOINT) return { kind: 'filesystem', root: path.resolve(v.PIER_BLOB_DIR ?? path.join(dataDir, 'blobs')) };
  for (const name of ['PIER_BLOB_S3_BUCKET', 'PIER_BLOB_S3_ACCESS_KEY_ID', 'PIER_BLOB_S3_SECRET_ACCESS_KEY'] as const) {
    if (!v[name]) throw new ConfigError(name, 'is required when PIER_BLOB_S3_ENDPOINT is set');
  }
  const prefix = v.PIER_BLOB_S3_PREFIX.replace(/^\/+/, '');
  return {
    kind: 's3',
    endpoint: v.PIER_BLOB_S3_ENDPOINT,
    bucket: v.PIER_BLOB_S3_BUCKET ?? '',
    region: v.PIER_BLOB_S3_REGION,
    accessKeyId: v.PIER_BLOB_S3_ACCESS_KEY_ID ?? '',
    secretAccessKey: v.PIER_BLOB_S3_SECRET_ACCESS_KEY ?? '',
    prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
    pathStyle: v.PIER_BLOB_S3_PATH_STYLE,
    // Mail streamed in waits here until it is whole and uploaded; never shared between nodes.
    spoolDir: path.join(dataDir, 'blob-spool'),
  };
}

const TRUST_PROXY_HELP =
  'must be a number of proxy hops (1-10) or a comma-separated list of proxy addresses or CIDR ranges, e.g. 10.0.0.0/8,::1';

/** A hop count, or IPs/CIDR ranges (proxy-addr's syntax, checked here so a typo stops start-up). */
function parseTrustProxy(raw: string | undefined, ctx: z.RefinementCtx): false | number | string[] {
  if (raw === undefined) return false;
  const value = raw.trim();
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops >= 1 && hops <= 10) return hops;
    ctx.addIssue({ code: 'custom', message: TRUST_PROXY_HELP });
    return z.NEVER;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  const bad = entries.find((entry) => !isAddressOrRange(entry));
  if (bad !== undefined) {
    ctx.addIssue({ code: 'custom', message: `${TRUST_PROXY_HELP}; ${JSON.stringify(bad)} is neither` });
    return z.NEVER;
  }
  return entries;
}

/** An IP address or a CIDR range (PIER_TRUST_PROXY, PIER_ALLOW_PRIVATE_HOSTS). */
function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * The SMTP listener's certificate: both files or neither, readable, PEM, and a key that belongs to the
 * certificate (checked now, so a mistake stops start-up instead of failing each STARTTLS).
 * Read once at start: restart Pier after renewing the certificate.
 */
function loadSmtpTls(certPath: string | undefined, keyPath: string | undefined): Config['smtp']['tls'] {
  if (certPath === undefined && keyPath === undefined) return undefined;
  if (certPath === undefined)
    throw new ConfigError('PIER_SMTP_TLS_CERT', 'must be set too when PIER_SMTP_TLS_KEY is set (PEM certificate file)');
  if (keyPath === undefined)
    throw new ConfigError('PIER_SMTP_TLS_KEY', 'must be set too when PIER_SMTP_TLS_CERT is set (PEM private key file)');
  const read = (variable: string, file: string) => {
    try {
      return readFileSync(path.resolve(file));
    } catch (error) {
      throw new ConfigError(variable, `cannot read ${JSON.stringify(file)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  };
  const cert = read('PIER_SMTP_TLS_CERT', certPath);
  const key = read('PIER_SMTP_TLS_KEY', keyPath);
  if (!cert.includes('-----BEGIN CERTIFICATE-----'))
    throw new ConfigError('PIER_SMTP_TLS_CERT', `${JSON.stringify(certPath)} is not a PEM certificate (-----BEGIN CERTIFICATE-----)`);
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key.toString('latin1')))
    throw new ConfigError('PIER_SMTP_TLS_KEY', `${JSON.stringify(keyPath)} is not a PEM private key (-----BEGIN … PRIVATE KEY-----)`);
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const variable = /key/i.test(detail) ? 'PIER_SMTP_TLS_KEY' : 'PIER_SMTP_TLS_CERT';
    throw new ConfigError(
      variable,
      `cannot be used with ${variable === 'PIER_SMTP_TLS_KEY' ? 'PIER_SMTP_TLS_CERT' : 'PIER_SMTP_TLS_KEY'}: ${detail}`,
    );
  }
  return { cert, key };
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

export function isHttps(config: Config): boolean {
  return config.publicUrl?.startsWith('https://') ?? false;
}

/** A clock others can move must never run in production by a stray variable: it needs NODE_ENV=test too. */
function testClockAllowed(requested: boolean, nodeEnv: string | undefined): boolean {
  if (requested && nodeEnv !== 'test') {
    throw new ConfigError('PIER_TEST_CLOCK', `is for tests only and needs NODE_ENV=test (got NODE_ENV ${JSON.stringify(nodeEnv)})`);
  }
  return requested;
}
