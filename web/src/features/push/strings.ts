import i18next from '../../i18n';
import { pushEn } from '../../i18n/push.en';
import { pushZhCN } from '../../i18n/push.zh-CN';

// The `push` namespace ships with the top bar (its menu links to the page): registered once, at load.
i18next.addResourceBundle('en', 'push', pushEn, true, true);
i18next.addResourceBundle('zh-CN', 'push', pushZhCN, true, true);
