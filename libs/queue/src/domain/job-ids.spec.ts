import { jobIds, schedulerIds } from './job-ids';

const CONSENT = '0192f3a4-5b6c-7d8e-9f01-a12345678901';
const TENANT = '0192f3a4-0000-7d8e-9f01-a12345678901';

describe('jobIds', () => {
  it.each([
    ['consentCreation', jobIds.consentCreation(CONSENT), CONSENT],
    ['consentExpiry', jobIds.consentExpiry(CONSENT), `expire-${CONSENT}`],
    ['consentEarlyRefresh', jobIds.consentEarlyRefresh(CONSENT, 2), `refresh-${CONSENT}-2`],
    ['webhookDelivery', jobIds.webhookDelivery(CONSENT), CONSENT],
    ['restoredDelegationCheck', jobIds.restoredDelegationCheck(TENANT), `restored-check-${TENANT}`],
  ])('%s keeps the id format jobs already in Redis carry', (_kind, id, expected) => {
    expect(id).toBe(expected);
  });

  it('builds no id BullMQ would refuse (a custom job id may not hold ":")', () => {
    const ids = [
      jobIds.consentCreation(CONSENT),
      jobIds.consentExpiry(CONSENT),
      jobIds.consentEarlyRefresh(CONSENT, 0),
      jobIds.webhookDelivery(CONSENT),
      jobIds.restoredDelegationCheck(TENANT),
    ];
    for (const id of ids) expect(id).not.toContain(':');
  });

  it('gives each step of the early schedule and the expiry of one consent an id of its own', () => {
    const ids = [0, 1, 2].map((attempt) => jobIds.consentEarlyRefresh(CONSENT, attempt));
    expect(new Set([...ids, jobIds.consentExpiry(CONSENT)]).size).toBe(4);
  });

  it('is pure: the same work gets the same id', () => {
    expect(jobIds.consentEarlyRefresh(CONSENT, 1)).toBe(jobIds.consentEarlyRefresh(CONSENT, 1));
  });
});

describe('schedulerIds', () => {
  it('keeps the scheduler ids Redis already holds', () => {
    expect(schedulerIds.consentFeed(TENANT)).toBe(`feed:${TENANT}`);
    expect(schedulerIds.pendingSweep()).toBe('sweep-pending');
    expect(schedulerIds.webhookRelay()).toBe('webhook-relay');
  });
});
