// User shapes: what the API shows of a user, what it accepts to create or change one, and who is acting.
import { z } from '@hono/zod-openapi';
import { Cursor, Id, Limit } from './common';
import { Username } from './reader';

// An author's page checks its address with Username, which lives in ./reader.ts for that reason.
export { Username } from './reader';
import { isCommonPassword } from '../auth/common-passwords';

export const Role = z.enum(['admin', 'editor', 'author', 'reader']);
export type Role = z.infer<typeof Role>;

export const AuthorSummary = z
  .object({ id: z.number().int(), username: z.string(), displayName: z.string() })
  .openapi('AuthorSummary');
export type AuthorSummary = z.infer<typeof AuthorSummary>;

export const PublicProfile = z
  .object({
    id: z.number().int(),
    username: z.string(),
    displayName: z.string(),
    bio: z.string(),
    avatarUrl: z.string().nullable(),
    role: Role,
    createdAt: z.string(),
  })
  .openapi('PublicProfile');
export type PublicProfile = z.infer<typeof PublicProfile>;

/** What admins (and the user themself) see; also what the cache holds. Never the password hash. */
export const UserProfile = PublicProfile.extend({
  email: z.string(),
  emailVerifiedAt: z
    .string()
    .nullable()
    .openapi({ description: 'When the address was confirmed through a mailed link; null until then.' }),
  notifyComments: z.boolean().openapi({ description: 'Mail me about new comments on my posts.' }),
  notifyReplies: z.boolean().openapi({ description: 'Mail me about replies to my comments.' }),
  disabled: z.boolean(),
  updatedAt: z.string(),
  pendingEmail: z
    .string()
    .optional()
    .openapi({
      description:
        'Only in the answer to a change of your own address: the new address, which takes effect once the link ' +
        'mailed to it is opened (the old one gets a notice).',
    }),
}).openapi('UserProfile');
export type UserProfile = z.infer<typeof UserProfile>;

/** The authenticated caller, as derived from a verified access token and a live user row. */
export interface AuthUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  /** Whether the address is confirmed; absent where nobody asked (then treated as confirmed). */
  emailVerified?: boolean;
}

/**
 * A password someone chooses: 10 to 128 characters, so passphrases fit (PBKDF2 condenses a long input with one
 * hash first, so length costs no CPU). A short built-in list of the most common passwords is refused.
 */
export const NewPassword = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(128, 'must be at most 128 characters')
  .refine((password) => !isCommonPassword(password), 'is one of the most common passwords; choose another')
  .openapi({ example: 'correct horse battery staple', format: 'password' });

// Field rules mirror the users table's CHECK constraints, so the database never has to reject a valid request.
export const Email = z.email().max(254).openapi({ example: 'ada@example.com' });
export const DisplayName = z.string().trim().min(1).max(80).openapi({ example: 'Ada Lovelace' });
export const Bio = z.string().max(2000);
// Only http(s): the URL ends up in an <img src>, where javascript: or data: would be an injection vector.
export const AvatarUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .max(2000)
  .openapi({ example: 'https://example.com/ada.png' });

/** POST /api/auth/register: anyone may sign up, always as a reader. Unknown keys (a `role`) are dropped. */
export const RegisterBody = z
  .object({ email: Email, username: Username, displayName: DisplayName.optional(), password: NewPassword })
  .openapi('RegisterBody');
export type RegisterBody = z.infer<typeof RegisterBody>;

/** What POST /api/auth/register answers: the new account, and whether the address-check mail went out. */
export const RegisterResponse = UserProfile.extend({
  verificationEmail: z.enum(['sent', 'failed']).openapi({
    description:
      'The mail with the link that confirms the address: `failed` when it could not be sent (the account exists ' +
      'all the same; ask again with POST /api/auth/verify-email).',
  }),
}).openapi('RegisterResponse');
export type RegisterResponse = z.infer<typeof RegisterResponse>;

/** POST /api/users: an admin creates an account with any role. */
export const CreateUserBody = RegisterBody.extend({
  role: Role.default('reader'),
  bio: Bio.optional(),
}).openapi('CreateUserBody');
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z
  .object({
    email: Email,
    username: Username,
    displayName: DisplayName,
    bio: Bio,
    avatarUrl: AvatarUrl.nullable(),
    password: NewPassword,
    currentPassword: z.string().max(128).openapi({ description: 'Required when changing your own password.' }),
    role: Role.openapi({ description: 'Admins only.' }),
    disabled: z.boolean().openapi({ description: 'Admins only. Disabling also signs the user out everywhere.' }),
    notifyComments: z.boolean().openapi({ description: 'Mail about new comments on your posts.' }),
    notifyReplies: z.boolean().openapi({ description: 'Mail about replies to your comments.' }),
  })
  .partial()
  .refine((body) => Object.keys(body).some((k) => k !== 'currentPassword'), {
    message: 'send at least one field to change',
  })
  .openapi('UpdateUserBody');
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const ListUsersQuery = z.object({
  cursor: Cursor.optional(),
  limit: Limit,
  role: Role.optional(),
});
export type ListUsersQuery = z.infer<typeof ListUsersQuery>;

export const UserPage = z
  .object({ items: z.array(UserProfile), nextCursor: z.string().nullable() })
  .openapi('UserPage');
export type UserPage = z.infer<typeof UserPage>;

export const DeleteUserQuery = z.object({
  reassignTo: Id.optional().openapi({ description: 'Give the user’s posts to this user, then delete.' }),
});
