// /api/auth: register, login, refresh, logout, me.
import { createApi } from '../openapi';

export const authApi = createApi();
