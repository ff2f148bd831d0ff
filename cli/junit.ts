// JUnit XML for CI: one <testsuite> per policy version (and suite file), one <testcase> per
// scenario, a <failure> with expected and actual values for each failing scenario, an <error>
// for each scenario that could not run (its policy or its suite file does not compile).
import { hostname } from 'node:os';

export interface JUnitCase { name: string; classname: string; file?: string; line?: number; time: number;
  failure?: { message: string; type: string; body: string }; error?: { message: string; type: string; body: string } }
export interface JUnitSuite { name: string; file: string; time: number; timestamp: Date; cases: JUnitCase[]; properties?: Record<string, string> }

export function xmlEscape(s: string): string {
  return s
    // characters XML 1.0 cannot carry at all
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const secs = (t: number) => t.toFixed(3);
/** JUnit's timestamp: ISO 8601 without a zone (the schema allows none); we write UTC. */
const stamp = (d: Date) => d.toISOString().slice(0, 19);

export function junitXml(suites: JUnitSuite[], name = 'policy test', host = hostname()): string {
  const count = (s: JUnitSuite, k: 'failure' | 'error') => s.cases.filter((c) => c[k]).length;
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + count(s, 'failure'), 0);
  const errors = suites.reduce((n, s) => n + count(s, 'error'), 0);
  const time = suites.reduce((n, s) => n + s.time, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(name)}" tests="${tests}" failures="${failures}" errors="${errors}" time="${secs(time)}"${suites[0] ? ` timestamp="${stamp(suites[0].timestamp)}"` : ''}>`,
  ];
  for (const s of suites) {
    lines.push(`  <testsuite name="${xmlEscape(s.name)}" file="${xmlEscape(s.file)}" tests="${s.cases.length}" failures="${count(s, 'failure')}" errors="${count(s, 'error')}" skipped="0" time="${secs(s.time)}" timestamp="${stamp(s.timestamp)}" hostname="${xmlEscape(host)}">`);
    if (s.properties && Object.keys(s.properties).length) {
      lines.push('    <properties>');
      for (const [k, v] of Object.entries(s.properties)) lines.push(`      <property name="${xmlEscape(k)}" value="${xmlEscape(v)}"/>`);
      lines.push('    </properties>');
    }
    for (const c of s.cases) {
      const attrs = `name="${xmlEscape(c.name)}" classname="${xmlEscape(c.classname)}"${c.file ? ` file="${xmlEscape(c.file)}"` : ''}${c.line ? ` line="${c.line}"` : ''} time="${secs(c.time)}"`;
      const problem = c.failure ? ['failure', c.failure] as const : c.error ? ['error', c.error] as const : undefined;
      if (!problem) { lines.push(`    <testcase ${attrs}/>`); continue; }
      const [tag, p] = problem;
      lines.push(`    <testcase ${attrs}>`);
      lines.push(`      <${tag} message="${xmlEscape(p.message)}" type="${xmlEscape(p.type)}">${xmlEscape(p.body)}</${tag}>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
