import type { FraudMarkerCatalogue } from './fraud-marker.en';

/** 会话列表欺诈标记与“不是诈骗”表单的简体中文目录（命名空间 `fraudMarker`）。类型与英文目录一致。 */
export const fraudMarkerZhCN: FraudMarkerCatalogue = {
  level: {
    high: '诈骗风险',
    warn: '注意',
  },
  label: '{{level}}：{{reason}}',
  clear: {
    open: '不是诈骗…',
    title: '将这封邮件标记为“不是诈骗”',
    hint: '请说明依据（例如：已按客户资料中的电话号码与客户通话核实）。此操作会记入审计日志，之后 Pier 会信任该发件方。',
    reason: '为什么不是诈骗？',
    submit: '标记为不是诈骗',
    cancel: '取消',
    saving: '正在保存…',
    cleared: '已标记为不是诈骗：{{reason}}',
  },
};
