import i18next from '../../i18n';
import { customersEn } from '../../i18n/customers.en';
import { customersZhCN } from '../../i18n/customers.zh-CN';

// The `customers` namespace: registered once, when the customers page (or its link) loads.
i18next.addResourceBundle('en', 'customers', customersEn, true, true);
i18next.addResourceBundle('zh-CN', 'customers', customersZhCN, true, true);
