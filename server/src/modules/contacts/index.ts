export { companyDomainFor } from './company-domain.js';
export { setContactPhoneNumber } from './contact-queries.js';
export { countryFromDomain } from './country-from-domain.js';
export { type Participant, recordParticipants } from './participants.js';
export { recordParticipantsBatch } from './participants-batch.js';
export { type ContactSegment, contactsInSegment, type SegmentContact } from './segment.js';
