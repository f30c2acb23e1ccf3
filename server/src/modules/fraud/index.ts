export { assessMail, HIGH_THRESHOLD, levelFor, WARN_THRESHOLD } from './assess.js';
export { assessPendingMessages, assessStoredMessage, fraudAssessSubscriber } from './assess-stored.js';
export { checkMailFile, fraudMailFromRaw } from './check-files.js';
export { loadFraudHistory } from './history.js';
export { containsPaymentDetails, isBillOfLadingName, needsSecondApprover } from './payment-details.js';
export { phoneConfirmationRequired, phoneConfirmationStatus } from './phone-confirmation.js';
export { conversationFraud, fraudRoutes } from './routes.js';
export type { Assessment, FraudHistory, FraudLevel, FraudMail, FraudSignal } from './types.js';
