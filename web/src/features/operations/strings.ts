import i18next from '../../i18n';
import { operationsEn } from '../../i18n/operations.en';
import { operationsZhCN } from '../../i18n/operations.zh-CN';

// The `operations` namespace (due times in the inbox, the settings and reports screens): registered once, when this module loads.
i18next.addResourceBundle('en', 'operations', operationsEn, true, true);
i18next.addResourceBundle('zh-CN', 'operations', operationsZhCN, true, true);
