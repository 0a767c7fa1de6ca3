export {
  mountOperatorConsole,
  CONSOLE_CONTENT_SECURITY_POLICY,
  DEFAULT_SESSION_LIFETIME,
  type OperatorConsoleOptions,
} from './operator-console';
export { CONSOLE_PATH } from './views/layout';
export { type SessionLifetime } from './domain/session-expiry';
