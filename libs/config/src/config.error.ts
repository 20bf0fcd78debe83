/**
 * The one error type of @tongban/config. `key` names the failing setting exactly (a config path
 * such as `alliance.agreements[2].items[0].promisedLimit.unit`, or an environment variable such as
 * `AMQP_URL` when the bad value came from the environment) so an operator can fix it without
 * reading code; boot code can also match on it.
 */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    /** What is wrong and what is expected, without the key: lets callers add context and rethrow. */
    readonly problem: string,
  ) {
    super(`Invalid configuration at ${key}: ${problem}`);
    this.name = 'ConfigError';
  }
}
