import type { LiveCatalogue } from './live.en';

export const liveZhCN: LiveCatalogue = {
  presence: {
    label: '同时在看',
    viewing: '{{name}} 正在查看',
    replying: '{{name}} 正在回复',
  },
  status: {
    offline: '实时更新已暂停，正在重新连接…',
  },
};
