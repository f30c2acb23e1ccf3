import type { CampaignSegmentsCatalogue } from './campaign-segments.en';

/** 设置 → 群发邮件中“客户分组”的简体中文目录（命名空间 `campaignSegments`）。 */
export const campaignSegmentsZhCN: CampaignSegmentsCatalogue = {
  title: '新建客户分组',
  intro:
    '分组在每次排队发送群发邮件时从客户中重新读取，因此始终是最新的。在群发邮件的“名单”中按名称选择它（命令行：--list 名称）。已屏蔽的地址永远不会收到邮件。',
  name: '名称',
  tags: '标签（任一即可，用逗号分隔）',
  countries: '国家（ISO 代码，用逗号分隔）',
  domains: '公司域名（用逗号分隔）',
  owner: '负责人',
  anyOwner: '任何负责人',
  pool: '公海（无负责人）',
  language: '最近一封来信的语言',
  anyLanguage: '任何语言',
  contactedWithin: '最近几天内有往来（天）',
  quietFor: '已有多少天无往来（天）',
  counting: '正在统计…',
  count: '符合 {{matching}} 人 · 已屏蔽 {{suppressed}} 人 · 将发送给 {{recipients}} 人',
  sampleTitle: '前几位收件人',
  address: '地址',
  contactName: '姓名',
  company: '公司',
  country: '国家',
  noMatch: '没有符合条件的客户。',
  save: '保存分组',
  saved: '分组“{{name}}”已保存。',
  suppressed: '已屏蔽',
  recipients: '将收到',
};
