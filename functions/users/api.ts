// /api/users: listing, reading, creating, changing and deleting accounts. Who may do what is decided in lib/users.ts.
import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../lib/errors';
import { IdParams } from '../../lib/schemas/common';
import {
  CreateUserBody,
  DeleteUserQuery,
  ListUsersQuery,
  PublicProfile,
  UpdateUserBody,
  UserPage,
  UserProfile,
} from '../../lib/schemas/user';
import {
  createUserAccount,
  deleteUserAccount,
  listUserProfiles,
  readUserForViewer,
  updateUserAccount,
} from '../../lib/users';
import { requireRole, signedInUser } from '../auth/middleware';
import {
  bearerAuth,
  bodyErrors,
  createApi,
  jsonBody,
  jsonResponse,
  problemResponse,
  rateLimitErrors,
} from '../openapi';

const signedOut = { 401: problemResponse('No valid access token') };
const adminOnly = { ...signedOut, 403: problemResponse('Needs the admin role') };
const listUsers = createRoute({
  method: 'get',
  path: '/api/users',
  operationId: 'listUsers',
  tags: ['users'],
  summary: 'List accounts by id (admins)',
  description: 'Full profiles in id order, a page at a time (`cursor` from the previous page), optionally one role.',
  security: bearerAuth,
  middleware: [requireRole('admin')] as const,
  request: { query: ListUsersQuery },
  responses: {
    200: jsonResponse(UserPage, 'A page of accounts'),
    400: problemResponse('The cursor is not valid'),
    ...adminOnly,
    422: problemResponse('Invalid query'),
  },
});

const getUser = createRoute({
  method: 'get',
  path: '/api/users/{id}',
  operationId: 'getUser',
  tags: ['users'],
  summary: 'One account: the full profile for admins and the user themself, the public one for everyone else',
  description: 'The public profile leaves out the email, the disabled flag and the last change.',
  request: { params: IdParams },
  responses: {
    200: jsonResponse(z.union([UserProfile, PublicProfile]), 'The profile'),
    404: problemResponse('No such user'),
    422: problemResponse('Invalid id'),
  },
});

const createUser = createRoute({
  method: 'post',
  path: '/api/users',
  operationId: 'createUser',
  tags: ['users'],
  summary: 'Create an account with any role (admins)',
  description: 'As sign-up, with a role and a bio; the same password rules apply.',
  security: bearerAuth,
  middleware: [requireRole('admin')] as const,
  request: { body: jsonBody(CreateUserBody) },
  responses: {
    201: jsonResponse(UserProfile, 'The new account'),
    ...bodyErrors,
    ...adminOnly,
    409: problemResponse('The email or username is taken'),
  },
});

const updateUser = createRoute({
  method: 'patch',
  path: '/api/users/{id}',
  operationId: 'updateUser',
  tags: ['users'],
  summary: 'Change an account: your own, or anyone’s as an admin. Role and disabled are admin-only',
  description:
    'Send only the fields to change. A new password for your own account needs `currentPassword`; changing a ' +
    'password or disabling an account signs it out everywhere.',
  security: bearerAuth,
  middleware: [requireRole('reader')] as const,
  request: { params: IdParams, body: jsonBody(UpdateUserBody) },
  responses: {
    200: jsonResponse(UserProfile, 'The changed account'),
    ...bodyErrors,
    ...signedOut,
    403: problemResponse('Not your account, an admin-only field, or a wrong current password'),
    404: problemResponse('No such user'),
    409: problemResponse('The email or username is taken, or an admin tried to demote or disable themself'),
    // Only a change of your own password checks `currentPassword`, and only that is limited.
    ...rateLimitErrors('Too many current-password checks; see Retry-After and RateLimit'),
  },
});

const deleteUser = createRoute({
  method: 'delete',
  path: '/api/users/{id}',
  operationId: 'deleteUser',
  tags: ['users'],
  summary: 'Delete an account (admins); one with posts needs ?reassignTo=<userId>',
  description: 'Its sessions end with it. Its posts move to `reassignTo` first, so no post is lost.',
  security: bearerAuth,
  middleware: [requireRole('admin')] as const,
  request: { params: IdParams, query: DeleteUserQuery },
  responses: {
    204: { description: 'Deleted' },
    ...adminOnly,
    404: problemResponse('No such user'),
    409: problemResponse('The user has posts and no reassignTo was given, or an admin tried to delete themself'),
    422: problemResponse('Invalid id or reassignTo'),
  },
});

export const usersApi = createApi()
  .openapi(listUsers, async (c) => {
    return c.json(await listUserProfiles(c.var.deps, c.req.valid('query')), 200);
  })
  .openapi(getUser, async (c) => {
    const { id } = c.req.valid('param');
    const profile = await readUserForViewer(c.var.deps, c.get('user'), id);
    if (!profile) throw new AppError('not_found', `No user has the id ${id}.`);
    return c.json(profile, 200);
  })
  .openapi(createUser, async (c) => {
    const user = await createUserAccount(c.var.deps, c.req.valid('json'));
    c.header('Location', `/api/users/${user.id}`);
    return c.json(user, 201);
  })
  .openapi(updateUser, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await updateUserAccount(c.var.deps, signedInUser(c), id, c.req.valid('json')), 200);
  })
  .openapi(deleteUser, async (c) => {
    const { id } = c.req.valid('param');
    await deleteUserAccount(c.var.deps, signedInUser(c), id, c.req.valid('query').reassignTo);
    return c.body(null, 204);
  });
