// The household registry (issue 16; docs/monitoring.md):
//   POST /api/registry/import?effective_from=…   JSON Lines or CSV body, streamed; all-or-nothing
//   PUT  /api/registry/households/{householdId}  { effective_from, household }: a new dated version
//   GET  /api/registry/households/{householdId}  every dated version
import type { Request } from 'express';
import { ApiError } from '../errors.js';
import type { Operation } from '../operation.js';
import { ref, requestSchemas, date } from '../schemas.js';
import { checkEffectiveFrom, type ImportFormat, type RegistryService, MAX_IMPORT_ERRORS } from '../services/monitor/registry.js';
import { errorResponses } from './context.js';

const NO_STORE = { 'Cache-Control': 'no-store' };
const JSONL_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/x-jsonlines', 'application/json-seq'];

function formatOf(req: Request): ImportFormat {
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (JSONL_TYPES.includes(type)) return 'jsonl';
  throw new ApiError(415, 'request.unsupported_media_type', { zh: '导入文件须为 JSON Lines（application/x-ndjson）或 CSV（text/csv）', en: 'An import is JSON Lines (application/x-ndjson) or CSV (text/csv)' },
    [{ path: 'Content-Type', message: type.slice(0, 80) }]);
}

export function registryOperations(registry: RegistryService): Operation[] {
  return [
    {
      method: 'post', path: '/api/registry/import', action: 'registry.write', tag: 'monitoring',
      summary: '导入登记册 / Import households into the registry (JSON Lines or CSV, streamed), each as a version from effective_from',
      description: 'Body: JSON Lines (`Content-Type: application/x-ndjson`, one household per line) or CSV (`text/csv`, the layouts the simulation loader reads). '
        + 'All-or-nothing: any bad row (its line and field named, as evaluate names them) refuses the whole import with 400 registry.import_invalid and nothing is applied; '
        + `the first ${MAX_IMPORT_ERRORS} errors are given, error_count counts them all. An id already in the registry gets a new dated version; earlier versions stay.`,
      query: { effective_from: { ...date, description: 'the day these versions take effect (required)' } },
      responses: { 200: { description: 'applied', schema: ref('RegistryImport') }, ...errorResponses(400, 401, 403, 415) },
      handler: async ({ req, query }) => {
        const format = formatOf(req);
        const effectiveFrom = checkEffectiveFrom(query.effective_from);
        return { body: await registry.import(req, format, effectiveFrom), headers: NO_STORE };
      },
    },
    {
      method: 'put', path: '/api/registry/households/{householdId}', action: 'registry.write', tag: 'monitoring',
      summary: '登记家庭（新版本）/ Upsert one registry household: a new version taking effect on effective_from',
      description: 'Earlier versions are kept: a run on an earlier date still reads the household as it was then. 400 names each bad field (as evaluate does).',
      body: requestSchemas.RegistryPut, bodyRequired: true,
      responses: { 200: { description: 'the version stored', schema: ref('RegistryVersion') }, ...errorResponses(400, 401, 403, 415) },
      handler: async ({ params, body }) => {
        const b = body as { effective_from: string; household: unknown };
        return { body: await registry.put(params.householdId!, b.household, checkEffectiveFrom(b.effective_from)), headers: NO_STORE };
      },
    },
    {
      method: 'get', path: '/api/registry/households/{householdId}', action: 'registry.read', tag: 'monitoring',
      summary: '登记家庭的历史 / A registry household\'s dated versions, oldest first',
      responses: { 200: { description: 'its history', schema: ref('RegistryHistory') }, ...errorResponses(401, 403, 404) },
      handler: async ({ params }) => ({ body: await registry.history(params.householdId!), headers: NO_STORE }),
    },
  ];
}
