/**
 * The custom search attributes the tests' dev server registers (Zigflow's metadata.searchAttributes
 * cases upsert them). A server given through BATON_TEST_TEMPORAL_ADDRESS must have them too.
 */
import type { DevSearchAttributeType } from '../runner/src/temporal/dev-server.ts';

export const TEST_SEARCH_ATTRIBUTES: Readonly<Record<string, DevSearchAttributeType>> = {
  BatonTestKeyword: 'Keyword',
  BatonTestInt: 'Int',
  BatonTestDouble: 'Double',
  BatonTestBool: 'Bool',
  BatonTestDatetime: 'Datetime',
  BatonTestKeywordList: 'KeywordList',
  BatonTestText: 'Text',
};
