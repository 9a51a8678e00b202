import { performance } from 'node:perf_hooks';

/** Outcome of one request. A failed request carries its reason for the report. */
export type RequestOutcome = { ok: true } | { ok: false; reason: string };

export interface LoopRun {
  /** Requests that completed with ok true. */
  succeeded: number;
  failed: number;
  /** Up to 5 distinct failure reasons, for the report. */
  failureSamples: string[];
  /** From the first request's start to the last request's end, in milliseconds. */
  elapsedMs: number;
  /** Latency of every successful request, in milliseconds, in completion order. */
  latenciesMs: number[];
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

const MAX_FAILURE_SAMPLES = 5;

/**
 * Runs a closed loop: `concurrency` workers, each sending one request and
 * waiting for its outcome before the next, until `durationMs` has passed.
 * Requests in flight at the deadline finish and count. Latency is timed per
 * request with performance.now(), from the call to the settled outcome. A
 * request that throws counts as failed and the worker goes on.
 */
export async function runClosedLoop(
  concurrency: number,
  durationMs: number,
  sendRequest: () => Promise<RequestOutcome>,
  signal: AbortSignal,
): Promise<LoopRun> {
  const latencies: number[] = [];
  const failureSamples = new Set<string>();
  let failed = 0;

  const startedAt = performance.now();
  const deadline = startedAt + durationMs;

  const worker = async (): Promise<void> => {
    while (performance.now() < deadline && !signal.aborted) {
      const requestStart = performance.now();
      let outcome: RequestOutcome;
      try {
        outcome = await sendRequest();
      } catch (error) {
        outcome = { ok: false, reason: (error as Error).message };
      }
      const latency = performance.now() - requestStart;

      if (outcome.ok) {
        latencies.push(latency);
      } else {
        failed += 1;
        if (failureSamples.size < MAX_FAILURE_SAMPLES) failureSamples.add(outcome.reason);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - startedAt;

  return { succeeded: latencies.length, failed, failureSamples: [...failureSamples], elapsedMs, latenciesMs: latencies };
}

/** Computes nearest-rank percentiles over every recorded latency. All are zero when there are none. */
export function summarizeLatencies(latencies: readonly number[]): LatencySummary {
  if (latencies.length === 0) return { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };

  const sorted = Float64Array.from(latencies).sort();
  const at = (percentile: number): number => sorted[Math.max(0, Math.ceil((percentile / 100) * sorted.length) - 1)]!;
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return { p50: at(50), p90: at(90), p99: at(99), max: sorted[sorted.length - 1]!, mean: total / sorted.length };
}
