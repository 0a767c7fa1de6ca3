import { type Queue } from 'bullmq';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

export const QUEUE_BOARD_PATH = '/admin/queues';

export interface QueueBoardOptions {
  queues: readonly Queue[];
  /** Default `/admin/queues`. */
  path?: string;
  /** Throws when the request may not see the board (no admin key, or a wrong one). */
  authorize: (request: FastifyRequest) => void;
  /** Answers a request `authorize` refused (the app's problem document). */
  refuse: (error: unknown, request: FastifyRequest, reply: FastifyReply) => void;
}

/**
 * bull-board for operators: every queue, its jobs, retries and clean-ups, behind `authorize` (every route
 * of the board, its static files included). Register before the app listens.
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
    queues: options.queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'samtykke-gateway' } },
  });
  void fastify.register(async (scope) => {
    scope.addHook('onRequest', (request, reply, done) => {
      try {
        options.authorize(request);
      } catch (error) {
        // A browser asks for the key (as the password) and sends it on every later request.
        void reply.header('www-authenticate', 'Basic realm="samtykke-gateway admin", charset="UTF-8"');
        options.refuse(error, request, reply);
        return;
      }
      done();
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: path });
  });
}
