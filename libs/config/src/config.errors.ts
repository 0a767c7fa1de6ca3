/** Thrown when the environment does not satisfy a process's configuration schema. */
export class ConfigError extends Error {
  readonly code = 'config.invalid';
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(
      `Invalid configuration: ${issues.map((issue) => `${issue.variable}: ${issue.message}`).join('; ')}`,
    );
  }
}
