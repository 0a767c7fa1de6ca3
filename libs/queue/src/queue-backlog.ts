import { type Queue } from 'bullmq';

/** Job states an operator reads a queue's health by. */
export const BACKLOG_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized', 'paused'] as const;
export type BacklogState = (typeof BACKLOG_STATES)[number];

/** One queue's backlog: jobs per state and how long its oldest waiting job has waited. */
export interface QueueBacklog {
  queue: string;
  counts: Record<BacklogState, number>;
  /** Seconds since the oldest waiting (or prioritized) job was added; null when none waits. */
  oldestWaitingSeconds: number | null;
  /** Whether an operator (or the queue board) paused the queue. */
  paused: boolean;
}

/** Seconds from the oldest of `addedAt` (epoch ms) to `now`, never negative; null for none. */
export function oldestAgeSeconds(addedAt: readonly number[], now: Date): number | null {
  if (addedAt.length === 0) return null;
  return Math.max(0, Math.floor((now.getTime() - Math.min(...addedAt)) / 1000));
}

/** Reads a queue's backlog from Redis: its counts, its paused flag and its oldest waiting job. */
export async function queueBacklog(queue: Queue, now: Date): Promise<QueueBacklog> {
  const [counts, paused, oldest] = await Promise.all([
    queue.getJobCounts(...BACKLOG_STATES),
    queue.isPaused(),
    // Ascending: the first job of each list is the one added longest ago.
    queue.getJobs(['waiting', 'prioritized'], 0, 0, true),
  ]);
  return {
    queue: queue.name,
    counts: Object.fromEntries(BACKLOG_STATES.map((state) => [state, counts[state] ?? 0])) as Record<
      BacklogState,
      number
    >,
    oldestWaitingSeconds: oldestAgeSeconds(
      oldest.filter((job) => job !== undefined).map((job) => job.timestamp),
      now,
    ),
    paused,
  };
}
