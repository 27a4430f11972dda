import fs from 'node:fs';
import path from 'node:path';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLSchema,
} from 'graphql';
import { buildAppSchema } from '../../src/schema/build';
import { printServedSchema } from '../../src/schema/print';

const SCHEMA_FILE = path.join(__dirname, '../../schema.graphql');

/** Every field, argument, input field and enum value of the served schema that has no description. */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args)
          if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        if (!field.description) missing.push(`${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues())
        if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
  }
  return missing;
}

describe('schema.graphql', () => {
  it('is the served schema (after a schema change, run `npm run schema` and commit schema.graphql)', async () => {
    const committed = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
    const served = await printServedSchema();
    if (committed !== served) {
      throw new Error(
        'schema.graphql differs from the schema the code serves: run `npm run schema` and commit schema.graphql',
      );
    }
  });

  it('describes every field, argument, input field and enum value', async () => {
    expect(undescribed(await buildAppSchema())).toEqual([]);
  });
});
