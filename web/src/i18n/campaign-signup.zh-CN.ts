import type { CampaignSignupCatalogue } from './campaign-signup.en';

/** 营销活动设置中名单的公开订阅表单（命名空间 `campaignSignup`，决策 0071）。 */
export const campaignSignupZhCN: CampaignSignupCatalogue = {
  title: '公开订阅表单',
  intro:
    '为您的网站提供一个订阅页面和表单，访客可以自行订阅此名单。每次订阅都需通过邮件确认（双重确认），并记录日期和 IP 地址；在屏蔽名单中的地址不会收到任何邮件。',
  enabled: '接受公开表单的订阅',
  mailbox: '确认邮件发件邮箱',
  pageTitle: '页面标题',
  pageTitleHint: '留空：按访客的语言显示“订阅 {{sender}} 的邮件”。',
  pageIntro: '简介',
  pageIntroHint: '留空：按访客的语言显示一段默认简介。纯文本，最多 1000 个字符。',
  save: '保存',
  saved: '已保存。',
  url: '公开页面',
  open: '打开',
  snippet: '粘贴到网站的表单代码',
  snippetHint:
    '纯 HTML，不含脚本：粘贴到网页中需要显示表单的位置。表单提交到 Pier，并在新标签页中打开结果。在页面地址后加 ?lang=zh-CN 或 ?lang=en 可固定页面语言。',
  snippetLanguage: '表单语言',
  noPublicUrl: 'Pier 还没有设置公开地址，因此无法生成链接：请超级管理员在 设置 → 用户 中设置（或使用 PIER_PUBLIC_URL）。',
  off: '表单已关闭：其页面和已粘贴的表单都会显示“无法订阅”。',
  consentSignup: '订阅表单',
};
