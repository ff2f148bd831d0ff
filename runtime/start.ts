// `npm start` (node dist/runtime/start.js): the server under the node flags runtime/gc-mode.ts
// decides for this environment (POLICY_SERVER_GC; docs/deploy.md). Node takes those flags only on
// its command line, so when they are missing the server runs as a child of this process with
// them, this process passing on SIGTERM, SIGINT and SIGHUP and ending as the child ends; when none
// are missing the server runs in this process. This file imports nothing heavy: the waiting
// parent stays a bare node process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serverNodeFlags } from './gc-mode.js';

let missing: string[];
try {
  missing = serverNodeFlags(process.env).filter((f) => !process.execArgv.includes(f));
} catch (e) {
  process.stderr.write(`cannot start: ${(e as Error).message}\n`);
  process.exit(1);
}

if (!missing.length) {
  const { main } = await import('./server.js');
  await main();
} else {
  const serverJs = fileURLToPath(new URL('./server.js', import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, ...missing, serverJs, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => { child.kill(signal); });
  child.on('error', (e) => { process.stderr.write(`cannot start: ${e.message}\n`); process.exit(1); });
  // the child's end is this process's: its exit code, or the signal that ended it
  child.on('exit', (code, signal) => {
    if (signal) { process.removeAllListeners(signal); process.kill(process.pid, signal); } else process.exit(code ?? 1);
  });
}
