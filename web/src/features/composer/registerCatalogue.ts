import i18next from '../../i18n';
import { composerEn } from '../../i18n/composer.en';
import { composerZhCN } from '../../i18n/composer.zh-CN';

// The composer brings its own catalogue: registered once, when its chunk loads.
i18next.addResourceBundle('en', 'composer', composerEn, true, true);
i18next.addResourceBundle('zh-CN', 'composer', composerZhCN, true, true);
