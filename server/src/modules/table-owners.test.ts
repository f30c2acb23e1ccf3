import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { Database } from '../db/schema.js';

/**
 * Every table has exactly one owning module (docs/ARCHITECTURE.md, "Table owners"); other modules
 * reach it through the owner's index.ts. This reads the sources (Kysely calls and raw SQL) and fails
 * on a query of a table outside its owner that the allow-list below does not name. The import rule
 * cannot see this: a module that writes another's table skips that module's events, audit and live
 * updates (deactivation once unassigned conversations without a conversation_events row).
 */
type Owner =
  | 'db'
  | 'jobs'
  | 'workspace'
  | 'security'
  | 'mailboxes'
  | 'contacts'
  | 'search'
  | 'conversations'
  | 'sync'
  | 'notifications'
  | 'triage'
  | 'audit'
  | 'forwarding'
  | 'loop-guard'
  | 'fraud'
  | 'outbox'
  | 'rules'
  | 'mailbox-settings'
  | 'sla'
  | 'auto-reply'
  | 'push'
  | 'webhooks'
  | 'knowledge'
  | 'campaigns';
type Table = keyof Database | 'message_search';

// Typed as every table of schema.ts: a new table does not compile until it has an owner.
const owners: Record<Table, Owner> = {
  settings: 'db',
  jobs: 'jobs',
  users: 'workspace',
  sessions: 'security',
  totp_factors: 'security',
  recovery_codes: 'security',
  login_records: 'security',
  security_alerts: 'security',
  login_throttles: 'security',
  account_tokens: 'security',
  passkeys: 'security',
  webauthn_challenges: 'security',
  api_tokens: 'security',
  webhooks: 'webhooks',
  webhook_deliveries: 'webhooks',
  mailboxes: 'mailboxes',
  mailbox_access: 'mailboxes',
  companies: 'contacts',
  contacts: 'contacts',
  message_contacts: 'contacts',
  contact_phones: 'contacts',
  customer_notes: 'contacts',
  customer_owner_history: 'contacts',
  message_search_keys: 'search',
  message_search: 'search',
  messages: 'conversations',
  message_bodies: 'conversations',
  attachments: 'conversations',
  message_locations: 'conversations',
  conversations: 'conversations',
  conversation_messages: 'conversations',
  conversation_mailboxes: 'conversations',
  conversation_relations: 'conversations',
  folders: 'sync',
  leases: 'sync',
  notifications: 'notifications',
  conversation_events: 'triage',
  conversation_notes: 'triage',
  tags: 'triage',
  conversation_tags: 'triage',
  teams: 'triage',
  team_members: 'triage',
  conversation_followers: 'triage',
  conversation_merges: 'triage',
  mailbox_routes: 'triage',
  conversation_routing: 'triage',
  audit_log: 'audit',
  audit_chain: 'audit',
  audit_reports: 'audit',
  sieve_findings: 'audit',
  mailbox_sieve: 'audit',
  forwarding_manual_checks: 'audit',
  forwarding_rules: 'forwarding',
  forwarding_deliveries: 'forwarding',
  automatic_sends: 'loop-guard',
  loop_guard_alerts: 'loop-guard',
  fraud_assessments: 'fraud',
  fraud_bank_identifiers: 'fraud',
  fraud_phone_confirmations: 'fraud',
  fraud_trusted_parties: 'fraud',
  fraud_mailbox_settings: 'fraud',
  outbox_approvals: 'fraud',
  outbox_messages: 'outbox',
  outbox_drafts: 'outbox',
  outbox_uploads: 'outbox',
  outbox_mailbox_settings: 'outbox',
  outbox_signature_logos: 'outbox',
  outbox_agent_settings: 'outbox',
  outbox_saved_replies: 'outbox',
  rules: 'rules',
  rule_runs: 'rules',
  mailbox_business_hours: 'mailbox-settings',
  sla_policies: 'mailbox-settings',
  conversation_sla: 'sla',
  auto_reply_settings: 'auto-reply',
  auto_reply_sends: 'auto-reply',
  push_subscriptions: 'push',
  push_preferences: 'push',
  knowledge_folders: 'knowledge',
  knowledge_answers: 'knowledge',
  knowledge_versions: 'knowledge',
  knowledge_attachments: 'knowledge',
  campaign_lists: 'campaigns',
  campaign_list_members: 'campaigns',
  campaign_suppressions: 'campaigns',
  campaign_suppression_lifts: 'campaigns',
  campaigns: 'campaigns',
  campaign_recipients: 'campaigns',
  campaign_events: 'campaigns',
  campaign_provider_limits: 'campaigns',
  campaign_signup_attempts: 'campaigns',
};

type Use = 'read' | 'write';
/** `files` (paths inside the module's folder) narrows an entry to those files; without it the whole module may. */
type Allowance = { module: string; use: Use; tables: Table[]; why: string; files?: string[] };

/**
 * Queries of another module's table that stay, each with the reason. Reads where a join is the
 * honest answer (a list filtered and sorted in one query cannot be assembled from index.ts calls
 * without N+1 queries). An entry that matches nothing fails the test, so the list only shrinks.
 */
const allowed: Allowance[] = [
  // Reads where one query is the honest answer: a page of a list, filtered and sorted in SQL.
  {
    module: 'conversations',
    use: 'read',
    tables: ['tags', 'conversation_tags', 'users', 'contacts', 'companies', 'mailboxes'],
    why: 'the conversation list filters by tag and shows assignee, company and mailbox in one page query; a party of fraud trust is its contacts with their company (party-mail.ts)',
  },
  {
    module: 'conversations',
    use: 'read',
    tables: ['message_contacts'],
    why: "a customer's timeline: the conversations its contacts took part in, within the reader's mailboxes, in one query; a segment by language: the language of each contact's latest mail; a party's mail for fraud trust, grouped by company in SQL (party-mail.ts)",
  },
  {
    module: 'reading',
    use: 'read',
    tables: ['conversations', 'conversation_messages', 'conversation_mailboxes', 'messages', 'message_bodies', 'attachments'],
    why: 'the conversation view reads the mail it shows; reading comes after conversations and only reads',
  },
  {
    module: 'reading',
    use: 'read',
    tables: ['contacts', 'companies', 'mailboxes', 'users'],
    why: 'customer card, mailbox names, assignee',
  },
  {
    module: 'triage',
    use: 'read',
    tables: ['conversations', 'conversation_mailboxes', 'mailboxes'],
    why: 'view counts and the handover walk conversations by assignee, status, team and mailbox in SQL',
  },
  {
    module: 'triage',
    use: 'read',
    tables: ['conversation_messages', 'message_locations', 'folders'],
    why: 'the spam flag counts the copies of a conversation seen only in Spam folders, in one query',
  },
  { module: 'triage', use: 'read', tables: ['users', 'mailbox_access'], why: 'names of people, and who may be assigned or mentioned' },
  { module: 'triage', use: 'read', tables: ['notifications'], why: 'one notification per follower and message, across retries' },
  {
    module: 'fraud',
    use: 'read',
    tables: ['messages', 'conversation_messages', 'conversation_mailboxes', 'contacts', 'companies', 'message_contacts', 'mailboxes'],
    why: "signals compare a mail with the history of the sender's company and the conversation; the flag screens join mail to assessments",
    // Trust (trust.ts) and the look-alike companies read through contacts' and conversations' index.ts.
    files: [
      'approvals.ts',
      'assess-stored.ts',
      'clear-flag.ts',
      'contact-phone.ts',
      'customer-history.ts',
      'fraud-queries.ts',
      'history.ts',
      'impostors.ts',
      'phone-confirmation.ts',
      'reassess.ts',
      'routes.ts',
      'trusted-parties.ts',
    ],
  },
  {
    module: 'fraud',
    use: 'read',
    tables: ['outbox_messages', 'users', 'mailbox_access'],
    why: 'approvals: the held mail, and who may approve it',
  },
  {
    module: 'outbox',
    use: 'read',
    tables: ['messages', 'conversation_messages', 'message_bodies', 'attachments', 'contacts', 'message_contacts'],
    why: 'a reply quotes and answers the message it replies to; a forward carries its attachments',
  },
  { module: 'outbox', use: 'read', tables: ['mailboxes', 'folders'], why: 'sendable mailboxes, and the Sent folder to append to' },
  {
    module: 'outbox',
    use: 'read',
    tables: ['message_locations'],
    why: 'a delivery report counts only when it reached the mailbox that sent the mail (decision 0027)',
  },
  {
    module: 'forwarding',
    use: 'read',
    tables: ['messages', 'message_locations', 'mailboxes', 'users'],
    why: 'which new mail a rule matches, and the names shown with a rule',
  },
  {
    module: 'rules',
    use: 'read',
    tables: [
      'messages',
      'message_bodies',
      'attachments',
      'message_locations',
      'conversation_messages',
      'conversations',
      'conversation_mailboxes',
      'mailboxes',
      'fraud_assessments',
      'conversation_tags',
      'tags',
      'forwarding_rules',
    ],
    why: "a rule's facts for a batch of mail (the preview reads 100) in one query per kind; schedule rules find unanswered conversations in SQL",
  },
  { module: 'search', use: 'read', tables: ['message_locations'], why: 'a search within mailboxes filters hits by location in SQL' },
  {
    module: 'live',
    use: 'read',
    tables: ['conversation_mailboxes', 'notifications'],
    why: 'fan-out per mailbox; a notification is pushed once committed',
  },
  {
    module: 'conversations',
    use: 'read',
    tables: ['conversation_sla'],
    why: 'the list line shows the SLA due time and "due soonest" sorts by it in the page query',
  },
  {
    module: 'reports',
    use: 'read',
    tables: [
      'messages',
      'message_locations',
      'conversation_messages',
      'conversations',
      'conversation_mailboxes',
      'mailboxes',
      'teams',
      'users',
    ],
    why: 'the reports screen counts mail and conversations per mailbox, team, agent, country, day and hour in SQL',
  },
  {
    module: 'sla',
    use: 'read',
    tables: ['conversations', 'conversation_mailboxes', 'conversation_messages', 'messages', 'outbox_messages'],
    why: 'the SLA clock reads a conversation, its messages and whether a reply was sent by a person, in one query each',
  },
  {
    module: 'mailboxes',
    use: 'read',
    tables: ['users'],
    why: 'Settings → mailboxes → access names the people with a grant, and a grant names its person in the audit record',
  },
  {
    module: 'mailboxes',
    use: 'read',
    tables: ['conversations', 'conversation_mailboxes'],
    why: 'open counts per mailbox in the mailbox list',
  },
  {
    module: 'security',
    use: 'read',
    tables: ['users', 'mailbox_access'],
    why: 'sign-in, sessions and the users list read the account and its grants with security tables',
  },
  {
    module: 'audit',
    use: 'read',
    tables: [
      'users',
      'mailboxes',
      'messages',
      'message_locations',
      'conversations',
      'forwarding_rules',
      'forwarding_deliveries',
      'fraud_assessments',
      'fraud_phone_confirmations',
      'passkeys',
      'totp_factors',
      'security_alerts',
      'conversation_sla',
      'teams',
    ],
    why: 'the audit viewer and the quarterly report read across the workspace by design (decision 0010)',
  },
];

const srcRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KYSELY: Record<string, Use> = {
  selectFrom: 'read',
  innerJoin: 'read',
  leftJoin: 'read',
  rightJoin: 'read',
  fullJoin: 'read',
  crossJoin: 'read',
  insertInto: 'write',
  replaceInto: 'write',
  updateTable: 'write',
  deleteFrom: 'write',
  mergeInto: 'write',
};
const RAW = /\b(delete\s+from|insert\s+into|update|from|join)\s+([a-z_]+)/gi;

type Found = { module: string; file: string; use: Use; table: Table; at: string };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'migrations' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** The module a file belongs to: modules/<name>/…, or the top-level folder (db, jobs), or the root (compose, http…). */
function moduleOf(relative: string): string {
  const parts = relative.split(path.sep);
  if (parts[0] === 'modules') return parts[1] ?? 'root';
  return parts.length > 1 ? (parts[0] ?? 'root') : 'root';
}

function isTable(name: string): name is Table {
  return Object.hasOwn(owners, name);
}

const unnamed: string[] = [];

function tableUses(): Found[] {
  const found: Found[] = [];
  for (const file of sourceFiles(srcRoot)) {
    const relative = path.relative(srcRoot, file);
    const module = moduleOf(relative);
    const inModule = relative.split(path.sep).slice(2).join('/');
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const at = (node: ts.Node) => `${relative}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const add = (use: Use, name: string, node: ts.Node) => {
      const table = name.split(/\s+as\s+/)[0]?.trim() ?? '';
      if (isTable(table)) found.push({ module, file: inModule, use, table, at: at(node) });
    };
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const use = KYSELY[node.expression.name.text];
        const first = node.arguments[0];
        if (use && first) {
          const names = ts.isArrayLiteralExpression(first) ? [...first.elements] : [first];
          for (const n of names) {
            if (ts.isStringLiteralLike(n)) add(use, n.text, n);
            // A write must name its table, or this check cannot see whose it is (a read may be a subquery).
            else if (use === 'write') unnamed.push(`${at(n)}: ${module} writes a table it does not name`);
          }
        }
      }
      // Raw SQL (sql`…`): the words after from / join / into / update.
      if (ts.isTaggedTemplateExpression(node) && node.tag.getText(source) === 'sql') {
        for (const match of node.template.getText(source).matchAll(RAW)) {
          const verb = (match[1] ?? '').toLowerCase();
          add(verb === 'from' || verb === 'join' ? 'read' : 'write', match[2] ?? '', node);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

const isAllowed = (f: Found, a: Allowance) =>
  a.module === f.module && a.tables.includes(f.table) && a.use === f.use && (!a.files || a.files.includes(f.file));

describe('table owners', () => {
  const uses = tableUses();

  it('finds the queries it checks (the scan itself works)', () => {
    expect(uses.filter((u) => u.module === 'conversations' && u.table === 'messages' && u.use === 'write').length).toBeGreaterThan(0);
    expect(uses.filter((u) => u.table === 'message_search').length).toBeGreaterThan(0);
  });

  it('no module queries a table it does not own, except what the allow-list names', () => {
    const strays = uses
      .filter((u) => owners[u.table] !== u.module && !allowed.some((a) => isAllowed(u, a)))
      .map((u) => `${u.at}: ${u.module} ${u.use}s ${u.table} (owner: ${owners[u.table]})`);
    expect([...strays, ...unnamed]).toEqual([]);
  });

  it('every allow-list entry is still needed', () => {
    const unused = allowed.flatMap((a) =>
      a.tables
        .filter((table) => !uses.some((u) => u.module === a.module && u.table === table && owners[table] !== u.module && isAllowed(u, a)))
        .map((table) => `${a.module} ${a.use} ${table}`),
    );
    const idleFiles = allowed.flatMap((a) =>
      (a.files ?? [])
        .filter((file) => !uses.some((u) => u.module === a.module && u.file === file && owners[u.table] !== u.module && isAllowed(u, a)))
        .map((file) => `${a.module}/${file} (${a.use})`),
    );
    expect([...unused, ...idleFiles]).toEqual([]);
  });

  it('the map in docs/ARCHITECTURE.md is this one', () => {
    const doc = readFileSync(path.resolve(srcRoot, '../../docs/ARCHITECTURE.md'), 'utf8');
    const section = doc.split('## Table owners')[1]?.split('\n## ')[0] ?? '';
    const documented: Record<string, string> = {};
    for (const line of section.split('\n')) {
      const row = /^\|\s*`?([a-z_-]+)`?\s*\|\s*(.+?)\s*\|$/.exec(line.trim());
      if (!row?.[1] || row[1] === 'module') continue;
      for (const table of (row[2] ?? '').matchAll(/`([a-z_]+)`/g)) documented[table[1] ?? ''] = row[1];
    }
    expect(documented).toEqual(owners);
  });
});
