import { hostname } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { z } from 'zod';
import { type Clock, systemClock } from './clock.js';
import { startClockSkewGuard } from './clock-skew.js';
import { type Config, isHttps } from './config.js';
import { type DatabaseHandle, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createHealthProbe } from './health.js';
import { buildHttpApp } from './http.js';
import { localHolderId, setLocalNodeName } from './jobs/local-holder.js';
import { createQueue } from './jobs/queue.js';
import { defineJob } from './jobs/registry.js';
import { ensureQuarterlyReport, scanAllMailboxSieve } from './modules/audit/index.js';
import { autoReplySubscriber, replyTimingOfMailbox } from './modules/auto-reply/index.js';
import { campaignFeedbackSubscriber, campaignJobHandlers, unsubscribeKeyFrom } from './modules/campaigns/index.js';
import { CUSTOMER_POOL_JOB, sweepCustomerPool } from './modules/contacts/index.js';
import {
  type AuthResults,
  createDnsResolver,
  createPierMessageIds,
  ingestMail,
  type TeamActivityCheck,
  verifyInboundMail,
} from './modules/conversations/index.js';
import { type EventSubscriber, eventJobHandlers } from './modules/events/index.js';
import { forwardingJobHandlers, forwardingSubscriber } from './modules/forwarding/index.js';
import { fraudAssessSubscriber } from './modules/fraud/index.js';
import { createLiveHub, createLivePublisher, createLocalBus, createPostgresBus } from './modules/live/index.js';
import { mailFactsSubscriber } from './modules/mail-facts/index.js';
import { businessHoursOfMailbox } from './modules/mailbox-settings/index.js';
import {
  createHostGuard,
  createSmtpTransport,
  findMailboxByAddress,
  findMailboxById,
  findReceivingMailbox,
  type HostGuard,
  listSendingMailboxes,
  loadOwnAddresses,
  mailboxCredentials,
  resolveAllowedHost,
} from './modules/mailboxes/index.js';
import { onNotificationCreated } from './modules/notifications/index.js';
import { bounceSubscriber, conversationsWithOutgoingMail, isAutomaticMail, outboxJobHandlers } from './modules/outbox/index.js';
import { createPushSender } from './modules/push/index.js';
import { type BusinessHoursOf, RULES_SCHEDULE, rulesJobHandlers, rulesScheduleJob, rulesSubscriber } from './modules/rules/index.js';
import {
  createSecretBox,
  createSecurityMailer,
  loadSecretKey,
  purgeExpiredSessions,
  resolvePublicUrl,
  type SecurityMailer,
  type SystemMailSender,
  securityMailJob,
} from './modules/security/index.js';
import { SLA_EVALUATE_JOB, slaJobHandlers, slaSubscribers, type TeamLeadsOf } from './modules/sla/index.js';
import { startSyncSupervisor } from './modules/sync/index.js';
import {
  conversationsWorkedOnByTeam,
  ESCALATE_UNASSIGNED_JOB,
  escalateUnassigned,
  leadsOfTeam,
  recordReopened,
  triageSubscribers,
  WAKE_SNOOZED_JOB,
  wakeSnoozedConversations,
} from './modules/triage/index.js';
import { webhookJobHandlers, webhookSubscribers } from './modules/webhooks/index.js';
import { openBlobStore } from './storage/blob-stores.js';
import { createSmtpListener, type SmtpListener } from './transports/smtp-listener.js';
import { defaultJobConcurrency, startWorker } from './worker.js';

/**
 * Wires the database, storage and modules; plain functions, no DI container. `clock` is the
 * server's time for due jobs, the undo window, snooze wake-ups and session expiry (tests move it).
 */
export async function openWorkspace(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'secretKey'> & Partial<Pick<Config, 'blobStore'>>,
  logger: Logger = pino({ level: 'warn' }),
  clock: Clock = systemClock,
) {
  const database = openDatabase(config);
  await migrateToLatest(database.db);
  const blobs = openBlobStore(config.blobStore ?? { kind: 'filesystem', root: path.join(config.dataDir, 'blobs') });
  const secretKey = loadSecretKey(config);
  const secrets = createSecretBox(secretKey);
  // Pier's Message-IDs carry a tag keyed from the same secret (decision 0027).
  const messageIds = createPierMessageIds(secretKey);
  // Campaign unsubscribe links are signed with a key derived from it (decision 0051).
  const unsubscribeKey = unsubscribeKeyFrom(secretKey);
  // Ingest asks triage and the outbox whether the team worked on a conversation (decision 0027).
  const teamActivity: TeamActivityCheck = async (db, conversationIds) =>
    new Set([...(await conversationsWorkedOnByTeam(db, conversationIds)), ...(await conversationsWithOutgoingMail(db, conversationIds))]);
  const queue = createQueue(database.db, database.engine, clock);
  // Live updates: in-process with SQLite; LISTEN/NOTIFY across nodes with PostgreSQL.
  const bus = config.databaseUrl ? createPostgresBus({ db: database.db, databaseUrl: config.databaseUrl, logger }) : createLocalBus();
  const live = createLivePublisher({ db: database.db, bus, logger });
  // A notification written through this workspace is pushed to its user's sockets once committed.
  const offNotifications = onNotificationCreated((created) => live.notificationCreated(created));
  const close = async () => {
    offNotifications();
    await live.flush();
    await bus.close();
    await database.close();
  };
  // The hours every rule works under: the mailbox's own, else the default (mailbox-settings, decision 0033).
  const businessHoursOf: BusinessHoursOf = businessHoursOfMailbox;
  // Every ingest context carries it: triage writes the "reopened" event in ingest's transaction.
  return {
    businessHoursOf,
    database,
    db: database.db,
    engine: database.engine,
    blobs,
    secrets,
    messageIds,
    unsubscribeKey,
    recordReopened,
    teamActivity,
    queue,
    live,
    clock,
    close,
  };
}

export type Workspace = Awaited<ReturnType<typeof openWorkspace>>;

/**
 * Who reacts to domain events (fraud checks, rules, SLA, …). An event's job runs them as steps in
 * this order (decision 0073): the fraud assessment before mail-facts publishes `message.classified`,
 * so rules that wait for the fraud level find it; webhooks last, as a re-run after a crash would emit
 * its deliveries again and last leaves only the job's completion after them (as their own job did).
 * Subscribers of a serial group (forwarding, auto-reply) run as jobs of their own.
 */
function eventSubscribers(workspace: Workspace, mailer: SecurityMailer, logger: Logger): EventSubscriber[] {
  return [
    fraudAssessSubscriber({ db: workspace.db, blobs: workspace.blobs }),
    bounceSubscriber(workspace),
    campaignFeedbackSubscriber({
      db: workspace.db,
      blobs: workspace.blobs,
      unsubscribeKey: workspace.unsubscribeKey,
      now: () => workspace.clock.now(),
    }),
    ...triageSubscribers(workspace.db, workspace.clock),
    ...slaSubscribers(slaDeps(workspace)),
    mailFactsSubscriber({ db: workspace.db, blobs: workspace.blobs, isAutomaticMail: (id) => isAutomaticMail(workspace.db, id) }),
    forwardingSubscriber({ db: workspace.db, blobs: workspace.blobs, mailer }),
    rulesSubscriber(rulesDeps(workspace, mailer, logger)),
    autoReplySubscriber({
      db: workspace.db,
      engine: workspace.engine,
      blobs: workspace.blobs,
      messageIds: workspace.messageIds,
      recordReopened: workspace.recordReopened,
      teamActivity: workspace.teamActivity,
      clock: workspace.clock,
      mailer,
      replyTiming: replyTimingOfMailbox,
    }),
    ...webhookSubscribers(workspace.db),
  ];
}

function rulesDeps(workspace: Workspace, mailer: SecurityMailer, logger: Logger) {
  const { db, engine, blobs, clock, businessHoursOf, live, messageIds, recordReopened, teamActivity } = workspace;
  return {
    ...{ db, engine, blobs, clock, businessHoursOf, messageIds, recordReopened, teamActivity },
    mailer,
    logger,
    onChanged: (id: string) => live.publishConversationChanged(id),
  };
}

/** The SLA clock's view of the workspace: its time, who leads a team, and the live push of a changed due time. */
function slaDeps(workspace: Workspace) {
  const teamLeadsOf: TeamLeadsOf = (teamId) => leadsOfTeam(workspace.db, teamId);
  return {
    db: workspace.db,
    now: () => workspace.clock.now(),
    teamLeadsOf,
    onChanged: (conversationId: string) => workspace.live.publishConversationChanged(conversationId),
  };
}

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    // Secrets and mail never reach the log, whatever a later log line passes in.
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'password', '*.password', 'raw', 'body'], censor: '[redacted]' },
  });
}

/**
 * Security mail goes out through the mailbox named by PIER_SYSTEM_MAILBOX, or the one an admin chose
 * for an invitation or reset link (`via`), over its own SMTP settings; looked up per mail, so changing
 * that mailbox's settings needs no restart. Marked Auto-Submitted (RFC 3834): no vacation reply or
 * auto-forward answers it.
 */
function systemMailSender(workspace: Workspace, address: string | undefined, hosts: HostGuard): SystemMailSender {
  return async (mail, via) => {
    const mailbox = via
      ? await findMailboxById(workspace.db, via)
      : address
        ? await findMailboxByAddress(workspace.db, address)
        : undefined;
    if (!mailbox)
      throw new Error(via ? `mailbox ${via} chosen to send through is gone` : `PIER_SYSTEM_MAILBOX ${address} is not a mailbox in Pier`);
    const target = mailbox.smtp_host ? await resolveAllowedHost(hosts, mailbox.smtp_host) : undefined;
    const transport = createSmtpTransport(mailbox, workspace.secrets, {}, target);
    try {
      await transport.sendMail({
        from: { name: 'Pier', address: mailbox.address },
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    } finally {
      transport.close();
    }
  };
}

/** VAPID's "sub": the push services' contact for this sender; Pier's public https URL when it has one. */
function vapidSubject(config: Pick<Config, 'publicUrl'>): string {
  return config.publicUrl?.startsWith('https://') ? config.publicUrl : `mailto:postmaster@${hostname() || 'localhost'}`;
}

/** Mail above this size streams into the blob store while the SMTP listener receives it. */
const SMTP_SPOOL_THRESHOLD_BYTES = 1024 * 1024;

export type RunningPier = {
  url: string;
  smtpPort: number | null;
  workspace: Workspace;
  /** The HTTP app, for in-process requests (tests inject requests from other client addresses). */
  http: FastifyInstance;
  /** Re-reads the mailbox list now, for a mailbox written straight to the database (tests); else the next scan finds it. */
  rescanMailboxes(): void;
  stop(): Promise<void>;
};

export async function startPier(config: Config, logger: Logger = createLogger(config), clock: Clock = systemClock): Promise<RunningPier> {
  setLocalNodeName(config.nodeName);
  const workspace = await openWorkspace(config, logger, clock);
  const { db, blobs, queue, live } = workspace;
  const securityMailer = createSecurityMailer(workspace.secrets, config.systemMailbox, async () =>
    (await listSendingMailboxes(db)).map((m) => ({ id: m.id, address: m.address, displayName: m.display_name })),
  );
  const hosts = createHostGuard(config.allowPrivateHosts);
  const stops: (() => Promise<void>)[] = [];
  // Web Push from whichever process wrote the notification (web or worker), once it committed (decision 0037).
  const push = createPushSender({ db, secrets: workspace.secrets, hosts, logger, clock, subject: vapidSubject(config) });
  const offPush = onNotificationCreated((created) => push.notificationCreated(created));
  stops.push(async () => {
    offPush();
    await push.flush();
  });
  try {
    let smtp: SmtpListener | undefined;
    const dnsResolver = createDnsResolver(config.dnsServers);
    let supervisor: ReturnType<typeof startSyncSupervisor> | undefined;
    if (config.smtp.enabled && config.role !== 'worker') {
      smtp = createSmtpListener({
        ...config.smtp,
        logger,
        spool: { thresholdBytes: SMTP_SPOOL_THRESHOLD_BYTES, open: () => blobs.openWriter(), read: (sha256) => blobs.get(sha256) },
        resolveRecipient: async (address) => (await findReceivingMailbox(db, address))?.id,
        store: async (mail) => {
          const raw = await mail.read();
          // A verification that cannot finish (DNS down) is recorded as temperror; the mail is stored regardless.
          const authResults = await verifyInboundMail(raw, mail.envelope, dnsResolver).catch(
            (): AuthResults => ({ source: 'pier', spf: 'temperror', dkim: 'temperror', dmarc: 'temperror', arc: null }),
          );
          const ctx = {
            engine: workspace.database.engine,
            ownAddresses: await loadOwnAddresses(db),
            messageIds: workspace.messageIds,
            recordReopened: workspace.recordReopened,
            teamActivity: workspace.teamActivity,
          };
          const stored = await ingestMail({ db, blobs, ctx }, { raw, mailboxIds: mail.mailboxIds, source: 'smtp', authResults });
          live.messagesStored([stored]);
          return stored;
        },
      });
      await smtp.start();
      stops.push(() => smtp?.stop() ?? Promise.resolve());
    }

    // The system clock compared with PostgreSQL's at start and every minute; off, this node claims
    // nothing (decision 0074). Not `clock`: a test moving it simulates time passing, not a wrong clock.
    const clockGuard = await startClockSkewGuard({ database: workspace.database, clock: systemClock, logger });
    stops.push(async () => clockGuard.stop());
    const hub = config.role === 'worker' ? undefined : createLiveHub({ db, bus: live.bus, logger, heartbeatMs: config.liveHeartbeatMs });
    if (hub) {
      await hub.start();
      stops.push(() => hub.stop());
    }
    const app = await buildHttpApp({
      db,
      engine: workspace.engine,
      blobs,
      messageIds: workspace.messageIds,
      recordReopened: workspace.recordReopened,
      teamActivity: workspace.teamActivity,
      logger,
      webDir: config.webDir,
      secureCookies: isHttps(config),
      loginRateLimitPerMinute: config.loginRateLimitPerMinute,
      apiRateLimitPerMinute: config.apiRateLimitPerMinute,
      health: createHealthProbe({ database: workspace.database, blobs, smtp, clock: clockGuard, logger }),
      secrets: workspace.secrets,
      hosts,
      securityMailer,
      sessionTimeouts: config.sessionTimeouts,
      clock,
      publicUrl: config.publicUrl,
      trustProxy: config.trustProxy,
      // Every node's supervisor hears it (the bus: in-process on SQLite, NOTIFY on PostgreSQL), not only this one's.
      onMailboxesChanged: () => live.mailboxesChanged(),
      live: { publisher: live, hub },
      businessHoursOf: workspace.businessHoursOf,
      push,
      unsubscribeKey: workspace.unsubscribeKey,
    });
    let url = '';
    if (config.role !== 'worker') {
      url = await app.listen({ host: config.host, port: config.port });
      stops.unshift(() => app.close());
    }

    if (config.role !== 'web') {
      supervisor = startSyncSupervisor({
        db,
        blobs,
        logger,
        engine: workspace.database.engine,
        messageIds: workspace.messageIds,
        recordReopened: workspace.recordReopened,
        teamActivity: workspace.teamActivity,
        secrets: workspace.secrets,
        hosts,
        workerId: localHolderId(),
        clock,
        mayTakeLeases: clockGuard.ok,
        bus: live.bus,
        onStored: (results) => live.messagesStored(results),
      });
      const syncing = supervisor;
      stops.unshift(() => syncing.stop());
      const smtpTimeouts = { connectionTimeout: 30_000, socketTimeout: config.smtpSendTimeoutMs };
      const worker = startWorker({
        queue,
        logger,
        clock,
        mayClaim: clockGuard.ok,
        concurrency: config.jobConcurrency ?? defaultJobConcurrency(workspace.database.engine),
        handlers: [
          ...eventJobHandlers(db, eventSubscribers(workspace, securityMailer, logger), { logger, now: () => clock.now() }),
          ...outboxJobHandlers({ db, blobs, secrets: workspace.secrets, logger, smtpTimeouts, clock, hosts }),
          ...campaignJobHandlers({
            db,
            secrets: workspace.secrets,
            hosts,
            logger,
            clock,
            smtpTimeouts,
            unsubscribeKey: workspace.unsubscribeKey,
            publicUrl: () => resolvePublicUrl(db, config.publicUrl),
          }),
          ...forwardingJobHandlers({ db, blobs, secrets: workspace.secrets, hosts, logger, smtpTimeouts }),
          ...rulesJobHandlers(rulesDeps(workspace, securityMailer, logger)),
          rulesScheduleJob(rulesDeps(workspace, securityMailer, logger)),
          ...slaJobHandlers(slaDeps(workspace)),
          ...webhookJobHandlers({ db, secrets: workspace.secrets, hosts, clock, logger }),
          securityMailJob(workspace.secrets, systemMailSender(workspace, config.systemMailbox, hosts)),
          defineJob({
            name: 'sessions.purge-expired',
            payload: z.null(),
            run: async () => {
              const removed = await purgeExpiredSessions(db, config.sessionTimeouts, clock.now());
              if (removed > 0) logger.info({ removed }, 'expired sessions purged');
            },
          }),
          defineJob({
            name: CUSTOMER_POOL_JOB,
            payload: z.null(),
            // 公海: owned customers without mail for N days return to the pool after a notice (decision 0048).
            run: async () => {
              const swept = await sweepCustomerPool(db, clock.now());
              if (swept.noticed + swept.returned > 0) logger.info(swept, 'customer pool sweep');
            },
          }),
          defineJob({
            name: WAKE_SNOOZED_JOB,
            payload: z.null(),
            run: async () => {
              await wakeSnoozedConversations(db, clock.now(), (id) => live.publishConversationChanged(id));
            },
          }),
          defineJob({
            name: ESCALATE_UNASSIGNED_JOB,
            payload: z.null(),
            // "Nothing missed" (decision 0034): counted in each mailbox's working hours.
            run: async () => {
              const escalated = await escalateUnassigned(db, clock.now(), (mailboxId) => businessHoursOfMailbox(db, mailboxId));
              if (escalated > 0) logger.info({ escalated }, 'conversations escalated as unassigned too long');
            },
          }),
          defineJob({
            name: 'audit.sieve-scan',
            payload: z.null(),
            run: async () => {
              const results = await scanAllMailboxSieve(db, mailboxCredentials(workspace.secrets), { skipReadWithinMs: 23 * 60 * 60_000 });
              const found = results.flatMap((r) => r.newExternal);
              if (found.length > 0) logger.warn({ count: found.length }, 'new external forwarding in Sieve scripts (see the audit log)');
            },
          }),
          defineJob({
            name: 'audit.quarterly-report',
            payload: z.null(),
            // Daily check; makes the report of the quarter just ended once and mails it to the admins (PIER_SYSTEM_MAILBOX).
            run: async () => {
              const made = await ensureQuarterlyReport(db, clock.now(), securityMailer);
              if (made) logger.info({ reportId: made.id, mailedTo: made.mailedTo }, 'quarterly audit report generated');
            },
          }),
        ],
        schedules: [
          { name: 'sessions.purge-expired', everyMs: 60 * 60_000 },
          { name: WAKE_SNOOZED_JOB, everyMs: 60_000 },
          { name: CUSTOMER_POOL_JOB, everyMs: 60 * 60_000 },
          { name: RULES_SCHEDULE, everyMs: 5 * 60_000 },
          { name: SLA_EVALUATE_JOB, everyMs: 60_000 },
          { name: ESCALATE_UNASSIGNED_JOB, everyMs: 5 * 60_000 },
          { name: 'audit.sieve-scan', everyMs: 24 * 60 * 60_000 },
          { name: 'audit.quarterly-report', everyMs: 24 * 60 * 60_000 },
        ],
      });
      stops.unshift(() => worker.stop());
    }

    return {
      url,
      smtpPort: smtp?.status().port ?? null,
      workspace,
      http: app,
      rescanMailboxes: () => supervisor?.rescan(),
      async stop() {
        for (const stop of stops) await stop();
        await workspace.close();
      },
    };
  } catch (error) {
    for (const stop of stops) await stop().catch(() => {});
    await workspace.close();
    throw error;
  }
}

export type { DatabaseHandle };
