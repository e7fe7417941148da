// Types `env` from cloudflare:test as the Worker's own bindings.
import type { Bindings } from '../lib/env';

declare global {
  namespace Cloudflare {
    interface Env extends Bindings {
      /** The local receiver of webhooks, IndexNow pings and DNS questions (dev/standins/receiver.ts). */
      TEST_RECEIVER_URL: string;
    }
  }
}
