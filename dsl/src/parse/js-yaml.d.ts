/** The slice of js-yaml 4 (which ships no types) that the fast parse path uses. */
declare module 'js-yaml' {
  export interface Schema {
    readonly __brand: 'js-yaml.Schema';
  }
  export const CORE_SCHEMA: Schema;
  export function load(source: string, options?: { schema?: Schema; json?: boolean }): unknown;
}
