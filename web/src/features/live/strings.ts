import i18next from '../../i18n';
import { liveEn } from '../../i18n/live.en';
import { liveZhCN } from '../../i18n/live.zh-CN';

// The `live` namespace ships with the inbox bundle: registered once, when this module loads.
i18next.addResourceBundle('en', 'live', liveEn, true, true);
i18next.addResourceBundle('zh-CN', 'live', liveZhCN, true, true);
