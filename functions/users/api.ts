// /api/users: user management.
import { createApi } from '../openapi';

export const usersApi = createApi();
