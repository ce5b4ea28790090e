#!/usr/bin/env node
// Sums the vitest JSON reports every package writes to test-results/vitest.json and prints the
// plain line CI reads: "N passed, N failed".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
const missing = [];
for (const dir of ['packages', 'apps']) {
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const pkg = join(dir, name, 'package.json');
    if (!existsSync(pkg) || !JSON.parse(readFileSync(pkg, 'utf8')).scripts?.test) continue;
    const file = join(dir, name, 'test-results', 'vitest.json');
    if (!existsSync(file)) {
      missing.push(`${dir}/${name}`);
      continue;
    }
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    // A suite that fails to load has no failed tests of its own: count the suite.
    if (!report.numFailedTests && report.numFailedTestSuites) failed += report.numFailedTestSuites;
  }
}
if (missing.length > 0) {
  process.stderr.write(
    `[heaplab] no test results from: ${missing.join(', ')} (counted as one failure each)\n`,
  );
  failed += missing.length;
}
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 ? 1 : 0);
