export { countUsers, findUserByEmail, findUserById, listActiveAdmins, recordLogin, setUserLocale } from './user-queries.js';
export { createUser, type NewUserInput, toUserDto } from './users.js';
