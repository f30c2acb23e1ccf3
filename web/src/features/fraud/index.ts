export { fraudApi, fraudKeys } from './api';
export { FraudBanner } from './FraudBanner';
