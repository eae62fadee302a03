/**
 * The custom search attributes the tests' dev server registers (Zigflow's metadata.searchAttributes
 * cases upsert them) and Baton's own. A server given through BATON_TEST_TEMPORAL_ADDRESS must have them too.
 */
import { BATON_SEARCH_ATTRIBUTE_TYPES } from '../runner/src/contract/index.ts';
import type { DevSearchAttributeType } from '../runner/src/temporal/dev-server.ts';

export const TEST_SEARCH_ATTRIBUTES: Readonly<Record<string, DevSearchAttributeType>> = {
  // Baton's own, as `bun run local` registers them: the tests run what a person runs.
  ...BATON_SEARCH_ATTRIBUTE_TYPES,
  BatonTestKeyword: 'Keyword',
  BatonTestInt: 'Int',
  BatonTestDouble: 'Double',
  BatonTestBool: 'Bool',
  BatonTestDatetime: 'Datetime',
  BatonTestKeywordList: 'KeywordList',
  BatonTestText: 'Text',
};
