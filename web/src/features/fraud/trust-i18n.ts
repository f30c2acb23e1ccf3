import i18next from '../../i18n';
import { trustEn } from '../../i18n/trust.en';
import { trustZhCN } from '../../i18n/trust.zh-CN';

// The trust-mark screens bring their own catalogue: registered once, when this module loads.
i18next.addResourceBundle('en', 'trust', trustEn, true, true);
i18next.addResourceBundle('zh-CN', 'trust', trustZhCN, true, true);
