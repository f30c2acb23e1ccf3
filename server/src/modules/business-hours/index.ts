export {
  type CalendarDayKind,
  calendarDayKind,
  type HolidayCalendarRef,
  isKnownHolidayCalendar,
  officialCalendarCoverage,
} from './holiday-calendar.js';
export { addWorkingTime, isWithinBusinessHours, nextBusinessOpening, workingMillisBetween } from './working-time.js';
