import type { CampaignLinksCatalogue } from './campaign-links.en';

/** 群发邮件每个链接的点击数（命名空间 `campaignLinks`）。 */
export const campaignLinksZhCN: CampaignLinksCatalogue = {
  show: '链接',
  hide: '收起链接',
  title: '各链接点击数 — {{subject}}',
  intro:
    'HTML 版本中每个被跟踪的链接。独立点击：至少点击过一次的收件人数；总点击：全部点击次数。邮件服务商的链接扫描也可能点击，因此这些数字是上限。',
  url: '链接',
  unique: '独立点击',
  total: '总点击',
  empty: '这封邮件没有被跟踪的链接。',
  loading: '正在加载…',
};
