import i18next from '../../i18n';
import { accountsEn } from '../../i18n/accounts.en';
import { accountsZhCN } from '../../i18n/accounts.zh-CN';

// Registered at start: the second-factor step and the password links come before any lazy chunk.
i18next.addResourceBundle('en', 'accounts', accountsEn, true, true);
i18next.addResourceBundle('zh-CN', 'accounts', accountsZhCN, true, true);
