// What admins do with subscribers (/admin/subscribers): the counts and a searchable page, removing one, and the CSV
// export, streamed in keyset slices so a long list never sits in the Worker's memory at once.
import { timed, type Deps } from '../context';
import {
  deleteSubscriber,
  listSubscribersAfter,
  readSubscriberAdminPage,
  type SubscriberCounts,
  type SubscriberPage,
  type SubscriberRecord,
} from '../db/subscribers';
import { csvRow } from './csv';

export type { SubscriberCounts, SubscriberPage, SubscriberRecord };

export const ADMIN_PAGE_SIZE = 50;
const EXPORT_SLICE = 500;

export function readSubscribersForAdmin(
  deps: Deps,
  options: { search: string; cursor?: string },
): Promise<{ counts: SubscriberCounts; page: SubscriberPage }> {
  return timed(deps, 'db', () => readSubscriberAdminPage(deps.sql, { ...options, limit: ADMIN_PAGE_SIZE }));
}

/** False when there was no such subscriber (already removed, or unsubscribed meanwhile). */
export function removeSubscriber(deps: Deps, id: number): Promise<boolean> {
  return timed(deps, 'db', () => deleteSubscriber(deps.sql, id));
}

export const CSV_HEADER = ['email', 'status', 'tags', 'created_at', 'confirmed_at'] as const;

function csvLine(subscriber: SubscriberRecord): string {
  return csvRow([
    subscriber.email,
    subscriber.confirmedAt ? 'confirmed' : 'pending',
    subscriber.tags.join(' '),
    subscriber.createdAt,
    subscriber.confirmedAt ?? '',
  ]);
}

/** Every subscriber, oldest first, as CSV: one query per slice of 500, pulled as the client reads. */
export function subscribersCsv(deps: Deps): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let afterId = 0;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvRow(CSV_HEADER)));
        return;
      }
      const slice = await listSubscribersAfter(deps.sql, afterId, EXPORT_SLICE);
      if (slice.length > 0) {
        controller.enqueue(encoder.encode(slice.map(csvLine).join('')));
        afterId = slice.at(-1)!.id;
      }
      if (slice.length < EXPORT_SLICE) controller.close();
    },
  });
}
