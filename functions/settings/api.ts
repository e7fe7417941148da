// /api/settings: the site's public settings for everyone; every setting, and changing them, for admins.
import { createRoute } from '@hono/zod-openapi';
import { readSettings, toPublicSettings, updateSettings } from '../../lib/settings';
import { PublicSettings, SettingsPatch, SiteSettings } from '../../lib/settings/validation';
import { requireRole, signedInUser } from '../auth/middleware';
import { bearerAuth, bodyErrors, createApi, jsonBody, jsonResponse, problemResponse } from '../openapi';

export const settingsApi = createApi()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/settings',
      operationId: 'getSettings',
      tags: ['settings'],
      summary: 'The site settings anyone may read',
      description:
        'Title, description, locale and time zone, accent colour, logo and icon, navigation, rendered footer, ' +
        'social links, posts per page, the comment policy and whether sign-up is open. Unset fields carry their ' +
        'defaults (the SITE_NAME and SITE_DESCRIPTION vars for the title and description).',
      responses: { 200: jsonResponse(PublicSettings, 'The public settings') },
    }),
    async (c) => c.json(toPublicSettings(await readSettings(c.var.deps)), 200),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/settings',
      operationId: 'updateSettings',
      tags: ['settings'],
      summary: 'Change site settings (admins)',
      description:
        'Any subset of the fields; the others keep their values. Every field is validated before anything is ' +
        'saved, and all are saved in one statement, so a request is applied whole or not at all. The change shows ' +
        'on every page, feed and the sitemap from the next request on.',
      security: bearerAuth,
      middleware: requireRole('admin'),
      request: { body: jsonBody(SettingsPatch) },
      responses: {
        200: jsonResponse(SiteSettings, 'Every setting, as saved'),
        401: problemResponse('No valid token'),
        403: problemResponse('Needs the admin role'),
        ...bodyErrors,
      },
    }),
    async (c) => c.json(await updateSettings(c.var.deps, signedInUser(c), c.req.valid('json')), 200),
  );
