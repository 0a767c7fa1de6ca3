import { type Job, type Queue } from 'bullmq';
import { adminKeyFingerprint } from '@gw/auth';
import { QueueInspector } from '@gw/observability';
import { QueueName } from '@gw/queue';
import { ADMIN_KEY, GatewayTestKit, SECOND_ADMIN_KEY } from './gateway-test-kit';

const BOARD_API = '/admin/queues/api/queues';

/** A queue of the kit's gateway (its own Redis prefix: no worker takes its jobs). */
function queueOf(kit: GatewayTestKit, name: string): Queue {
  const queue = kit.gateway.app.get(QueueInspector).queues.find((candidate) => candidate.name === name);
  if (!queue) throw new Error(`no queue ${name}`);
  return queue;
}

async function boardAudit(kit: GatewayTestKit) {
  const answer = await kit.request('GET', '/admin/v1/audit-log?action=queue_board.');
  expect(answer.status).toBe(200);
  return answer.body.data as {
    actor: string;
    action: string;
    target: string | null;
    requestId: string | null;
    details: Record<string, string>;
  }[];
}

describe('bull-board actions', () => {
  describe('read-only (the default)', () => {
    const kit = new GatewayTestKit();
    let queue: Queue;
    let delayed: Job;

    beforeAll(async () => {
      await kit.start();
      queue = queueOf(kit, QueueName.DelegationCheck);
      delayed = await queue.add('check', { tenantId: 'read-only' }, { delay: 3_600_000 });
    });
    afterAll(async () => {
      await kit.close();
    });

    it.each([
      ['pause a queue', 'PUT', `/pause`],
      ['clean a queue', 'PUT', `/clean/delayed`],
      ['empty a queue', 'PUT', `/empty`],
      ['promote a job', 'PUT', `/:job/promote`],
      ['add a job', 'POST', `/add`],
    ])('refuses to %s with 403 problem+json, and nothing changes', async (_what, method, suffix) => {
      const path = `${BOARD_API}/${QueueName.DelegationCheck}${suffix.replace(':job', String(delayed.id))}`;
      const answer = await kit.request(method, path, {
        body: method === 'POST' ? { name: 'check', data: { tenantId: 'x' } } : undefined,
      });
      expect([answer.status, answer.contentType]).toEqual([403, 'application/problem+json; charset=utf-8']);
      expect(answer.body).toMatchObject({ status: 403, title: 'Forbidden' });
      expect(answer.body.detail).toContain('QUEUE_BOARD_ACTIONS');
      expect(await queue.isPaused()).toBe(false);
      expect(await queue.getJobCounts('delayed', 'waiting')).toMatchObject({ delayed: 1, waiting: 0 });
      expect(await (await queue.getJob(String(delayed.id)))?.getState()).toBe('delayed');
    });

    it('refuses an action on every queue too', async () => {
      expect((await kit.request('PUT', `${BOARD_API}/pause`)).status).toBe(403);
      expect(await queue.isPaused()).toBe(false);
    });

    it('records nothing, and still shows every queue, marked read-only for the UI', async () => {
      expect(await boardAudit(kit)).toEqual([]);
      const listed = await kit.request('GET', BOARD_API);
      expect(listed.status).toBe(200);
      const queues = listed.body.queues as { name: string; readOnlyMode: boolean }[];
      expect(queues.map((entry) => entry.name).sort()).toEqual(Object.values(QueueName).sort());
      expect(queues.every((entry) => entry.readOnlyMode)).toBe(true);
    });
  });

  describe('with QUEUE_BOARD_ACTIONS=true', () => {
    const kit = new GatewayTestKit();
    let queue: Queue;

    beforeAll(async () => {
      await kit.start({ QUEUE_BOARD_ACTIONS: 'true' });
      queue = queueOf(kit, QueueName.DelegationCheck);
    });
    afterAll(async () => {
      await kit.close();
    });

    it('pauses a queue and audits it with the admin key that did it', async () => {
      const answer = await kit.request('PUT', `${BOARD_API}/${QueueName.DelegationCheck}/pause`, {
        key: SECOND_ADMIN_KEY,
      });
      expect(answer.status).toBe(200);
      expect(await queue.isPaused()).toBe(true);
      expect(await boardAudit(kit)).toEqual([
        expect.objectContaining({
          actor: adminKeyFingerprint(SECOND_ADMIN_KEY),
          action: 'queue_board.pause',
          target: `queue:${QueueName.DelegationCheck}`,
          requestId: answer.headers.get('x-request-id'),
          details: {
            method: 'PUT',
            route: '/api/queues/:queueName/pause',
            queue: QueueName.DelegationCheck,
          },
        }),
      ]);
    });

    it('promotes a delayed job and audits it as an action on that job', async () => {
      const delayed = await queue.add('check', { tenantId: 'actions' }, { delay: 3_600_000 });
      const answer = await kit.request(
        'PUT',
        `${BOARD_API}/${QueueName.DelegationCheck}/${String(delayed.id)}/promote`,
      );
      expect(answer.status).toBe(204);
      expect(await (await queue.getJob(String(delayed.id)))?.getState()).not.toBe('delayed');
      const [latest] = await boardAudit(kit);
      expect(latest).toMatchObject({
        actor: adminKeyFingerprint(ADMIN_KEY),
        action: 'queue_board.job_promote',
        target: `job:${QueueName.DelegationCheck}/${String(delayed.id)}`,
      });
    });

    it('cleans a queue and audits the status it cleaned', async () => {
      // bull-board cleans only jobs older than 5 s.
      await queue.add('check', { tenantId: 'clean' }, { delay: 3_600_000, timestamp: Date.now() - 60_000 });
      const answer = await kit.request('PUT', `${BOARD_API}/${QueueName.DelegationCheck}/clean/delayed`);
      expect(answer.status).toBe(200);
      expect(await queue.getDelayedCount()).toBe(0);
      const [latest] = await boardAudit(kit);
      expect(latest).toMatchObject({ action: 'queue_board.clean', details: { status: 'delayed' } });
    });

    it('audits nothing for reads, and refuses an action without a valid admin key before recording it', async () => {
      const before = (await boardAudit(kit)).length;
      expect((await kit.request('GET', BOARD_API)).status).toBe(200);
      for (const key of [null, 'not-an-admin-key-0123456789abcdef']) {
        const answer = await kit.request('PUT', `${BOARD_API}/${QueueName.DelegationCheck}/resume`, { key });
        expect(answer.status).toBe(401);
      }
      expect(await queue.isPaused()).toBe(true);
      expect(await boardAudit(kit)).toHaveLength(before);
    });
  });
});
