// POST /api/subscribers: a newsletter sign-up over the API, the same double opt-in as the form (a link mailed to
// the address confirms it), with one answer for every address.
import { createRoute } from '@hono/zod-openapi';
import { requestSubscription, SUBSCRIBE_REQUESTED } from '../../lib/newsletter/subscribers';
import { Accepted } from '../../lib/schemas/auth';
import { SubscribeBody } from '../../lib/schemas/subscriber';
import { clientInfo } from '../auth/client';
import {
  bodyErrors,
  createApi,
  jsonBody,
  jsonResponse,
  problemResponse,
  rateLimited,
  rateLimitErrors,
} from '../openapi';

const subscribe = createRoute({
  method: 'post',
  path: '/api/subscribers',
  operationId: 'subscribe',
  tags: ['Subscribers'],
  summary: 'Subscribe an address to new posts by email',
  description:
    'Mails a confirmation link (double opt-in), valid for 7 days; the address is subscribed once it is opened. ' +
    'The answer is the same for every address: one already subscribed gets a message saying so instead. ' +
    'Limited per IP and per address.',
  request: { body: jsonBody(SubscribeBody) },
  responses: {
    202: rateLimited(jsonResponse(Accepted, 'The message was handed over for delivery')),
    ...bodyErrors,
    ...rateLimitErrors(),
    503: {
      ...rateLimitErrors()[503],
      ...problemResponse('The mail could not be sent, or attempts cannot be counted right now; see Retry-After'),
    },
  },
});

export const subscribersApi = createApi().openapi(subscribe, async (c) => {
  const { email, tags } = c.req.valid('json');
  await requestSubscription(c.var.deps, { email, tags }, clientInfo(c).ip);
  c.header('Cache-Control', 'no-store');
  return c.json({ message: SUBSCRIBE_REQUESTED }, 202);
});
