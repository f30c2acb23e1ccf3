import i18next from '../../i18n';
import { autoReplyEn } from '../../i18n/auto-reply.en';
import { autoReplyZhCN } from '../../i18n/auto-reply.zh-CN';

// Registered when the auto-reply settings load (the admin chunk), not at start.
i18next.addResourceBundle('en', 'autoReply', autoReplyEn, true, true);
i18next.addResourceBundle('zh-CN', 'autoReply', autoReplyZhCN, true, true);
