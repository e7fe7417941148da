// /api/auth/password-reset: ask for a mailed reset link, and set a new password with it.
import { createRoute } from '@hono/zod-openapi';
import { confirmPasswordReset, requestPasswordReset } from '../../lib/auth/password-reset';
import { Accepted, PasswordResetConfirmBody, PasswordResetRequestBody } from '../../lib/schemas/auth';
import { bodyErrors, createApi, jsonBody, jsonResponse, problemResponse } from '../openapi';
import { clientInfo } from './client';

const limited = {
  429: problemResponse('Too many attempts; see Retry-After'),
  503: problemResponse('The mail could not be sent, or attempts cannot be counted right now; see Retry-After'),
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
  responses: { 202: jsonResponse(Accepted, 'The message was handed over for delivery'), ...bodyErrors, ...limited },
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
    204: { description: 'The password was changed and every session ended' },
    400: problemResponse('The token is invalid, expired or already used'),
    415: bodyErrors[415],
    422: bodyErrors[422],
    429: limited[429],
    503: problemResponse('Attempts cannot be counted right now; see Retry-After'),
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
  });
