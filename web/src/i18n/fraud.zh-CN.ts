import type { FraudCatalogue } from './fraud.en';

/** 欺诈提示横幅的简体中文目录（命名空间 `fraud`）。类型与英文目录一致：缺少或多出任何键都会编译失败。 */
export const fraudZhCN: FraudCatalogue = {
  banner: {
    highTitle: '警告：这可能是诈骗邮件',
    warnTitle: '请谨慎处理这封邮件',
    intro: 'Pier 发现以下可疑之处：',
    reassuring: '可信之处：',
    fromMessage: '来自 {{from}} 的邮件',
    safeAction: '在按客户资料中的电话号码与客户通话核实之前，请勿付款，也不要发送或更改银行信息。',
    loadFailed: '无法加载欺诈检查结果。',
  },
  phone: {
    title: '电话核实',
    required: '在回复付款信息或关闭此会话之前，请致电客户并记录通话。',
    done: '已记录最新警告之后的核实电话。',
    history: '通话记录',
    entry: '{{caller}} 于 {{time}} 致电 {{contact}}（{{phone}}）:{{outcome}}',
    contact: '拨打的号码（来自客户资料)',
    noNumber: '客户资料中没有电话号码。请从可信来源（合同、以往往来邮件、官网）将号码添加到客户资料中；切勿使用这封邮件里的号码。',
    outcome: '结果',
    outcomes: {
      confirmed: '已确认：邮件确实是客户发的',
      denied: '已否认：客户没有发过这封邮件',
      unreachable: '未能联系上',
    },
    calledAt: '通话时间',
    note: '备注（可选)',
    submit: '记录通话',
    saving: '正在保存…',
    saved: '通话已记录。',
  },
};
