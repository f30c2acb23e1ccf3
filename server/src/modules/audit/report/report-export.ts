import { existsSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../audit-csv.js';
import type { QuarterlyReport, StoredReport, Unavailable } from './quarterly-report.js';
import { accessChangeDetail, actionLabel, alertLabel, levelLabel, outcomeLabel, roleLabel, signalLabel } from './report-labels.js';

/** Section titles in both languages: exports are read by people of either, and a file has no language switch. */
export const SECTION_TITLES: Record<Exclude<keyof QuarterlyReport, 'version' | 'periodStart' | 'periodEnd' | 'generatedAt'>, string> = {
  mailboxesWithoutMail: '90 天无新邮件的邮箱 / Mailboxes without mail in 90 days',
  usersNotLoggedIn: '90 天未登录的用户 / Users not signed in for 90 days',
  usersWithout2fa: '未启用双重验证的用户 / Users without 2FA',
  accessChanges: '成员与权限变更 / Membership and permission changes',
  externalForwarding: '转发到公司外部的规则 / External forwarding rules',
  pierForwardingRules: 'Pier 中的转发规则 / Forwarding rules in Pier',
  failedLogins: '登录失败 / Failed sign-ins',
  unusualLogins: '异常登录 / Unusual sign-ins',
  fraudFlags: '欺诈标记与电话确认 / Fraud flags and confirmations',
  slaCompliance: 'SLA 达成情况 / SLA compliance',
  manualForwardingChecks: '无 ManageSieve 的邮箱：人工检查转发 / Forwarding checked by hand (no ManageSieve)',
};
type SectionKey = keyof typeof SECTION_TITLES;

const day = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString().slice(0, 10));

/** Each section as plain rows of text, shared by CSV and PDF. */
export function reportRows(report: QuarterlyReport): { key: SectionKey; title: string; rows: string[][]; note: string | null }[] {
  const section = (key: SectionKey, toRows: () => string[][]) => {
    const value = report[key] as { available: true } | Unavailable;
    return value.available
      ? { key, title: SECTION_TITLES[key], rows: toRows(), note: null }
      : { key, title: SECTION_TITLES[key], rows: [], note: value.reason };
  };
  const items = <K extends SectionKey>(key: K) => {
    const value = report[key] as { available: boolean; items?: unknown[] };
    return (value.available ? (value.items ?? []) : []) as Extract<QuarterlyReport[K], { available: true }>['items'];
  };
  return [
    section('mailboxesWithoutMail', () => items('mailboxesWithoutMail').map((m) => [m.address, `last mail ${day(m.lastMailAt)}`])),
    section('usersNotLoggedIn', () =>
      items('usersNotLoggedIn').map((u) => [u.email, roleLabel(u.role), `上次登录 / last sign-in ${day(u.lastLoginAt)}`]),
    ),
    section('usersWithout2fa', () => items('usersWithout2fa').map((u) => [u.email, roleLabel(u.role)])),
    section('accessChanges', () =>
      items('accessChanges').map((c) => [
        day(c.at),
        actionLabel(c.action),
        [c.target ?? c.targetId ?? '', c.mailbox ?? ''].filter(Boolean).join(' · '),
        accessChangeDetail(c.action, c.details),
        `${c.actor ?? c.actorId ?? 'Pier (系统 / system)'}`,
      ]),
    ),
    section('externalForwarding', () =>
      items('externalForwarding').map((f) => [
        f.mailbox,
        f.target,
        `${f.source}: ${f.script}`,
        f.active ? '生效 / active' : '未生效 / inactive',
        `始于 / since ${day(f.firstSeenAt)}`,
      ]),
    ),
    section('pierForwardingRules', () =>
      items('pierForwardingRules').map((r) => [
        r.mailbox,
        r.target,
        `${r.name}: ${r.senderDomain ? `from ${r.senderDomain}` : '所有来信 / all incoming mail'}`,
        `${r.external ? '公司外部 / EXTERNAL' : '公司内部 / internal'}${r.enabled ? '' : ' (已关闭 / disabled)'}`,
        `by ${r.createdBy ?? '—'} ${day(r.createdAt)}`,
      ]),
    ),
    ...(report.manualForwardingChecks
      ? [
          section('manualForwardingChecks', () =>
            (report.manualForwardingChecks?.available ? report.manualForwardingChecks.items : []).map((c) => [
              c.mailbox,
              c.checkedAt === null
                ? '未检查 / not checked'
                : `${day(c.checkedAt)} by ${c.checkedBy ?? '—'}: ${c.forwardingFound ? '发现转发 / FORWARDING FOUND' : '无转发 / no forwarding'}`,
              c.note,
            ]),
          ),
        ]
      : []),
    section('failedLogins', () => items('failedLogins').map((f) => [f.email, String(f.count), f.ips.join(' ')])),
    section('unusualLogins', () => items('unusualLogins').map((a) => [a.email, alertLabel(a.kind), day(a.at), JSON.stringify(a.detail)])),
    section('fraudFlags', () =>
      items('fraudFlags').map((f) => [
        f.subject,
        `${levelLabel(f.level)} (${f.score}) from ${f.from ?? '—'} ${day(f.at)}`,
        f.signals.map(signalLabel).join('; '),
        f.confirmations.length === 0
          ? '未电话核实 / no phone confirmation'
          : f.confirmations.map((c) => `${outcomeLabel(c.outcome)} by ${c.calledBy} ${day(c.at)}`).join('; '),
      ]),
    ),
    section('slaCompliance', () =>
      items('slaCompliance').map((f) => [
        `${f.scope === 'team' ? '团队 / team' : '邮箱 / mailbox'} ${f.name}`,
        f.compliance === null ? '—' : `${Math.round(f.compliance * 1000) / 10} %`,
        `${f.met} / ${f.conversations} 按时 / on time`,
        `中位 / median ${f.medianHours ?? '—'} h · P90 ${f.p90Hours ?? '—'} h`,
      ]),
    ),
  ];
}

/** The report as plain text (the mail to admins): every section with its rows, or why it is not available. */
export function reportText(stored: StoredReport): string {
  const { report } = stored;
  const lines = [
    'Pier 审计报告 / Audit report',
    `${day(report.periodStart)} – ${day(report.periodEnd - 1)} · generated ${new Date(report.generatedAt).toISOString()}`,
    'CSV and PDF: Audit log → Reports in Pier. / CSV 与 PDF 请在 Pier 的“审计日志 → 报告”中导出。',
  ];
  for (const s of reportRows(report)) {
    lines.push('', `== ${s.title} (${s.note ? 'n/a' : s.rows.length})`);
    if (s.note) lines.push(`暂不可用 / Not available: ${s.note}`);
    else if (s.rows.length === 0) lines.push('无 / None.');
    for (const r of s.rows) lines.push(`- ${r.join(' · ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function reportCsv(stored: StoredReport): string {
  const { report } = stored;
  const rows: string[][] = [['section', 'item', 'detail_1', 'detail_2', 'detail_3', 'detail_4', 'detail_5']];
  rows.push(['period', day(report.periodStart), day(report.periodEnd - 1), `generated ${new Date(report.generatedAt).toISOString()}`]);
  for (const s of reportRows(report)) {
    if (s.note) rows.push([s.title, `not available: ${s.note}`]);
    else if (s.rows.length === 0) rows.push([s.title, 'none']);
    for (const r of s.rows) rows.push([s.title, ...r]);
  }
  return `\ufeff${stringify(
    rows.map((r) => r.map(neutraliseFormula)),
    { record_delimiter: 'windows' },
  )}`;
}

/**
 * A font that has Chinese glyphs: PDF's built-in fonts have none. Debian ships
 * WenQuanYi Zen Hei (fonts-wqy-zenhei) and Noto CJK (fonts-noto-cjk); without
 * one, the PDF falls back to Helvetica and says that Chinese text cannot show.
 */
const CJK_FONTS: { path: string; family?: string }[] = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
];

export function findCjkFont(candidates = CJK_FONTS): { path: string; family?: string } | null {
  return candidates.find((f) => existsSync(f.path)) ?? null;
}

export async function reportPdf(stored: StoredReport, fonts = CJK_FONTS): Promise<{ pdf: Buffer; cjkFont: string | null }> {
  const { report } = stored;
  // Loaded on the first report (~19 MB resident): most processes never make one (decision 0026).
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: 'Pier audit report', Creator: 'Pier' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  const font = findCjkFont(fonts);
  if (font) doc.registerFont('body', font.path, font.family);
  const body = font ? 'body' : 'Helvetica';
  doc.font(body);
  doc.fontSize(18).text('Pier 审计报告 / Audit report');
  doc
    .fontSize(10)
    .fillColor('#555')
    .text(`${day(report.periodStart)} – ${day(report.periodEnd - 1)} · generated ${new Date(report.generatedAt).toISOString()}`);
  if (!font)
    doc
      .fillColor('#a00')
      .text('No CJK font installed (fonts-wqy-zenhei): Chinese text cannot be shown in this PDF. Use the CSV or the page.');
  doc.moveDown();
  for (const s of reportRows(report)) {
    doc.fillColor('#000').fontSize(13).text(s.title);
    doc.fontSize(9).fillColor('#333');
    if (s.note) doc.fillColor('#8a5a00').text(`暂不可用 / Not available: ${s.note}`);
    else if (s.rows.length === 0) doc.text('无 / None.');
    for (const r of s.rows) doc.text(`• ${r.join('  ·  ')}`);
    doc.moveDown(0.8);
  }
  doc.end();
  await done;
  return { pdf: Buffer.concat(chunks), cjkFont: font?.path ?? null };
}
