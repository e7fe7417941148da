// One attempt at one delivery: check the address again (DNS may have moved), sign, POST, log the answer and the
// time it took. The queue decides when to try again (lib/jobs/consume.ts).
import type { Deps } from '../context';
import * as db from '../db/webhooks';
import { checkWebhookAddress } from './address';
import { decryptSecret } from './secrets';
import { signedHeaders } from './signature';

/** `retry`: worth another attempt later; `done`: delivered, or never deliverable (gone, refused, unreadable). */
export type AttemptOutcome = 'delivered' | 'retry' | 'done';

/** How long a receiver has to answer; Standard Webhooks receivers are told to answer fast and work later. */
const TIMEOUT_MS = 10_000;

export async function attemptDelivery(
  deps: Deps,
  deliveryId: string,
  { final = false, fetcher = fetch }: { final?: boolean; fetcher?: typeof fetch } = {},
): Promise<AttemptOutcome> {
  const found = await db.getDeliveryForAttempt(deps.sql, deliveryId);
  // Deleted with its endpoint, or a message redelivered after it already went through.
  if (!found || found.delivery.status === 'delivered') return found ? 'delivered' : 'done';
  const { delivery, webhook } = found;
  const giveUp = async (error: string) => {
    await db.recordAttempt(deps.sql, delivery.id, { statusCode: null, durationMs: 0, error }, 'failed');
    return 'done' as const;
  };
  const secret = await decryptSecret(deps.config, webhook.secretEncrypted);
  if (!secret) return giveUp('the signing secret cannot be read (was the encryption key changed?)');
  const address = await checkWebhookAddress(deps.config, webhook.url, fetcher);
  if (!address.ok) return giveUp(`refused: ${address.reason}`);

  const start = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetcher(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'lembas-webhooks/1',
        ...(await signedHeaders(secret, delivery.id, delivery.body)),
      },
      body: delivery.body,
      // A redirect could point anywhere, a private address included: it counts as a failed attempt.
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    statusCode = response.status;
    await response.body?.cancel();
    if (statusCode < 200 || statusCode >= 300) error = `answered ${statusCode}`;
  } catch (caught) {
    error = caught instanceof Error ? `${caught.name}: ${caught.message}`.slice(0, 500) : 'request failed';
  }
  const durationMs = Math.round(performance.now() - start);
  const delivered = error === null;
  await db.recordAttempt(
    deps.sql,
    delivery.id,
    { statusCode, durationMs, error },
    delivered ? 'delivered' : final ? 'failed' : 'pending',
  );
  return delivered ? 'delivered' : 'retry';
}
