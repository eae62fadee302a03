/**
 * Secret values the runner holds for `$secrets`: from `BATON_SECRET_<NAME>` environment variables
 * and a JSON secrets file. They are read by the HTTP activity only, never by workflow code, and
 * every text the activity sends back has them cut out.
 */

export interface SecretValues {
  /** The secrets file's object, keyed by the `use.secrets` name exactly as written. */
  readonly file: Readonly<Record<string, unknown>>;
  /** `BATON_SECRET_*` variables, keyed by their normalised suffix (see secretEnvName). */
  readonly env: Readonly<Record<string, string>>;
}

export const NO_SECRETS: SecretValues = { file: {}, env: {} };

export const SECRET_ENV_PREFIX = 'BATON_SECRET_';

/** `apiToken` → `APITOKEN`, `github.token` → `GITHUB_TOKEN`: upper case, non-alphanumerics → `_`. */
export function normaliseSecretName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** The environment variable holding the secret a document declares as `name`. */
export function secretEnvName(name: string): string {
  return SECRET_ENV_PREFIX + normaliseSecretName(name);
}

/** The `BATON_SECRET_*` entries of an environment, keyed by normalised suffix; empty values are unset. */
export function secretsFromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith(SECRET_ENV_PREFIX) || value === undefined || value === '') continue;
    const suffix = key.slice(SECRET_ENV_PREFIX.length);
    if (suffix !== '') found[normaliseSecretName(suffix)] = value;
  }
  return found;
}

/** The value for a declared name: the environment variable wins over the secrets file. */
export function lookupSecret(values: SecretValues, name: string): unknown {
  const key = normaliseSecretName(name);
  if (Object.hasOwn(values.env, key)) return values.env[key];
  return Object.hasOwn(values.file, name) ? values.file[name] : undefined;
}

const REDACTED = '***';

/**
 * Cuts every secret value out of a text, also in the encodings a request, an error message or an
 * echoing server gives it (percent-encoding, form encoding, JSON string escapes, base64,
 * base64url, hex, and its UTF-8 bytes read as Latin-1 for raw bodies). Longest first, so a secret
 * that contains another is cut whole. Defence in depth: the payload codec is what keeps history
 * unreadable; this keeps secrets out of what callers and the Web UI are shown.
 */
export function secretRedactor(secrets: readonly unknown[]): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    for (const leaf of stringLeaves(secret)) {
      if (leaf === '') continue;
      forms.add(leaf);
      forms.add(encodeURIComponent(leaf));
      forms.add(encodeURI(leaf));
      forms.add(new URLSearchParams({ v: leaf }).toString().slice(2));
      forms.add(JSON.stringify(leaf).slice(1, -1));
      const bytes = Buffer.from(leaf, 'utf8');
      forms.add(bytes.toString('base64'));
      forms.add(bytes.toString('base64url'));
      forms.add(bytes.toString('hex'));
      forms.add(bytes.toString('hex').toUpperCase());
      forms.add(bytes.toString('latin1'));
    }
  }
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  return (text) => {
    let result = text;
    for (const form of ordered) result = result.split(form).join(REDACTED);
    return result;
  };
}

function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringLeaves);
  return [];
}
