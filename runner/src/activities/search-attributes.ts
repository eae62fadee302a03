/** Lists the search attributes the worker's namespace has registered, for the interpreter's upserts. */
import type { NativeConnection } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import type { SearchAttributeKind } from '@baton/dsl/runtime';
import type { RegisteredSearchAttributes, SearchAttributeActivities } from '../contract/index.ts';

const { IndexedValueType } = temporal.api.enums.v1;

const KINDS: ReadonlyMap<number, SearchAttributeKind> = new Map([
  [IndexedValueType.INDEXED_VALUE_TYPE_TEXT, 'text'],
  [IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, 'keyword'],
  [IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST, 'keywordlist'],
  [IndexedValueType.INDEXED_VALUE_TYPE_INT, 'int'],
  [IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE, 'double'],
  [IndexedValueType.INDEXED_VALUE_TYPE_BOOL, 'bool'],
  [IndexedValueType.INDEXED_VALUE_TYPE_DATETIME, 'datetime'],
]);

export function createSearchAttributeActivities(connection: NativeConnection, namespace: string): SearchAttributeActivities {
  return {
    async registeredSearchAttributes() {
      const answer = await connection.operatorService.listSearchAttributes({ namespace });
      const registered: Record<string, SearchAttributeKind> = {};
      for (const table of [answer.systemAttributes, answer.customAttributes]) {
        for (const [name, type] of Object.entries(table ?? {})) {
          const kind = KINDS.get(type);
          if (kind) registered[name] = kind;
        }
      }
      return registered satisfies RegisteredSearchAttributes;
    },
  };
}
