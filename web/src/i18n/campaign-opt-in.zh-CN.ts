import type { CampaignOptInCatalogue } from './campaign-opt-in.en';

/** 营销活动设置中的“双重确认订阅”（命名空间 `campaignOptIn`，决策 0059）。 */
export const campaignOptInZhCN: CampaignOptInCatalogue = {
  title: '双重确认订阅',
  intro:
    '开启双重确认后，每个新加入名单的地址会收到一封确认邮件，在点击链接确认之前不会收到任何营销邮件。点击的时间、IP 地址和浏览器信息会作为同意凭证保存。',
  list: '名单',
  noStaticList: '还没有导入的名单：双重确认只适用于导入的名单（细分名单从客户中读取）。',
  enabled: '要求新成员确认订阅（双重确认）',
  mailbox: '确认邮件发件邮箱',
  save: '保存',
  saved: '已保存。',
  existingNote: '名单中已有的成员保持原状态；只有今后加入的地址需要确认。',
  counts: '{{confirmed}} 已确认 · {{pending}} 待确认 · {{none}} 未要求确认',
  resendAll: '向所有待确认地址重发',
  resendAllDone: '已排队 {{queued}} 封确认邮件；{{skipped}} 个暂不发送（一小时内已发送、已发满五封或在屏蔽名单中）。',
  resend: '重发',
  resendHint: '每个地址每小时最多一封、总共最多五封；屏蔽名单中的地址不会收到。',
  address: '地址',
  state: '状态',
  mails: '邮件数',
  lastMail: '最近发送',
  confirmedAt: '确认时间',
  evidence: '同意凭证',
  consent: '同意来源',
  empty: '该名单没有成员。',
  states: { none: '未要求确认', pending: '待确认', expired: '链接已过期', confirmed: '已确认' },
  mailStates: {
    queued: '邮件排队中',
    sending: '发送中',
    sent: '邮件已发送',
    failed: '邮件发送失败',
    uncertain: '发送结果不确定',
    suppressed: '已屏蔽：未发邮件',
  },
  importOptIn: '双重确认：新地址需通过以下邮箱发出的邮件确认',
  importOptInOff: '不需要（已有同意记录即可）',
};
