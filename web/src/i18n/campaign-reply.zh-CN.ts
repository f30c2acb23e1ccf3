import type { CampaignReplyCatalogue } from './campaign-reply.en';

/** 会话视图中“群发回复”标记的简体中文目录（命名空间 `campaignReply`）。 */
export const campaignReplyZhCN: CampaignReplyCatalogue = {
  badge: '群发邮件的回复',
  title: '回复的是群发邮件“{{subject}}”',
};
