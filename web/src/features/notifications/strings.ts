import i18next from '../../i18n';
import { notificationsEn } from '../../i18n/notifications.en';
import { notificationsZhCN } from '../../i18n/notifications.zh-CN';

// The `notifications` namespace ships with the top bar: registered once, when this module loads.
i18next.addResourceBundle('en', 'notifications', notificationsEn, true, true);
i18next.addResourceBundle('zh-CN', 'notifications', notificationsZhCN, true, true);
