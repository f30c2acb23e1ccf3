import { EmailSchema, type Locale, type Role, type User } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import { isUniqueViolation } from '../../db/database.js';
import { newId } from '../../db/ids.js';
import type { Database, UserRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { insertUser } from './user-queries.js';

type Db = Kysely<Database> | Transaction<Database>;

export type NewUserInput = { email: string; name: string; passwordHash: string; role: Role; locale?: Locale | undefined };

/** Inserts a user; the email is normalised and must be unique. Password policy lives in security. */
export async function createUser(db: Db, input: NewUserInput): Promise<UserRow> {
  const email = EmailSchema.safeParse(input.email);
  if (!email.success) throw new AppError('request.invalid', 400, `email ${email.error.issues[0]?.message ?? 'is invalid'}`);
  const now = Date.now();
  const row: UserRow = {
    id: newId(),
    email: email.data,
    name: input.name.trim() || email.data,
    password_hash: input.passwordHash,
    role: input.role,
    locale: input.locale ?? null,
    status: 'active',
    created_at: now,
    updated_at: now,
    last_login_at: null,
  };
  try {
    await insertUser(db, row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('user.email_taken', 409, `a user with email ${email.data} already exists`);
    throw error;
  }
  return row;
}

export function toUserDto(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    locale: row.locale === 'en' || row.locale === 'zh-CN' ? row.locale : null,
  };
}
