// /api/auth: register, login, refresh, logout, me. Handlers read validated input, call one lib/ flow, answer.
import { createRoute } from '@hono/zod-openapi';
import { logIn, logOut, refreshTokens } from '../../lib/auth/login';
import { AppError } from '../../lib/errors';
import { LoginBody, RefreshBody, TokenResponse } from '../../lib/schemas/auth';
import { sendAddressCheckAfterSignUp } from '../../lib/auth/email-verification';
import { RegisterBody, RegisterResponse, UserProfile } from '../../lib/schemas/user';
import { readUserProfile, registerUser } from '../../lib/users';
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
import { clearRefreshCookie, presentedRefreshToken, setRefreshCookie } from './cookies';
import { requireRole, signedInUser } from './middleware';

const register = createRoute({
  method: 'post',
  path: '/api/auth/register',
  operationId: 'register',
  tags: ['auth'],
  summary: 'Create a reader account',
  description:
    'Anyone may sign up; the account is always a reader (a `role` in the body is ignored). Passwords are 10 to 128 ' +
    'characters and not one of the most common ones. Limited per address.',
  request: { body: jsonBody(RegisterBody) },
  responses: {
    201: rateLimited(jsonResponse(RegisterResponse, 'The new account; a link to confirm its address was mailed to it')),
    ...bodyErrors,
    403: problemResponse('Sign-up is closed (the registration setting)'),
    409: problemResponse('The email or username is taken'),
    ...rateLimitErrors(),
  },
});

const login = createRoute({
  method: 'post',
  path: '/api/auth/login',
  operationId: 'logIn',
  tags: ['auth'],
  summary: 'Sign in: an access token, and a refresh token (also set as an HttpOnly cookie)',
  description:
    'The access token lasts 15 minutes; trade the refresh token at /api/auth/refresh for a new pair. Limited per ' +
    'address, per account from one address and per account: one answer (401) for an unknown email, a wrong ' +
    'password and a disabled account.',
  request: { body: jsonBody(LoginBody) },
  responses: {
    200: rateLimited(jsonResponse(TokenResponse, 'Signed in')),
    ...bodyErrors,
    401: problemResponse('Wrong email or password, or the account is disabled (one answer for all three)'),
    ...rateLimitErrors(),
  },
});

const refresh = createRoute({
  method: 'post',
  path: '/api/auth/refresh',
  operationId: 'refreshTokens',
  tags: ['auth'],
  summary: 'Trade a refresh token (body or cookie) for a new pair; each refresh token works once',
  description:
    'A refresh token presented a second time ends every session of that sign-in, since one of the two holders ' +
    'must have stolen it.',
  request: { body: jsonBody(RefreshBody, false) },
  responses: {
    200: jsonResponse(TokenResponse, 'A new token pair'),
    ...bodyErrors,
    401: problemResponse('Missing, invalid, expired or reused refresh token (reuse ends the whole sign-in)'),
  },
});

const logout = createRoute({
  method: 'post',
  path: '/api/auth/logout',
  operationId: 'logOut',
  tags: ['auth'],
  summary: 'End the sign-in the refresh token (body or cookie) belongs to, and clear the cookie',
  description: 'Revokes the refresh token and every token rotated from it. Access tokens expire on their own.',
  request: { body: jsonBody(RefreshBody, false) },
  responses: { 204: { description: 'Signed out (also when the token was unknown)' }, ...bodyErrors },
});

const me = createRoute({
  method: 'get',
  path: '/api/auth/me',
  operationId: 'getCurrentUser',
  tags: ['auth'],
  summary: 'The signed-in user',
  description: 'The full profile of the account the access token belongs to.',
  security: bearerAuth,
  middleware: [requireRole('reader')] as const,
  responses: {
    200: jsonResponse(UserProfile, 'Your profile'),
    401: problemResponse('No valid access token'),
  },
});

export const authApi = createApi()
  .openapi(register, async (c) => {
    const user = await registerUser(c.var.deps, c.req.valid('json'), clientInfo(c).ip);
    const sent = await sendAddressCheckAfterSignUp(c.var.deps, user);
    c.header('Location', `/api/users/${user.id}`);
    return c.json({ ...user, verificationEmail: sent ? ('sent' as const) : ('failed' as const) }, 201);
  })
  .openapi(login, async (c) => {
    const tokens = await logIn(c.var.deps, c.req.valid('json'), clientInfo(c));
    setRefreshCookie(c, tokens.refreshToken, tokens.refreshExpiresAt);
    c.header('Cache-Control', 'no-store');
    return c.json(tokens, 200);
  })
  .openapi(refresh, async (c) => {
    const token = presentedRefreshToken(c, c.req.valid('json').refreshToken);
    const tokens = await refreshTokens(c.var.deps, token, clientInfo(c));
    setRefreshCookie(c, tokens.refreshToken, tokens.refreshExpiresAt);
    c.header('Cache-Control', 'no-store');
    return c.json(tokens, 200);
  })
  .openapi(logout, async (c) => {
    await logOut(c.var.deps, presentedRefreshToken(c, c.req.valid('json').refreshToken));
    clearRefreshCookie(c);
    return c.body(null, 204);
  })
  .openapi(me, async (c) => {
    const profile = await readUserProfile(c.var.deps, signedInUser(c).id);
    if (!profile) throw new AppError('unauthorized', 'The account no longer exists.');
    return c.json(profile, 200);
  });
