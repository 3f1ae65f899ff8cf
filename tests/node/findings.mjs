// How the node checks (tests/grafana, tests/docker, tests/helm) report: a list of findings,
// printed and failing when there is any, or, with --expect FILE, compared with the lines of FILE
// so that a negative fixture proves each check finds what it should (and nothing else).
import fs from 'node:fs';

// Splits `--expect FILE` off the arguments: { expected: lines or null, rest: other arguments }.
export function expectArgument(argv) {
  if (argv[0] !== '--expect') return { expected: null, rest: argv };
  const expected = fs.readFileSync(argv[1], 'utf8').split('\n').filter((l) => l.trim() !== '');
  return { expected, rest: argv.slice(2) };
}

// Prints the findings (or their difference from `expected`); returns the exit code.
export function report(findings, expected, summary) {
  if (expected === null) {
    for (const finding of findings) console.log(finding);
    console.log(`${summary}: ${findings.length} findings`);
    return findings.length === 0 ? 0 : 1;
  }
  const missing = expected.filter((l) => !findings.includes(l));
  const extra = findings.filter((l) => !expected.includes(l));
  for (const l of missing) console.log(`expected but not found: ${l}`);
  for (const l of extra) console.log(`found but not expected: ${l}`);
  return missing.length === 0 && extra.length === 0 ? 0 : 1;
}
