// Account recovery and proof of address over the API: a mailed reset link and the new password set with it; the
// address-check link (asked for again, and used); a confirmed address change.
import { createRoute } from '@hono/zod-openapi';
import { confirmPasswordReset, requestPasswordReset } from '../../lib/auth/password-reset';
import { confirmAddress, confirmEmailChange, sendAddressCheck } from '../../lib/auth/email-verification';
import { AppError } from '../../lib/errors';
import {
  Accepted,
  EmailChanged,
  MailedTokenBody,
  PasswordResetConfirmBody,
  PasswordResetRequestBody,
} from '../../lib/schemas/auth';
import { readUserProfile } from '../../lib/users';
import {
  bearerAuth,
  bodyErrors,
  createApi,
  jsonBody,
  jsonResponse,
  problemResponse,
  rateLimited,
  rateLimitErrors,
} from '../openapi';
import { clientInfo } from './client';
import { requireRole, signedInUser } from './middleware';

/** Rate-limited, and mailing: a 503 is the limiter failing closed or the mail not going out. */
const limited = {
  ...rateLimitErrors(),
  503: {
    ...rateLimitErrors()[503],
    ...problemResponse('The mail could not be sent, or attempts cannot be counted right now; see Retry-After'),
  },
};

/** One answer whether or not an account uses the address: a message went to it either way. */
export const RESET_REQUESTED =
  'We sent a message to that address. If an account uses it, the message has a link to choose a new password, valid for one hour.';

const requestReset = createRoute({
  method: 'post',
  path: '/api/auth/password-reset',
  operationId: 'requestPasswordReset',
  tags: ['auth'],
  summary: 'Mail a password-reset link',
  description:
    'Mails a single-use link, valid for one hour, to the address. The answer is the same whether or not an ' +
    'account uses it (an address without one gets a message saying so). Limited per IP and per address.',
  request: { body: jsonBody(PasswordResetRequestBody) },
  responses: {
    202: rateLimited(jsonResponse(Accepted, 'The message was handed over for delivery')),
    ...bodyErrors,
    ...limited,
  },
});

const confirmReset = createRoute({
  method: 'post',
  path: '/api/auth/password-reset/confirm',
  operationId: 'confirmPasswordReset',
  tags: ['auth'],
  summary: 'Set a new password with a mailed reset token',
  description:
    'Uses the token once. The password follows the sign-up rules. Every session of the account ends (refresh ' +
    'tokens and browser sign-ins); sign in again with the new password.',
  request: { body: jsonBody(PasswordResetConfirmBody) },
  responses: {
    204: rateLimited({ description: 'The password was changed and every session ended' }),
    400: problemResponse('The token is invalid, expired or already used'),
    415: bodyErrors[415],
    422: bodyErrors[422],
    429: limited[429],
    503: rateLimitErrors()[503],
  },
});

const resendAddressCheck = createRoute({
  method: 'post',
  path: '/api/auth/verify-email',
  operationId: 'sendAddressCheck',
  tags: ['auth'],
  summary: 'Mail the link that confirms your address again',
  description: 'For the signed-in account; the link works once, for 7 days. Limited to 5 account mails an hour.',
  security: bearerAuth,
  middleware: [requireRole('reader')] as const,
  responses: {
    202: rateLimited(jsonResponse(Accepted, 'The message was handed over for delivery')),
    401: problemResponse('No valid access token'),
    409: problemResponse('The address is already confirmed'),
    ...limited,
  },
});

const mailedTokenErrors = {
  400: problemResponse('The token is invalid, expired or already used'),
  415: bodyErrors[415],
  422: bodyErrors[422],
};

const confirmAddressRoute = createRoute({
  method: 'post',
  path: '/api/auth/verify-email/confirm',
  operationId: 'confirmAddress',
  tags: ['auth'],
  summary: 'Confirm an address with the mailed token',
  description: 'The token from the link mailed at sign-up (or asked for again). It works once.',
  request: { body: jsonBody(MailedTokenBody) },
  responses: { 204: { description: 'The address is confirmed' }, ...mailedTokenErrors },
});

const confirmEmailChangeRoute = createRoute({
  method: 'post',
  path: '/api/auth/email-change/confirm',
  operationId: 'confirmEmailChange',
  tags: ['auth'],
  summary: 'Take a new address with the token mailed to it',
  description:
    'Changing your own address (PATCH /api/users/{id} with `email`) mails a link to the new address; this uses ' +
    'its token. The account then signs in with the new address, which counts as confirmed.',
  request: { body: jsonBody(MailedTokenBody) },
  responses: {
    200: jsonResponse(EmailChanged, 'The account uses the new address'),
    ...mailedTokenErrors,
    409: problemResponse('Another account took that address in the meantime'),
  },
});

export const recoveryApi = createApi()
  .openapi(requestReset, async (c) => {
    await requestPasswordReset(c.var.deps, c.req.valid('json').email, clientInfo(c).ip);
    c.header('Cache-Control', 'no-store');
    return c.json({ message: RESET_REQUESTED }, 202);
  })
  .openapi(confirmReset, async (c) => {
    const { token, password } = c.req.valid('json');
    await confirmPasswordReset(c.var.deps, token, password, clientInfo(c).ip);
    return c.body(null, 204);
  })
  .openapi(resendAddressCheck, async (c) => {
    const profile = await readUserProfile(c.var.deps, signedInUser(c).id);
    if (!profile) throw new AppError('unauthorized', 'The account no longer exists.');
    if (profile.emailVerifiedAt !== null) throw new AppError('conflict', 'Your address is already confirmed.');
    await sendAddressCheck(c.var.deps, profile);
    return c.json({ message: `We sent a link to ${profile.email}. Open it to confirm your address.` }, 202);
  })
  .openapi(confirmAddressRoute, async (c) => {
    await confirmAddress(c.var.deps, c.req.valid('json').token);
    return c.body(null, 204);
  })
  .openapi(confirmEmailChangeRoute, async (c) => {
    const { email } = await confirmEmailChange(c.var.deps, c.req.valid('json').token);
    return c.json({ email }, 200);
  });
