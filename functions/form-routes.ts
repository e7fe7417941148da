// The pages that take a visitor's input (sign-in and recovery, the first run, mailed links, subscriptions, the
// admin, a comment or reaction on a post), in the order they are matched. Loaded on first use
// (functions/lazy-routes.ts); FORM_PATH in functions/form-paths.ts says which addresses reach them.
import { Hono } from 'hono';
import type { AppEnv } from '../lib/env';
import { admin } from './admin';
import { accountPages } from './pages/account';
import { emailPages } from './pages/email';
import { postActions } from './pages/post-actions';
import { setupPages } from './setup';
import { subscribePages } from './subscribers/pages';

export const formRoutes = new Hono<AppEnv>();
formRoutes.route('/', accountPages);
formRoutes.route('/', setupPages);
formRoutes.route('/', emailPages);
formRoutes.route('/', subscribePages);
formRoutes.route('/', admin);
formRoutes.route('/', postActions);
