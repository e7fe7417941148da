// What both local stand-ins (Neon HTTP and Upstash REST) offer the dev launcher, the tests and the benchmark.

export interface StandIn {
  /** Where the client points: Neon's `…/sql` endpoint, or Upstash's REST base URL. */
  url: string;
  port: number;
  /** The engine behind it: 'pglite' or 'postgres'; 'memory' (ioredis-mock) or 'redis'. */
  backend: string;
  /** Protocol requests answered since start or the last reset (the benchmark's round-trip counts). */
  requestCount(): number;
  resetStats(): void;
  /** Fixed delay added before answering each request, to imitate a network round trip. */
  setDelay(ms: number): void;
  /** Stops the server and closes the backend; idempotent. */
  close(): Promise<void>;
}
