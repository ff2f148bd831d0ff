// The worker thread of the embedded store (see runtime/sql/pglite-thread.ts): opens PGlite in
// the folder it is given and runs what the server's thread sends, one message per call. A
// transaction stays open here between its `begin` and its `end`; PGlite itself makes other
// statements wait for it, as it does in one thread.
import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { openPgliteDb, PglitePrepared } from './pglite.js';
import type { PgliteReply, PgliteRequest } from './pglite-thread.js';
import { checkSchemaName } from './types.js';

const port = parentPort!;
const send = (m: PgliteReply) => port.postMessage(m);

/** An error's message and its own fields (PostgreSQL's code, detail, constraint …), as data. */
function plain(e: unknown): Record<string, unknown> & { message: string } {
  if (!(e instanceof Error)) return { message: String(e) };
  const out: Record<string, unknown> & { message: string } = { message: e.message };
  for (const [k, v] of Object.entries(e)) if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = v;
  return out;
}

interface OpenTx { tx: Transaction; end(commit: boolean, request: number): void }

async function main(): Promise<void> {
  let db: PGlite;
  try {
    db = await openPgliteDb(workerData as { dir: string; schema?: string });
  } catch (e) {
    send({ failed: plain(e) });
    return;
  }
  const prepared = new PglitePrepared(db);
  const txs = new Map<number, OpenTx>();
  const unlisten = new Map<number, () => Promise<void>>();
  let nextTx = 0;
  let nextListener = 0;

  /** Opens a transaction and answers its number; it commits (or rolls back) at its `end`, which is answered then. */
  const begin = (id: number) => {
    const n = ++nextTx;
    let begun = false;
    let endId = 0;
    db.transaction(async (tx) => {
      begun = true;
      const commit = await new Promise<boolean>((resolve) => {
        txs.set(n, { tx, end: (c, request) => { endId = request; resolve(c); } });
        send({ id, ok: true, tx: n });
      });
      txs.delete(n);
      if (!commit) await tx.rollback();
    }).then(() => send({ id: endId, ok: true }), (e: unknown) => {
      txs.delete(n);
      send({ id: begun ? endId : id, ok: false, error: plain(e) });
    });
  };

  const run = async (m: PgliteRequest): Promise<PgliteReply | null> => {
    switch (m.op) {
      case 'query': {
        if (m.tx === undefined && m.name) return { id: m.id, ok: true, rows: (await prepared.query(m.name, m.text, m.params)).rows };
        const on = m.tx === undefined ? db : txs.get(m.tx)?.tx;
        if (!on) throw new Error(`transaction ${m.tx} is not open`);
        if (m.name) return { id: m.id, ok: true, rows: (await prepared.inTransaction(on, m.name, m.text, m.params)).rows };
        return { id: m.id, ok: true, rows: (await on.query(m.text, m.params)).rows };
      }
      case 'begin': begin(m.id); return null;
      case 'end': {
        const open = txs.get(m.tx);
        if (!open) throw new Error(`transaction ${m.tx} is not open`);
        open.end(m.commit, m.id);
        return null;   // answered when the commit (or rollback) is done
      }
      case 'listen': {
        const listener = ++nextListener;
        unlisten.set(listener, await db.listen(checkSchemaName(m.channel), (payload) => send({ notify: listener, payload })));
        return { id: m.id, ok: true, listener };
      }
      case 'unlisten': {
        await unlisten.get(m.listener)?.();
        unlisten.delete(m.listener);
        return { id: m.id, ok: true };
      }
      case 'close':
        if (!db.closed) await db.close();
        return { id: m.id, ok: true };
    }
  };

  port.on('message', (m: PgliteRequest) => {
    run(m).then((r) => { if (r) send(r); }, (e: unknown) => send({ id: m.id, ok: false, error: plain(e) }));
  });
  send({ ready: true });
}

void main();
