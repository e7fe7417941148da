// The unsubscribe link every newsletter mail carries (visible, and as List-Unsubscribe for RFC 8058 one-click): signed
// like the comment notifications' links (lib/mail/unsubscribe.ts), so it works without signing in, cannot be forged
// for someone else, and needs no stored token. A subscriber id is never reused (identity column), so a link outlives
// nothing it should not.
import type { Config } from '../env';
import { siteLink } from '../mail/site';
import { signUnsubscribe, unsubscribeSignatureMatches } from '../mail/unsubscribe';

/** The page (GET: a confirm button) and one-click POST target: /subscribe/unsubscribe?subscriber=…&sig=… */
export const SUBSCRIBER_UNSUBSCRIBE_PATH = '/subscribe/unsubscribe';

// Its own subject family: a notification link (`user:…`) can never pass for a subscriber's, nor the reverse.
const subjectOf = (subscriberId: number) => `subscriber:${subscriberId}:newsletter`;

/** The absolute unsubscribe URL for one subscriber (use it in the mail body and in oneClickUnsubscribeHeaders). */
export async function subscriberUnsubscribeLink(config: Config, subscriberId: number): Promise<string> {
  const sig = await signUnsubscribe(config.JWT_SECRET, subjectOf(subscriberId));
  return siteLink(config, SUBSCRIBER_UNSUBSCRIBE_PATH, { subscriber: String(subscriberId), sig });
}

/** Constant-time check of a link's signature. */
export function subscriberSignatureMatches(config: Config, subscriberId: number, signature: string): Promise<boolean> {
  return unsubscribeSignatureMatches(config.JWT_SECRET, subjectOf(subscriberId), signature);
}
