export {
  countUsers,
  findUserByEmail,
  findUserById,
  listActiveAdmins,
  listActiveColleagues,
  recordLogin,
  setUserLocale,
  setUserPassword,
  setUserRole,
  setUserStatus,
  userDisplayNames,
} from './user-queries.js';
export { createUser, type NewUserInput, toUserDto } from './users.js';
