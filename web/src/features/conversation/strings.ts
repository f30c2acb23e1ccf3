import i18next from '../../i18n';
import { readingEn } from '../../i18n/reading.en';
import { readingZhCN } from '../../i18n/reading.zh-CN';

// The reading pane's catalogue (namespace `reading`), registered once when this module loads.
i18next.addResourceBundle('en', 'reading', readingEn, true, true);
i18next.addResourceBundle('zh-CN', 'reading', readingZhCN, true, true);

export const READING_NS = 'reading' as const;
