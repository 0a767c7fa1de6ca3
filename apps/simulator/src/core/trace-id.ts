import { randomBytes } from 'node:crypto';

export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}
