// Shapes of the sign-in flow: credentials in, tokens out.
import { z } from '@hono/zod-openapi';
import { Email, NewPassword, UserProfile } from './user';

export const LoginBody = z
  .object({
    email: Email,
    // Not held to the sign-up rules: an old password that predates them must still be able to sign in.
    password: z.string().min(1).max(128).openapi({ format: 'password' }),
  })
  .openapi('LoginBody');
export type LoginBody = z.infer<typeof LoginBody>;

const RefreshToken = z
  .string()
  .min(1)
  .max(200)
  .openapi({ description: 'The opaque refresh token from sign-in; the `lembas_refresh` cookie may carry it instead.' });

/** POST /api/auth/refresh and /logout: the token in the body, or (when absent) in the HttpOnly cookie. */
export const RefreshBody = z.object({ refreshToken: RefreshToken.optional() }).openapi('RefreshBody');
export type RefreshBody = z.infer<typeof RefreshBody>;

export const TokenResponse = z
  .object({
    accessToken: z.string().openapi({ description: 'HS256 JWT; send as `Authorization: Bearer <token>`.' }),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().openapi({ description: 'Seconds until the access token expires.', example: 900 }),
    refreshToken: z.string().openapi({ description: 'Single use: each refresh returns a new one.' }),
    refreshExpiresAt: z.string().openapi({ description: 'When the session ends, however often it is refreshed.' }),
    user: UserProfile,
  })
  .openapi('TokenResponse');
export type TokenResponse = z.infer<typeof TokenResponse>;

/** POST /api/auth/password-reset: where to mail a reset link. */
export const PasswordResetRequestBody = z.object({ email: Email }).openapi('PasswordResetRequestBody');
export type PasswordResetRequestBody = z.infer<typeof PasswordResetRequestBody>;

/** The token a mailed link carries (`/reset?token=…`): 43 base64url characters. */
export const AccountToken = z
  .string()
  .min(1)
  .max(200)
  .openapi({ description: 'The token from the mailed link (its `token` query parameter).' });

/** POST /api/auth/password-reset/confirm: the mailed token and the new password (the sign-up rules apply). */
export const PasswordResetConfirmBody = z
  .object({ token: AccountToken, password: NewPassword })
  .openapi('PasswordResetConfirmBody');
export type PasswordResetConfirmBody = z.infer<typeof PasswordResetConfirmBody>;

export const Accepted = z
  .object({ message: z.string().openapi({ description: 'What happens next, in words for a person.' }) })
  .openapi('Accepted');

/** POST /api/auth/verify-email/confirm and /api/auth/email-change/confirm: the token from the mailed link. */
export const MailedTokenBody = z.object({ token: AccountToken }).openapi('MailedTokenBody');
export type MailedTokenBody = z.infer<typeof MailedTokenBody>;

export const EmailChanged = z
  .object({ email: z.string().openapi({ description: 'The address the account uses from now on.' }) })
  .openapi('EmailChanged');
