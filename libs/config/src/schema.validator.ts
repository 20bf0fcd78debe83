import 'reflect-metadata';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { ValidateBy, validateSync, type ValidationArguments, type ValidationError, type ValidationOptions } from 'class-validator';
import { ConfigError } from './config.error';

/**
 * Runs class-validator over one plain JSON value and turns the first failure into a ConfigError
 * naming the full key path, so every layer reports errors the same way.
 */

/** Where a config path's value came from, when not from the file: path → env variable name. */
export type KeySources = ReadonlyMap<string, string>;

export interface SchemaContext {
  /** Key path of `plain` itself ('' for the root of the gateway file). */
  readonly at: string;
  readonly sources?: KeySources;
  /** Paths whose values must never be echoed (they may hold credentials). */
  readonly secret?: ReadonlySet<string>;
}

export function validateSchema<T extends object>(schema: ClassConstructor<T>, plain: unknown, ctx: SchemaContext): T {
  if (!isPlainObject(plain)) {
    throw configError(ctx.at || '(root)', 'must be a JSON object', plain, ctx);
  }
  const instance = plainToInstance(schema, plain);
  const errors = validateSync(instance, {
    // Unknown keys are errors, not silently ignored: a misspelt setting would otherwise fall back
    // to nothing and surface much later as a puzzling runtime behaviour.
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: true },
  });
  if (errors.length > 0) {
    const failure = firstFailure(errors, ctx.at);
    throw configError(failure.path, failure.problem, failure.value, ctx);
  }
  return instance;
}

/** Builds a ConfigError, reporting the env variable if the value came from one, and echoing the value unless secret. */
export function configError(path: string, problem: string, value: unknown, ctx: Pick<SchemaContext, 'sources' | 'secret'> = {}): ConfigError {
  const envName = ctx.sources?.get(path);
  const key = envName ?? path;
  const where = envName ? ` (sets ${path})` : '';
  const secret = ctx.secret?.has(path) ?? false;
  const got = secret || value === undefined ? '' : `; got ${preview(value)}`;
  return new ConfigError(key, `${problem}${where}${got}`);
}

export function joinPath(parent: string, property: string | number): string {
  if (typeof property === 'number' || /^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// Messages for the constraints class-validator adds itself (not from our decorators).
const BUILT_IN_MESSAGES: Record<string, string> = {
  whitelistValidation: 'is not a known setting here (misspelt or misplaced?); remove it',
  nestedValidation: 'must be an object (or an array of objects) of the documented shape',
  unknownValue: 'must be an object of the documented shape',
};

interface Failure {
  path: string;
  problem: string;
  value: unknown;
}

function firstFailure(errors: ValidationError[], at: string): Failure {
  for (const error of errors) {
    const path = joinPath(at, error.property);
    const names = Object.keys(error.constraints ?? {});
    if (names.length > 0) {
      // "missing" explains more than "must be an integer" when the key is simply absent.
      const name = error.value === undefined && names.includes('isDefined') ? 'isDefined' : names[0];
      const message = BUILT_IN_MESSAGES[name] ?? error.constraints![name];
      return { path, problem: error.value === undefined ? `is missing; ${message}` : message, value: error.value };
    }
    if (error.children && error.children.length > 0) return firstFailure(error.children, path);
  }
  return { path: at || '(root)', problem: 'is invalid', value: undefined };
}

/** A one-off constraint with a message that states what is expected. */
export function Satisfies(
  name: string,
  predicate: (value: unknown, object: Record<string, unknown>) => boolean,
  message: string | ((args: ValidationArguments) => string),
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => predicate(value, (args?.object ?? {}) as Record<string, unknown>),
        defaultMessage: (args?: ValidationArguments) => (typeof message === 'string' ? message : message(args!)),
      },
    },
    options,
  );
}

/** `{ message }` shorthand: every decorator says what is expected, without the property name. */
export function msg(message: string, each = false): ValidationOptions {
  return each ? { message, each } : { message };
}
