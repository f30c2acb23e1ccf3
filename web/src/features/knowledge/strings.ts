import i18next from '../../i18n';
import { faqEn } from '../../i18n/faq.en';
import { faqZhCN } from '../../i18n/faq.zh-CN';

// The `faq` namespace ships with the composer and the timeline (suggestions, "turn into FAQ answer"): registered once, at load.
i18next.addResourceBundle('en', 'faq', faqEn, true, true);
i18next.addResourceBundle('zh-CN', 'faq', faqZhCN, true, true);
