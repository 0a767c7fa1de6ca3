// The rules live in libs/redaction, below this lib, so that span redaction (libs/tracing) shares them.
export {
  configSecrets,
  isSensitiveField,
  redactFields,
  redactLogLine,
  redactText,
  redactValue,
  REDACTED,
  type RedactionOptions,
} from '@gw/redaction';
