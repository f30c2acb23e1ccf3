import type { CampaignMembersCatalogue } from './campaign-members.en';

/** 名单成员（服务器分页、搜索、按状态统计）、手动添加联系人、取消群发（命名空间 `campaignMembers`，决策 0068）。 */
export const campaignMembersZhCN: CampaignMembersCatalogue = {
  sectionTitle: '名单成员与双重确认',
  search: '按地址、姓名或公司搜索',
  allStatuses: '全部（{{count}}）',
  statuses: {
    subscribed: '已订阅',
    pending: '待确认订阅',
    unsubscribed: '已退订',
    suppressed: '已屏蔽',
  },
  statusCount: '{{label}}（{{count}}）',
  statusFilter: '订阅状态',
  none: '没有符合条件的成员。',
  name: '姓名',
  company: '公司',
  suppressedWhy: '{{reason}}，自 {{since}} 起',
  add: {
    title: '添加联系人',
    address: '邮箱地址',
    name: '姓名（可选）',
    company: '公司（可选）',
    country: '国家代码（可选，如 DE）',
    language: '确认邮件语言',
    languageAuto: '按国家',
    consentSource: '同意来源（必填）',
    consentSourceHint: '此人在何处、以何种方式同意接收，例如“2026 广交会表格，展位 12.1”。',
    consentDate: '同意日期（必填）',
    submit: '加入名单',
    added: '已添加 {{address}}：已订阅。',
    addedPending: '已添加 {{address}}：确认邮件正在发送；点击确认之前不会收到任何群发邮件。',
    suppressed: '{{address}} 在屏蔽名单中（{{reason}}，自 {{since}} 起）。任何群发邮件都不能发给它，因此未添加。',
  },
  cancel: {
    button: '取消',
    confirm: '取消“{{subject}}”？尚未发送的 {{pending}} 位收件人将不会收到；已发送的 {{sent}} 封仍计入统计。此操作无法撤销。',
    scheduled: '定于 {{when}} 发送',
    cancelledNote: '{{count}} 封未发送（已取消）',
  },
  pending: '待发送',
  pendingHint: '已排队但尚未发送（等待发送时间或服务商限额）。',
};
