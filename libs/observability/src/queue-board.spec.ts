import { queueBoardAction } from './queue-board';

describe('queueBoardAction', () => {
  it.each([
    [
      'PUT',
      '/api/queues/:queueName/pause',
      'queue_board.pause',
      { queueName: 'consent-create' },
      'queue:consent-create',
    ],
    [
      'PUT',
      '/api/queues/:queueName/clean/:queueStatus',
      'queue_board.clean',
      { queueName: 'consent-create', queueStatus: 'completed' },
      'queue:consent-create',
    ],
    ['PUT', '/api/queues/pause', 'queue_board.pause_all', {}, undefined],
    [
      'POST',
      '/api/queues/:queueName/add',
      'queue_board.add',
      { queueName: 'webhook-delivery' },
      'queue:webhook-delivery',
    ],
    [
      'PUT',
      '/api/queues/:queueName/:jobId/retry',
      'queue_board.job_retry',
      { queueName: 'consent-status', jobId: '42' },
      'job:consent-status/42',
    ],
    [
      'PATCH',
      '/api/queues/:queueName/:jobId/update-data',
      'queue_board.job_update_data',
      { queueName: 'consent-status', jobId: '42' },
      'job:consent-status/42',
    ],
    [
      'PUT',
      '/api/queues/:queueName/job-schedulers/:schedulerId/remove',
      'queue_board.job_schedulers_remove',
      { queueName: 'webhook-relay', schedulerId: 'relay' },
      'queue:webhook-relay',
    ],
  ])('%s %s is %s', (method, route, action, params, target) => {
    const recorded = queueBoardAction(method, route, params);
    expect([recorded.action, recorded.target]).toEqual([action, target]);
    expect(recorded.details).toMatchObject({ method, route });
  });

  it('names the queue, the job, the status and the scheduler, and nothing of the body', () => {
    expect(
      queueBoardAction('PUT', '/api/queues/:queueName/clean/:queueStatus', {
        queueName: 'consent-create',
        queueStatus: 'failed',
      }).details,
    ).toEqual({
      method: 'PUT',
      route: '/api/queues/:queueName/clean/:queueStatus',
      queue: 'consent-create',
      status: 'failed',
    });
  });
});
