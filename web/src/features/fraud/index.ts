export { fraudApi, fraudKeys } from './api';
export { FraudBanner, FraudBannerSlot } from './FraudBanner';
