import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { printServedSchema } from '../src/schema/print';

/** `npm run schema`: writes schema.graphql, the served schema, from the code (commit it with the change). */
async function main(): Promise<void> {
  const file = path.join(__dirname, '..', 'schema.graphql');
  fs.writeFileSync(file, await printServedSchema());
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
