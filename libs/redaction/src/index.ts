export {
  applyTextRules,
  configSecrets,
  isSensitiveField,
  redactFields,
  redactLogLine,
  redactText,
  redactValue,
  REDACTED,
  type RedactionOptions,
} from './redaction';
