/** The names documents use for the languages Baton runs scripts in (Zigflow and the spec examples say `js`). */
import type { ScriptLanguage } from '../plan.ts';

const LANGUAGES: Readonly<Record<string, ScriptLanguage>> = { js: 'js', javascript: 'js', python: 'python', python3: 'python' };

export function scriptLanguage(written: string): ScriptLanguage | undefined {
  return Object.hasOwn(LANGUAGES, written.toLowerCase()) ? LANGUAGES[written.toLowerCase()] : undefined;
}
