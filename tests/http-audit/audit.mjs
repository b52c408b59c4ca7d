// Audits a running schoolnet against the GraphQL-over-HTTP spec; exits 1 on any failed check.
import { auditServer } from 'graphql-http';
const url = process.argv[2];
const results = await auditServer({ url });
let errors = 0, warnings = 0;
for (const r of results) {
  if (r.status === 'ok') continue;
  if (r.status === 'error') errors++; else warnings++;
  console.log(`${r.status.toUpperCase()} ${r.id} ${r.name}: ${r.reason}`);
}
console.log(`${results.length - errors - warnings} passed, ${errors} failed, ${warnings} warnings`);
process.exit(errors > 0 ? 1 : 0);
