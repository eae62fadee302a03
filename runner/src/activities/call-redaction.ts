/**
 * What a call returns and how it fails, with credentials and secret values cut out: servers echo
 * what they were sent. Shared by every call kind that sends secrets or authenticates.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { HttpOutputFormat } from '../contract/index.ts';
import { secretRedactor } from './http/secrets.ts';

/**
 * A failure rebuilt with secret values cut out of its message and details. Rebuilt rather than
 * edited: the original's stack trace (which Temporal records) starts with the original message.
 */
export function redactFailure(error: unknown, redact: (text: string) => string): ApplicationFailure {
  if (error instanceof ApplicationFailure) {
    return ApplicationFailure.create({
      type: error.type ?? 'Error',
      message: redact(error.message),
      nonRetryable: error.nonRetryable ?? false,
      details: error.details?.map((detail) => redactDeep(detail, redact)),
      ...(error.nextRetryDelay !== undefined && error.nextRetryDelay !== null ? { nextRetryDelay: error.nextRetryDelay } : {}),
    });
  }
  const plain = error instanceof Error ? error : new Error(String(error));
  return ApplicationFailure.create({ type: plain.name, message: redact(plain.message) });
}

/**
 * A response to a request that carried secrets, with them cut out wherever a server echoed them.
 * A raw body is redacted as bytes (its Latin-1 view), since its base64 hides the secret at any offset.
 */
export function redactOutput(output: unknown, format: HttpOutputFormat, redact: (text: string) => string): unknown {
  if (format === 'raw' && typeof output === 'string') {
    return Buffer.from(redact(Buffer.from(output, 'base64').toString('latin1')), 'latin1').toString('base64');
  }
  return redactDeep(output, redact);
}

export function redactDeep(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redact(key), redactDeep(item, redact)]));
  }
  return value;
}

/** The credentials and tokens one call used (renewed ones included), and a redactor cutting them out. */
export interface CallCredentials {
  readonly values: string[];
  redact(text: string): string;
}

export function collectCredentials(): CallCredentials {
  const values: string[] = [];
  let cut: { readonly count: number; readonly redact: (text: string) => string } | undefined;
  return {
    values,
    redact(text) {
      if (cut?.count !== values.length) cut = { count: values.length, redact: secretRedactor(values) };
      return cut.redact(text);
    },
  };
}
