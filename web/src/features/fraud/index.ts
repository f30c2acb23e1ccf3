export { ApprovalsPanel } from './ApprovalsPanel';
export { fraudApi, fraudKeys } from './api';
export { ContactPhones, CustomerPhone } from './ContactPhones';
export { FraudBanner, FraudBannerSlot } from './FraudBanner';
export { FraudMarkerBadge, FraudMarkerReason, useFraudMarkers } from './FraudMarker';
export { SecondApproverSetting } from './SecondApproverSetting';
