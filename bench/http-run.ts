/**
 * The HTTP ingest benchmark alone (bench/run.ts also runs the import and the report, which take
 * minutes): bare node:http, storepulse accepting into the log with the consumer paused, and
 * storepulse with the consumer writing, interleaved so that a noisy machine hits all three alike.
 * Run: node --import tsx bench/http-run.ts   (BENCH_RUNS, default 3; BENCH_HTTP_SECONDS, default 8)
 */
import { fmt, median } from './lib.js';
import { measureHttp, realOrdersBatchBody } from './http.js';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 8);
const say = (line: string) => process.stdout.write(`${line}\n`);

const bare: number[] = [];
const acceptOnly: number[] = [];
const consumerWriting: number[] = [];
// BENCH_BODY=real posts 100 real online-retail invoices instead of 100 copies of one order.
const body = process.env.BENCH_BODY === 'real' ? realOrdersBatchBody() : undefined;
for (let run = 1; run <= runs; run += 1) {
  const bareRun = await measureHttp('bench/bare-http-child.ts', seconds, {}, { body });
  const acceptRun = await measureHttp('bench/storepulse-http-child.ts', seconds, { BENCH_CONSUMER: 'off' }, { drain: false, body });
  const writingRun = await measureHttp('bench/storepulse-http-child.ts', seconds, {}, { body });
  bare.push(bareRun.eventsPerSecond);
  acceptOnly.push(acceptRun.eventsPerSecond);
  consumerWriting.push(writingRun.eventsPerSecond);
  say(`  run ${run}: bare ${fmt(bareRun.eventsPerSecond, 0)}, accept only ${fmt(acceptRun.eventsPerSecond, 0)} (ratio ${fmt(acceptRun.eventsPerSecond / bareRun.eventsPerSecond)}, non-2xx ${acceptRun.non2xx}), ` +
    `consumer writing ${fmt(writingRun.eventsPerSecond, 0)} (ratio ${fmt(writingRun.eventsPerSecond / bareRun.eventsPerSecond)}, non-2xx ${writingRun.non2xx}) events/s`);
}
say(`medians of ${runs} runs, events/s: bare ${fmt(median(bare), 0)}; accept only ${fmt(median(acceptOnly), 0)} = ${fmt(median(acceptOnly) / median(bare))} of bare (goal ≥ 0.5); ` +
  `consumer writing ${fmt(median(consumerWriting), 0)} = ${fmt(median(consumerWriting) / median(bare))} of bare`);
