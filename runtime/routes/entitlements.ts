// POST /api/entitlements and /api/entitlements/batch: every programme a household may receive
// (一门受理), routed to the county that handles it; each programme's decision recorded.
import type { Operation } from '../operation.js';
import { ref, requestSchemas } from '../schemas.js';
import { checkEntitlementsBatch, entitlements, entitlementsBatch } from '../services/entitlements.js';
import { errorResponses, type RouteContext } from './context.js';

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
        + 'A place not in the division table is 400 jurisdiction.unknown_division naming the field and the nearest known name; a county with no programme in force answers 200 with `programmes: []` and the `reason`.',
      body: requestSchemas.EntitlementsRequest, bodyRequired: true,
      responses: { 200: { description: 'the jurisdiction, every programme with its outputs, the totals', schema: ref('EntitlementsResponse') }, ...errorResponses(400, 401, 403, 413, 415, 422, 503) },
      handler: async ({ body, caller, res }) => {
        const b = body as Body;
        return { body: await entitlements(b.household, b.as_of, { evaluation, decisions, call: { caller, requestId: requestId(res) }, record: b.record, trace: b.trace === true }) };
      },
    },
    {
      method: 'post', path: '/api/entitlements/batch', action: 'evaluate', tag: 'entitlements',
      summary: '一门受理（批量）/ Entitlements of up to 1,000 households; one answer or error per household, in order',
      body: requestSchemas.EntitlementsBatchRequest, bodyRequired: true,
      precheck: (body) => {
        const list = (body as { households?: unknown } | null)?.households;
        if (Array.isArray(list)) checkEntitlementsBatch(list.length);
      },
      responses: { 200: { description: 'results', schema: ref('EntitlementsBatchResponse') }, ...errorResponses(400, 401, 403, 413, 415, 422, 503) },
      handler: async ({ body, caller, res }) => {
        const b = body as BatchBody;
        return { body: await entitlementsBatch(b.households, b.as_of, { evaluation, decisions, call: { caller, requestId: requestId(res) }, record: b.record }) };
      },
    },
  ];
}
