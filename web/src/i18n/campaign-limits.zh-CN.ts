import type { CampaignLimitsCatalogue } from './campaign-limits.en';

/** 设置 → 群发邮件中“各服务商发送上限”的简体中文目录（命名空间 `campaignLimits`）。 */
export const campaignLimitsZhCN: CampaignLimitsCatalogue = {
  title: '各邮件服务商的发送上限',
  intro:
    '群发邮件的发送速度不会超过邮箱服务商的上限（每分钟、每 24 小时）。默认值只是保守的估计，并非服务商公布的数字：请核对您的合同（腾讯企业邮箱、阿里企业邮箱会封停超出上限的账号），并填写真实数值。',
  provider: '服务商',
  perMinute: '每分钟',
  perDay: '每 24 小时',
  source: '来源',
  configured: '管理员已设置',
  defaultToVerify: '默认值，请向服务商核实',
  save: '保存',
  trackClicks: '统计链接点击（可选）',
  trackClicksHint: 'HTML 版本中的链接经由 Pier 的签名跳转地址，统计点击过的收件人数。默认关闭；纯文本版本的链接保持原样。',
  saved: '已保存。',
};
