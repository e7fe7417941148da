// Short-lived access tokens (HS256 JWTs). The algorithm is pinned and `exp` is required: Hono's verify skips the
// expiry check when a token carries no `exp`, so a token without one is refused here before it is trusted.
import { sign, verify } from 'hono/jwt';
import { z } from 'zod';
import { Role } from '../schemas/user';

export const ACCESS_TOKEN_SECONDS = 15 * 60;
const ISSUER = 'lembas';

const AccessClaims = z.object({
  sub: z.string().regex(/^\d+$/),
  role: Role,
  exp: z.number().int(),
  iat: z.number().int(),
  iss: z.literal(ISSUER),
});

export interface AccessToken {
  userId: number;
  role: Role;
}

export async function issueAccessToken(
  secret: string,
  user: { id: number; role: Role },
  now = Date.now(),
): Promise<string> {
  const iat = Math.floor(now / 1000);
  return sign(
    { sub: String(user.id), role: user.role, iat, exp: iat + ACCESS_TOKEN_SECONDS, iss: ISSUER },
    secret,
    'HS256',
  );
}

/** Returns null for any token that is malformed, forged, expired, or missing a required claim. */
export async function verifyAccessToken(secret: string, token: string): Promise<AccessToken | null> {
  let payload: unknown;
  try {
    payload = await verify(token, secret, { alg: 'HS256', iss: ISSUER, exp: true });
  } catch {
    return null;
  }
  const claims = AccessClaims.safeParse(payload);
  if (!claims.success || claims.data.exp * 1000 <= Date.now()) return null;
  return { userId: Number(claims.data.sub), role: claims.data.role };
}
