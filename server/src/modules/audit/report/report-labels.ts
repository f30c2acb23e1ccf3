/**
 * The report's codes in both languages, for the exports (CSV, PDF, the mail): a file has no
 * language switch, so each code is written "中文 / English". The page in the app translates the
 * same codes through the web catalogue (web/src/i18n/audit.*.ts, `report.codes`).
 */
type Both = readonly [zh: string, en: string];
const both = ([zh, en]: Both) => `${zh} / ${en}`;

const ACTIONS: Record<string, Both> = {
  'user.created': ['创建用户', 'User created'],
  'user.role_changed': ['更改角色', 'Role changed'],
  'user.deactivated': ['停用用户', 'User deactivated'],
  'user.reactivated': ['重新启用用户', 'User reactivated'],
  'user.removed': ['删除用户', 'User removed'],
  'mailbox_access.granted': ['授予邮箱权限', 'Mailbox access granted'],
  'mailbox_access.revoked': ['撤销邮箱权限', 'Mailbox access removed'],
  'mailbox.routing_changed': ['更改邮箱分配团队', 'Mailbox routing changed'],
  'team.created': ['创建团队', 'Team created'],
  'team.renamed': ['团队改名', 'Team renamed'],
  'team.member_added': ['加入团队', 'Added to a team'],
  'team.member_removed': ['移出团队', 'Removed from a team'],
  'team.deleted': ['删除团队', 'Team deleted'],
  'team.lead_changed': ['更换团队负责人', 'Team lead changed'],
  'team.settings_changed': ['更改团队分配规则', 'Team routing settings changed'],
  'team.member_away': ['成员设为外出', 'Member marked away'],
  'team.member_back': ['成员回来', 'Member back'],
};
const ROLES: Record<string, Both> = {
  super_admin: ['超级管理员', 'Super admin'],
  admin: ['管理员', 'Admin'],
  agent: ['客服', 'Agent'],
  auditor: ['审计员', 'Auditor'],
};
const ACCESS: Record<string, Both> = { read: ['只读', 'read'], reply: ['可回复', 'reply'], manage: ['可管理', 'manage'] };
const ALERTS: Record<string, Both> = {
  new_country: ['新国家登录', 'Sign-in from a new country'],
  new_device: ['新设备登录', 'Sign-in from a new device'],
  impossible_travel: ['不可能的行程', 'Impossible travel'],
  failure_burst: ['短时间内多次登录失败', 'Burst of failed sign-ins'],
  locked_out: ['多次失败后锁定', 'Locked after repeated failures'],
};
const LEVELS: Record<string, Both> = { warn: ['注意', 'warning'], high: ['高风险', 'high risk'], none: ['无', 'none'] };
const OUTCOMES: Record<string, Both> = {
  confirmed: ['客户确认', 'confirmed'],
  denied: ['客户否认', 'denied'],
  unreachable: ['未联系上', 'not reached'],
};
const SIGNALS: Record<string, Both> = {
  lookalike_domain: ['仿冒域名', 'look-alike domain'],
  homoglyph_domain: ['形近字符域名', 'homoglyph domain'],
  punycode_domain: ['国际化 (punycode) 域名', 'punycode domain'],
  tld_swap_domain: ['更换后缀的域名', 'TLD swap'],
  brand_in_subdomain: ['品牌名放在子域名中', 'brand in a subdomain'],
  display_name_mismatch: ['显示名与地址不符', 'display name of a known contact'],
  display_name_address_mismatch: ['显示名中含其他地址', 'address in the display name'],
  reply_to_mismatch: ['回复地址不同', 'Reply-To differs'],
  spf_fail: ['SPF 失败', 'SPF fail'],
  spf_softfail: ['SPF 软失败', 'SPF softfail'],
  dkim_fail: ['DKIM 失败', 'DKIM fail'],
  dmarc_fail: ['DMARC 失败', 'DMARC fail'],
  thread_hijack: ['会话劫持', 'thread hijack'],
  reply_without_thread: ['无来源的回复', 'reply without a thread'],
  payment_change: ['变更收款账户', 'payment change'],
  new_bank_details: ['新的银行账户', 'new bank details'],
  bank_details_first_seen: ['首次出现的银行账户', 'bank details first seen'],
  known_bank_details: ['已知银行账户', 'known bank details'],
  urgency_language: ['催促用语', 'urgency'],
  secrecy_language: ['保密用语', 'secrecy'],
  html_attachment: ['HTML 附件', 'HTML attachment'],
  executable_attachment: ['可执行附件', 'executable attachment'],
  macro_document: ['含宏文档', 'macro document'],
  disk_image: ['磁盘映像', 'disk image'],
  archive_with_risky_file: ['压缩包内含危险文件', 'archive with a risky file'],
  encrypted_archive: ['加密压缩包', 'encrypted archive'],
  money_lure: ['陌生人的金钱诱饵', 'money lure from a stranger'],
  unknown_sender_payment: ['未知发件人要求变更付款', 'payment change from a sender not yet known'],
  large_sum_offer: ['许诺巨额款项', 'large sum offered'],
  callback_number: ['回拨诈骗电话', 'call-back number'],
  brand_impersonation: ['冒充品牌', 'brand impersonation'],
  authority_impersonation: ['冒充机构', 'authority impersonation'],
  mixed_script_text: ['混用字母表', 'mixed scripts'],
  invisible_characters: ['不可见字符', 'invisible characters'],
  from_without_address: ['发件人无地址', 'From without an address'],
  reply_to_other_mailbox: ['回复到另一个免费邮箱', 'Reply-To another free mailbox'],
  reply_to_lookalike: ['回复到仿冒域名', 'Reply-To a look-alike domain'],
  fake_reply_payment: ['伪造回复并涉及钱款', 'fake reply about money'],
  lookalike_asks_money: ['相似域名索要钱款', 'look-alike asking for money'],
  lookalike_signed_list: ['已签名的相似域名列表邮件', 'signed list mail from a look-alike'],
};

const label = (table: Record<string, Both>, code: string) => {
  const found = table[code];
  return found ? both(found) : code;
};

export const actionLabel = (code: string) => label(ACTIONS, code);
export const roleLabel = (code: string) => label(ROLES, code);
export const alertLabel = (code: string) => label(ALERTS, code);
export const levelLabel = (code: string) => label(LEVELS, code);
export const outcomeLabel = (code: string) => label(OUTCOMES, code);
export const signalLabel = (code: string) => label(SIGNALS, code);
export const accessLabel = (code: string) => label(ACCESS, code);
/** Every code the labels know, for tests that prove no code is left raw. */
export const labelledCodes = {
  actions: Object.keys(ACTIONS),
  alerts: Object.keys(ALERTS),
  signals: Object.keys(SIGNALS),
  outcomes: Object.keys(OUTCOMES),
};

/** What an access change did, in both languages, from its audit details. */
export function accessChangeDetail(action: string, d: Record<string, unknown>): string {
  const str = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '—' : JSON.stringify(v));
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String).join(' ') : '');
  switch (action) {
    case 'mailbox_access.granted':
      return `${d.previous ? accessLabel(str(d.previous)) : '—'} → ${accessLabel(str(d.access))}`;
    case 'mailbox_access.revoked':
      return `${accessLabel(str(d.previous))} → —`;
    case 'team.lead_changed':
      return `${str(d.team)}: ${str(d.before)} → ${str(d.after)}`;
    case 'team.member_away':
    case 'team.member_back':
      return `${str(d.team)}: ${str(d.member)}`;
    case 'user.role_changed':
      return `${roleLabel(str(d.previous))} → ${roleLabel(str(d.role))}`;
    case 'user.created':
      return roleLabel(str(d.role));
    case 'user.deactivated': {
      const n = (v: unknown) => (typeof v === 'number' ? v : 0);
      const to = d.to as { user?: unknown; team?: unknown } | undefined;
      const unassigned = n(d.unassigned);
      if (to?.user) {
        return `${n(d.reassigned)} 个未结会话转给 ${str(to.user)}，${unassigned} 个未分配 / ${n(d.reassigned)} open conversation(s) to ${str(to.user)}, ${unassigned} unassigned`;
      }
      if (to?.team) {
        return `${n(d.reassigned)} 个未结会话转给团队 ${str(to.team)} / ${n(d.reassigned)} open conversation(s) to team ${str(to.team)}`;
      }
      return `${unassigned} 个未结会话回到所属团队或未分配 / ${unassigned} open conversation(s) back to their team or unassigned`;
    }
    case 'team.created':
      return `${str(d.name)}: ${list(d.members) || '—'}`;
    case 'team.renamed':
      return `${str(d.before)} → ${str(d.after)}`;
    case 'team.member_added':
    case 'team.member_removed':
      return `${str(d.team)}: ${str(d.member)}`;
    case 'team.deleted':
      return `${str(d.name)}: ${list(d.members) || '—'} · 会话 / conversations ${str(d.conversations)}`;
    default: {
      const { via: _via, ...rest } = d;
      return Object.keys(rest).length ? JSON.stringify(rest) : '';
    }
  }
}
