import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, findBreakingChanges, lexicographicSortSchema, printSchema } from 'graphql';
import { buildAppSchema } from '../../src/schema/build';

/** The project's copy of shared/spec/contract.graphql: clients are written against it. */
const contract = buildSchema(fs.readFileSync(path.join(__dirname, 'contract.graphql'), 'utf8'));

describe('the served schema', () => {
  it('keeps every name, argument and type of the public contract', async () => {
    const served = await buildAppSchema();
    expect(findBreakingChanges(contract, served).map((c) => `${c.type}: ${c.description}`)).toEqual([]);
  });

  it('describes every field of the contract (formula and unit live in the descriptions)', async () => {
    const served = await buildAppSchema();
    const undocumented: string[] = [];
    for (const [name, type] of Object.entries(served.getTypeMap())) {
      if (name.startsWith('__') || !('getFields' in type) || !contract.getType(name)) continue;
      const contractType = contract.getType(name) as typeof type;
      for (const field of Object.keys(contractType.getFields())) {
        const servedField = type.getFields()[field];
        const needsDoc = [
          'Risk',
          'AssetRisk',
          'Position',
          'Balance',
          'Wallet',
          'Eligibility',
          'LiquidationPrice',
        ].includes(name);
        if (needsDoc && !servedField.description) undocumented.push(`${name}.${field}`);
      }
    }
    expect(undocumented).toEqual([]);
    expect(printSchema(lexicographicSortSchema(served))).toContain('accountEquity / accountMaintMargin');
  });
});
