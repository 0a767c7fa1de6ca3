import { type Queue } from 'bullmq';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

export const QUEUE_BOARD_PATH = '/admin/queues';

/** What an operator did through the board, as the audit log records it. */
export interface QueueBoardAction {
  /** `queue_board.<operation>`, e.g. `queue_board.pause`, `queue_board.clean`, `queue_board.job_retry`. */
  action: `queue_board.${string}`;
  /** `queue:<name>` or `job:<queue>/<id>`; absent for an action on every queue. */
  target?: string;
  /** The method, the board's route and its parameters (queue, job, status); never the request body. */
  details: Record<string, string>;
}

export interface QueueBoardOptions {
  queues: readonly Queue[];
  /** Default `/admin/queues`. */
  path?: string;
  /**
   * Throws when the request may not see the board (no admin key, or a wrong one); otherwise answers who
   * the caller is (the admin key's fingerprint), for the audit log.
   */
  authorize: (request: FastifyRequest) => string;
  /** Answers a request the board refuses (the app's problem document). */
  refuse: (error: unknown, request: FastifyRequest, reply: FastifyReply) => void;
  /**
   * Whether operators may act through the board (retry, clean, pause, add, edit…). Off, the board is
   * read-only: its UI hides the actions and any request other than GET or HEAD is refused with a 403.
   */
  actions: boolean;
  /** Records an action before it runs; when it throws, the action is refused and does not run. */
  recordAction: (action: QueueBoardAction, actor: string, request: FastifyRequest) => Promise<void>;
}

/** An action the board's read-only mode refuses; answered 403. */
class QueueBoardReadOnlyError extends Error {
  override readonly name = 'QueueBoardReadOnlyError';
  readonly statusCode = 403;
  constructor() {
    super('The queue board is read-only: set QUEUE_BOARD_ACTIONS=true to allow actions');
  }
}

const READS = new Set(['GET', 'HEAD']);

/**
 * The audit entry of a board request, from its route pattern relative to the board
 * (`/api/queues/:queueName/clean/:queueStatus`) and its parameters: the operation is the route's fixed
 * segments after `/api/queues`, `job_` before those on one job, `_all` after those on every queue.
 */
export function queueBoardAction(
  method: string,
  route: string,
  params: Readonly<Record<string, string | undefined>>,
): QueueBoardAction {
  const segments = route.replace(/^\/api\/queues(\/|$)/, '').split('/');
  const fixed = segments.filter((segment) => segment !== '' && !segment.startsWith(':'));
  const words =
    fixed
      .join('_')
      .replace(/[^a-z0-9_]/gi, '_')
      .toLowerCase() || 'action';
  const onJob = segments.includes(':jobId');
  const onQueue = segments.includes(':queueName');
  const operation = `${onJob ? 'job_' : ''}${words}${onQueue ? '' : '_all'}`;
  const details: Record<string, string> = { method, route };
  for (const [name, key] of [
    ['queue', 'queueName'],
    ['job', 'jobId'],
    ['status', 'queueStatus'],
    ['scheduler', 'schedulerId'],
  ] as const) {
    const value = params[key];
    if (value !== undefined) details[name] = value;
  }
  const target =
    details.queue === undefined
      ? undefined
      : details.job === undefined
        ? `queue:${details.queue}`
        : `job:${details.queue}/${details.job}`;
  return { action: `queue_board.${operation}`, ...(target === undefined ? {} : { target }), details };
}

/**
 * bull-board for operators: every queue, its jobs, and (with `actions`) retries, clean-ups and pauses,
 * behind `authorize` (every route of the board, its static files included). Each action is recorded
 * through `recordAction` before it runs, so one the log does not show never ran. Register before the app
 * listens.
 */
export async function mountQueueBoard(fastify: FastifyInstance, options: QueueBoardOptions): Promise<void> {
  // Loaded on use: the board's UI stack is large, and only the gateway serves it.
  const [{ createBullBoard }, { BullMQAdapter }, { FastifyAdapter }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/fastify'),
  ]);
  const path = options.path ?? QUEUE_BOARD_PATH;
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(path);
  createBullBoard({
    queues: options.queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: !options.actions })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'samtykke-gateway' } },
  });
  void fastify.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      let actor: string;
      try {
        actor = options.authorize(request);
      } catch (error) {
        // A browser asks for the key (as the password) and sends it on every later request.
        void reply.header('www-authenticate', 'Basic realm="samtykke-gateway admin", charset="UTF-8"');
        options.refuse(error, request, reply);
        return reply;
      }
      if (READS.has(request.method)) return;
      try {
        if (!options.actions) throw new QueueBoardReadOnlyError();
        const route = (request.routeOptions.url ?? request.url).slice(path.length);
        const params = (request.params ?? {}) as Record<string, string | undefined>;
        await options.recordAction(queueBoardAction(request.method, route, params), actor, request);
      } catch (error) {
        options.refuse(error, request, reply);
        return reply;
      }
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: path });
  });
}
