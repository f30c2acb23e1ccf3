import type { PushCatalogue } from './push.en';

/** 简体中文：设备通知（Web Push）。结构与 push.en.ts 相同。 */
export const pushZhCN: PushCatalogue = {
  link: '手机通知',
  phone: {
    openNav: '视图与邮箱',
    closeNav: '关闭菜单',
    accountMenu: '账户：{{name}}',
  },
  pageTitle: '设备通知 · Pier',
  title: '设备通知',
  back: '返回收件箱',
  device: {
    title: '此设备',
    intro: '有需要你处理的事情时，Pier 可以通知这台手机或电脑，即使 Pier 没有打开。',
    on: '此设备已开启通知。',
    off: '此设备未开启通知。',
    blocked: '此浏览器已屏蔽 Pier 的通知。请在浏览器的网站设置中允许通知，然后回到这里。',
    unsupported: '此浏览器无法接收 Pier 的通知。iPhone 上请先把 Pier 添加到主屏幕（分享 → 添加到主屏幕）。',
    insecure: '通知需要通过 https 打开 Pier。',
    turnOn: '开启',
    turnOff: '关闭',
    test: '发送测试通知',
    testSent_one: '已发送到 {{count}} 台设备。',
    testSent_other: '已发送到 {{count}} 台设备。',
    testNone: '没有设备收到。请先为此设备开启通知。',
    working: '处理中…',
    failed: '此浏览器无法开启通知（{{reason}}）。',
  },
  kinds: {
    title: '通知哪些事情',
    intro: '只通知需要你处理的事情。通知只说明类型，打开 Pier 后再显示详情。',
    saved: '已保存。',
    assigned: '有会话分配给我',
    mention: '有人 @提到我',
    sla: '有邮件即将超过回复时限（SLA）',
    fraud: '我的会话出现诈骗警告',
    approval: '有外发邮件等待我批准',
  },
  devices: {
    title: '你的设备',
    none: '还没有设备接收通知。',
    added: '添加于 {{date}}',
    lastSent: '上次通知 {{date}}',
    thisDevice: '此设备',
    remove: '移除',
  },
};
