// The newsletter fan-out figure: 10,000 confirmed subscribers, a post published through the API of the built Worker
// in Miniflare with the jobs queue as wrangler.toml declares it (Miniflare's local queue), mail to the local mailbox.
// Time from the publish to the send's 'sent', workerd CPU per mail, and duplicates and losses counted twice: in the
// delivery rows and in the mailbox.
import { Miniflare } from 'miniflare';
import type { Readable } from 'node:stream';
import { issueAccessToken } from '../lib/auth/tokens';
import type { Sql } from '../lib/clients';
import { startMailbox } from '../dev/standins/mailbox';
import { childProcesses, cpuMs } from './measure';
import { TEXT_SERVICE_BINDING, textWorkerOptions } from '../dev/text-worker';
import { workerModules } from '../dev/wrangler';

export interface FanoutFigures {
  subscribers: number;
  mails: number;
  drainSeconds: number;
  cpuMsPerMail: number;
  duplicates: number;
  losses: number;
  failed: number;
}

export interface FanoutSetup {
  sql: Sql;
  bundlePath: string;
  /** The text Worker's script (dev/text-worker.ts): the publish renders the post through it. */
  textWorkerPath: string;
  compatibilityDate: string;
  /** The Worker's bindings (stand-ins, secrets); MAIL_CAPTURE_URL is set here to a mailbox of the bench's own. */
  bindings: Record<string, string>;
  jwtSecret: string;
  author: { id: number; role: 'author' };
  subscribers?: number;
  /** Gives up waiting for the send after this long. */
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function fanoutBench(setup: FanoutSetup): Promise<FanoutFigures> {
  const count = setup.subscribers ?? 10_000;
  const run = `fanout${Date.now().toString(36)}`;
  // Each follows the run's tag, so subscribers a database already has (the demo's) are not in the audience.
  const tag = run;
  await setup.sql.query(
    `INSERT INTO subscribers (email, tags, confirmed_at)
     SELECT $1 || '-' || g || '@example.com', ARRAY[$1], now() FROM generate_series(1, $2::int) AS g`,
    [run, count],
  );
  const mailbox = await startMailbox({ keep: count * 2 });
  const before = new Set(childProcesses('workerd'));
  const mf = new Miniflare({
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      stdout.resume();
      stderr.resume();
    },
    workers: [
      {
        name: 'lembas-fanout',
        ...workerModules(setup.bundlePath),
        compatibilityDate: setup.compatibilityDate,
        bindings: { ...setup.bindings, MAIL_CAPTURE_URL: mailbox.url },
        r2Buckets: ['MEDIA'],
        // As wrangler.toml declares them.
        serviceBindings: TEXT_SERVICE_BINDING,
        queueProducers: { JOBS: { queueName: 'lembas-jobs' } },
        queueConsumers: {
          'lembas-jobs': { maxBatchSize: 10, maxBatchTimeout: 1, maxRetries: 5, deadLetterQueue: 'lembas-jobs-dead' },
          'lembas-jobs-dead': { maxBatchSize: 10, maxBatchTimeout: 1, maxRetries: 0 },
        },
      },
      textWorkerOptions(setup.textWorkerPath),
    ],
  });
  try {
    const origin = await mf.ready;
    const pids = childProcesses('workerd').filter((pid) => !before.has(pid));
    await (await fetch(new URL('/healthz', origin))).arrayBuffer(); // the isolate is up before the clock starts
    const token = await issueAccessToken(setup.jwtSecret, setup.author);
    const cpuBefore = cpuMs(pids);
    const started = performance.now();
    const response = await fetch(new URL('/api/posts', origin), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: `Fan-out ${run}`,
        markdown: 'A post for every subscriber.\n\nIt says little, to many.',
        tags: [tag],
        status: 'published',
      }),
    });
    if (response.status !== 201) throw new Error(`publishing answered ${response.status}: ${await response.text()}`);
    const { id } = (await response.json()) as { id: number };
    const deadline = started + (setup.timeoutMs ?? 300_000);
    let status = 'queued';
    while (status !== 'sent') {
      if (performance.now() > deadline) throw new Error(`the send of post ${id} is still ${status}`);
      await sleep(100);
      const rows = await setup.sql`SELECT status FROM newsletter_sends WHERE post_id = ${id}`;
      status = String(rows[0]?.status ?? 'none');
    }
    const drainSeconds = (performance.now() - started) / 1000;
    const cpu = cpuMs(pids) - cpuBefore;

    const [counts] = await setup.sql`
      SELECT count(*) FILTER (WHERE status = 'sent') AS sent,
             count(*) FILTER (WHERE status = 'failed') AS failed,
             count(*) FILTER (WHERE status = 'claimed') AS claimed
      FROM newsletter_deliveries WHERE post_id = ${id}`;
    const subject = `Fan-out ${run}`;
    const received = new Map<string, number>();
    let withoutUnsubscribe = 0;
    for (const message of mailbox.messages()) {
      if (message.subject !== subject) continue;
      if (!message.headers['List-Unsubscribe'] || !message.headers['List-Unsubscribe-Post']) withoutUnsubscribe += 1;
      for (const to of message.to) received.set(to, (received.get(to) ?? 0) + 1);
    }
    const mails = [...received.values()].reduce((sum, n) => sum + n, 0);
    const duplicates = mails - received.size;
    const losses = count - received.size;
    if (Number(counts!.sent) !== received.size || withoutUnsubscribe > 0) {
      throw new Error(
        `delivery rows say ${counts!.sent} sent, the mailbox has ${received.size} recipients; ${withoutUnsubscribe} without List-Unsubscribe`,
      );
    }
    return {
      subscribers: count,
      mails,
      drainSeconds,
      cpuMsPerMail: cpu / Math.max(1, mails),
      duplicates,
      losses,
      failed: Number(counts!.failed) + Number(counts!.claimed),
    };
  } finally {
    await mf.dispose();
    await mailbox.close();
  }
}
