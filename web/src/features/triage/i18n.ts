import i18next from '../../i18n';
import { triageEn } from '../../i18n/triage.en';
import { triageZhCN } from '../../i18n/triage.zh-CN';

// The triage catalogue is part of the inbox bundle (the sidebar needs it at once): registered on first import.
if (!i18next.hasResourceBundle('en', 'triage')) {
  i18next.addResourceBundle('en', 'triage', triageEn, true, true);
  i18next.addResourceBundle('zh-CN', 'triage', triageZhCN, true, true);
}
