export {
  businessHoursOfMailbox,
  DEFAULT_TIME_ZONE,
  defaultBusinessHours,
  type Priority,
  type SlaPolicyMinutes,
  saveBusinessHours,
  saveSlaPolicies,
  slaPolicyOfMailbox,
  storedBusinessHours,
} from './settings.js';
