import type { NotificationsCatalogue } from './notifications.en';

export const notificationsZhCN: NotificationsCatalogue = {
  bell: {
    label: '通知',
    labelUnread_one: '通知，{{count}} 条未读',
    labelUnread_other: '通知，{{count}} 条未读',
  },
  panel: {
    title: '通知',
    markAllRead: '全部标为已读',
    empty: '暂无通知。',
    loading: '加载中…',
    failed: '无法加载通知。',
    unread: '未读',
    close: '关闭',
  },
  someone: '有人',
  noSubject: '（无主题）',
  kinds: {
    mention: '{{by}} 在「{{subject}}」的内部备注中提到了你',
    note: '{{by}} 在你关注的「{{subject}}」中添加了备注',
    assigned: '{{by}} 将「{{subject}}」分配给了你',
    reopened: '「{{subject}}」的稍后处理已到期',
    message: '你关注的「{{subject}}」有新邮件',
    security_alert: '{{email}} 的安全提醒：{{what}}',
    approval_requested: '{{by}} 请你审批「{{subject}}」中的一封外发邮件',
    approval_granted: '{{by}} 批准了你的外发邮件',
    approval_rejected: '{{by}} 拒绝了你的外发邮件',
    'forwarding.external_rule': '{{by}} 设置了将 {{mailbox}} 转发到公司外部地址 {{target}}',
    flagged_phone_changed: '{{by}} 修改了 {{address}} 的电话号码',
    'automatic_send.stopped': 'Pier 已暂停 {{mailbox}} 发往 {{target}} 的自动邮件（由 {{address}} 的来信触发）：疑似邮件回环',
    unassigned_too_long: '“{{subject}}”在 {{team}} 已 {{hours}} 个工作小时无人认领',
    unknown: '通知：{{kind}}',
  },
  securityKinds: {
    new_country: '从新的国家登录',
    new_device: '从新的设备登录',
    impossible_travel: '两地登录时间过近，不可能是本人往返',
    failure_burst: '多次登录失败',
    locked_out: '多次登录失败后账户被锁定',
    unknown: '异常登录',
  },
};
