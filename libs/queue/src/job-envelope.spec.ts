import { UnrecoverableError } from 'bullmq';
import { jobOf, parseJob } from './job-envelope';
import { QueueName } from './queue-names';

const TENANT = '0192f3a4-5b6c-7d8e-9f01-a12345678901';
const CONSENT = '0192f3a4-0000-7d8e-9f01-a12345678901';

describe('parseJob', () => {
  it('gives the name and the payload with its tenant id checked', () => {
    const job = {
      id: CONSENT,
      name: 'create',
      data: { tenantId: TENANT, consentId: CONSENT, announce: true },
    };
    expect(parseJob(QueueName.ConsentCreate, job)).toEqual({
      name: 'create',
      payload: { tenantId: TENANT, consentId: CONSENT, announce: true },
    });
  });

  it('reads each job of a queue by its own name', () => {
    const feed = { id: 'f', name: 'feed', data: { kind: 'feed', tenantId: TENANT } };
    expect(parseJob(QueueName.ConsentStatus, feed)).toEqual({ name: 'feed', payload: feed.data });
    expect(parseJob(QueueName.ConsentCreate, { id: 's', name: 'sweep', data: undefined })).toEqual({
      name: 'sweep',
      payload: {},
    });
  });

  it('fails a payload whose tenant id is no tenant id for good, naming the field', () => {
    const job = { id: '7', name: 'token', data: { tenantId: 't-1', consentId: CONSENT, scope: 's' } };
    expect(() => parseJob(QueueName.ConsentToken, job)).toThrow(UnrecoverableError);
    expect(() => parseJob(QueueName.ConsentToken, job)).toThrow(
      'consent-token job 7 (token) has a bad payload: tenantId: must be a tenant id (UUID)',
    );
  });

  it('fails a job whose payload does not match its name', () => {
    const job = { id: '8', name: 'expire', data: { kind: 'refresh', tenantId: TENANT, consentId: CONSENT } };
    expect(() => parseJob(QueueName.ConsentStatus, job)).toThrow(
      /consent-status job 8 \(expire\) has a bad payload: kind/,
    );
  });

  it('fails a job of a name the queue does not know', () => {
    expect(() => parseJob(QueueName.WebhookDelivery, { id: '9', name: 'toString', data: {} })).toThrow(
      'webhook-delivery job 9 has an unknown name "toString"',
    );
  });
});

describe('jobOf', () => {
  it('builds the job to add, options only when given', () => {
    expect(
      jobOf(QueueName.ConsentToken, 'token', { tenantId: TENANT, consentId: CONSENT, scope: 's' }),
    ).toEqual({
      name: 'token',
      data: { tenantId: TENANT, consentId: CONSENT, scope: 's' },
    });
    expect(jobOf(QueueName.WebhookRelay, 'relay', {}, { delay: 5 })).toEqual({
      name: 'relay',
      data: {},
      opts: { delay: 5 },
    });
  });
});
