export { ApprovalsPanel } from './ApprovalsPanel';
export { fraudApi, fraudKeys } from './api';
export { ContactPhones, CustomerPhone } from './ContactPhones';
export { FraudBanner, FraudBannerSlot } from './FraudBanner';
export { SecondApproverSetting } from './SecondApproverSetting';
