// POST /api/entitlements and /api/entitlements/batch: every programme a household may receive
// (一门受理), routed to the county that handles it; each programme's decision recorded.
import type { RequestHandler } from 'express';
import { principal } from '../auth.js';
import type { Operation } from '../operation.js';
import { ref, requestSchemas } from '../schemas.js';
import { lineError, streamLines, streamParams } from '../services/batch-stream.js';
import { Answered, checkEntitlementsBatch, entitlementsBatchBytes, entitlementsBytes, entitlementsDecided, MAX_ENTITLEMENTS_BATCH } from '../services/entitlements.js';
import { TextSink } from '../services/entitlements-text.js';
import type { HouseholdError } from '../services/evaluation.js';
import { JsonText } from '../json-text.js';
import { errorResponses, type RouteContext } from './context.js';
import { ndjsonQuery, onlyNdjson, streamAnswer } from './ndjson.js';

interface Body { household: unknown; as_of?: string; trace?: boolean; record?: boolean }
interface BatchBody { households: unknown[]; as_of?: string; record?: boolean }

const requestId = (res: { getHeader(name: string): unknown }) => { const id = res.getHeader('X-Request-Id'); return typeof id === 'string' ? id : null; };

export function entitlementOperations(ctx: RouteContext): Operation[] {
  const { evaluation, decisions } = ctx;
  return [
    {
      method: 'post', path: '/api/entitlements', action: 'evaluate', tag: 'entitlements',
      summary: '一门受理 / Every programme one household may receive, routed to the county that handles it',
      description: 'The household is routed by where it lives and where its hukou is (residence_code / hukou_code, or county / hukou_county / hukou_province): '
        + 'the place of hukou by default; the place of residence under the Hongsibu pilot (hukou elsewhere in Ningxia, 000 §1) and in the XPCC with a residence permit (004). '
        + 'Every programme in force there on as_of (and at its prefecture and province) is evaluated, referenced programmes first; each programme\'s decision is recorded (`decision_ids`). '
        + 'A place not in the division table is 400 jurisdiction.unknown_division naming the field and the nearest known name; a hukou in another province (outside the table) answers 200 with `routed: false` and the reason jurisdiction.hukou_elsewhere, unless the XPCC residence-permit rule applies; temporary assistance (临时救助, no hukou restriction: 004) of the place of residence is given whoever handles the rest; a county with no programme in force answers 200 with `programmes: []` and the `reason`.',
      body: requestSchemas.EntitlementsRequest, bodyRequired: true,
      responses: { 200: { description: 'the jurisdiction, every programme with its outputs, the totals', schema: ref('EntitlementsResponse') }, ...errorResponses(400, 401, 403, 413, 415, 422, 503) },
      // the answer written as JSON text, as each of the batch's (the bytes JSON.stringify gives for entitlements()'s answer)
      handler: async ({ body, caller, res }) => {
        const b = body as Body;
        return { body: JsonText.bytes(await entitlementsBytes(b.household, b.as_of, { evaluation, decisions, call: { caller, requestId: requestId(res) }, record: b.record, trace: b.trace === true })) };
      },
    },
    {
      method: 'post', path: '/api/entitlements/batch', action: 'evaluate', tag: 'entitlements',
      summary: '一门受理（批量）/ Entitlements of up to 1,000 households; one answer or error per household, in order',
      description: 'With `Content-Type: application/x-ndjson` (one household per line; `as_of` and `record` as query parameters, any other is a 400 naming the nearest) '
        + 'the answer is JSON Lines, streamed, with no household limit: a header `{"as_of", "recorded"}`, one line per non-blank input line in order '
        + '(`{"line", …the answer of POST /api/entitlements}` or `{"line", "household_id", "error"}`), and a trailer `{"done": true, "lines", "results", "error_count"}`; '
        + 'the decisions of each input chunk are recorded before its lines go out. See docs/api.md.',
      body: requestSchemas.EntitlementsBatchRequest, bodyRequired: true,
      ndjson: { query: {
        as_of: { type: 'string', format: 'date', description: 'evaluation date (default today in China)' },
        record: { type: 'string', enum: ['true', 'false'], description: 'false: a dry run (tester and admin only)' },
      } },
      precheck: (body) => {
        const list = (body as { households?: unknown } | null)?.households;
        if (Array.isArray(list)) checkEntitlementsBatch(list.length);
      },
      responses: { 200: { description: 'results', schema: ref('EntitlementsBatchResponse') }, ...errorResponses(400, 401, 403, 413, 415, 422, 503) },
      // the answers written as JSON text (no answer objects, no JSON.stringify of ≈ 9.5 KB each):
      // the bytes JSON.stringify gives for entitlementsBatch's answer
      handler: async ({ body, caller, res }) => {
        const b = body as BatchBody;
        const a = await entitlementsBatchBytes(b.households, b.as_of, { evaluation, decisions, call: { caller, requestId: requestId(res) }, record: b.record });
        // the answer's buffer written again by a later batch once every byte of it has gone to
        // the socket ('finish'); an answer cut short (a closed connection) keeps its buffer
        res.once('finish', a.release);
        return { body: JsonText.object({ as_of: a.as_of, recorded: a.recorded }, { results: a.results, error_count: Buffer.from(String(a.error_count)) }) };
      },
    },
  ];
}

type LineItem = Answered | { household_id: string | null; error: HouseholdError };

/** One household's line of the JSON Lines batch: its answer (the text JSON.stringify gives for
 *  `{ line, ...answer }`, written as text: entitlements-text.ts), or its error with the line in its texts. */
function entitlementLine(item: LineItem, line: number): { json: string; error: boolean } {
  if (item instanceof Answered) {
    const sink = new TextSink();
    item.write(sink, `{"line":${line},`);
    return { json: sink.text, error: false };
  }
  const e = item.error;
  return { json: JSON.stringify({ line, household_id: item.household_id, error: lineError(line, e.code, e.message_zh, e.message_en, e.details) }), error: true };
}

/**
 * POST /api/entitlements/batch with Content-Type application/x-ndjson: the streamed batch, read
 * and written by the evaluate batch's streamLines (runtime/services/batch-stream.ts); each input
 * chunk is one entitlementsDecided call (in pieces of at most MAX_ENTITLEMENTS_BATCH households):
 * entitlementsBatch's households, each answer written straight to its line's text, so its
 * answers and errors are those of the JSON batch. `auth`: the JSON operation's checks.
 */
export function ndjsonEntitlementsRoute(ctx: RouteContext, auth: RequestHandler[]): [string, ...RequestHandler[]] {
  const { evaluation, decisions } = ctx;
  const handler: RequestHandler = async (req, res) => {
    const { text, record } = ndjsonQuery(req, ['as_of', 'record']);
    const { asOf } = streamParams({ as_of: text('as_of') }, evaluation.today);
    const caller = principal(req);
    // ?record=false is a dry run, for the roles that may (403 before the first byte otherwise)
    const recorded = decisions.recording(caller, record);
    const opts = { evaluation, decisions, call: { caller, requestId: requestId(res) }, record };
    const run = async (households: unknown[]) => {
      const out: LineItem[] = [];
      for (let i = 0; i < households.length; i += MAX_ENTITLEMENTS_BATCH) {
        out.push(...(await entitlementsDecided(households.slice(i, i + MAX_ENTITLEMENTS_BATCH), asOf, opts)));
      }
      return out;
    };
    await streamAnswer(res, () => streamLines(req, res, { header: { as_of: asOf, recorded }, run, line: entitlementLine, idKey: 'household_id' }));
  };
  return ['/api/entitlements/batch', onlyNdjson, ...auth, handler];
}
