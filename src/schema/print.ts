import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildAppSchema } from './build';

export const SCHEMA_FILE_HEADER =
  '# The served schema, generated from the code by `npm run schema`: do not edit by hand.\n' +
  '# The public contract (names binding) is test/contract/contract.graphql.\n\n';

/** The served schema as SDL, types and fields sorted so that a change shows as a small diff. */
export async function printServedSchema(): Promise<string> {
  return SCHEMA_FILE_HEADER + printSchema(lexicographicSortSchema(await buildAppSchema())) + '\n';
}
