// Monitoring runs (issue 16; docs/monitoring.md):
//   POST   /api/monitor/runs                         { as_of } → 202, the run (progress at once)
//   GET    /api/monitor/runs                         the latest runs
//   GET    /api/monitor/runs/{runId}                 progress, counts by list × programme × county
//   DELETE /api/monitor/runs/{runId}                 cancel a running run
//   GET    /api/monitor/runs/{runId}/lists/{list}    a page of one list (filters: policy, county, household_id)
//   GET    /api/monitor/runs/{runId}/lists/{list}/export?format=csv|xlsx   the whole list as a file
import type { Operation } from '../operation.js';
import { ref, requestSchemas } from '../schemas.js';
import { LISTS } from '../services/monitor/lists.js';
import { MAX_LIST_PAGE, type MonitorService } from '../services/monitor/runs.js';
import { POLICY_ID_PATTERN } from '../services/policies.js';
import { errorResponses } from './context.js';

const NO_STORE = { 'Cache-Control': 'no-store' };
const filters = {
  policy: { type: 'string', pattern: POLICY_ID_PATTERN },
  county: { type: 'string', maxLength: 100 },
} as const;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function monitorOperations(monitor: MonitorService): Operation[] {
  return [
    {
      method: 'post', path: '/api/monitor/runs', action: 'monitor.run', tag: 'monitoring',
      summary: '开始监测 / Start a monitoring run: every registry household as it was on as_of, under every programme in force where it lives',
      description: 'Answers 202 with the run; its chunks exist before the answer, so GET shows progress at once. Any instance on the same database works on it.',
      body: requestSchemas.MonitorRunRequest, bodyRequired: true,
      responses: { 202: { description: 'the run (Location: /api/monitor/runs/{runId})', schema: ref('MonitorRun') }, ...errorResponses(400, 401, 403, 415) },
      handler: async ({ body, caller }) => {
        const run = await monitor.start((body as { as_of: string }).as_of, caller);
        return { status: 202, body: run, headers: { ...NO_STORE, Location: `/api/monitor/runs/${run.id}` } };
      },
    },
    {
      method: 'get', path: '/api/monitor/runs', action: 'monitor.read', tag: 'monitoring',
      summary: '监测批次 / The latest monitoring runs, newest first',
      responses: { 200: { description: 'runs', schema: ref('MonitorRunList') }, ...errorResponses(401, 403) },
      handler: async () => ({ body: await monitor.list(), headers: NO_STORE }),
    },
    {
      method: 'get', path: '/api/monitor/runs/{runId}', action: 'monitor.read', tag: 'monitoring',
      summary: '监测进度 / A run: status, progress, and each list\'s count by programme and county',
      responses: { 200: { description: 'the run', schema: ref('MonitorRun') }, ...errorResponses(401, 403, 404) },
      handler: async ({ params }) => ({ body: await monitor.view(params.runId!), headers: NO_STORE }),
    },
    {
      method: 'delete', path: '/api/monitor/runs/{runId}', action: 'monitor.run', tag: 'monitoring',
      summary: '取消监测 / Cancel a running run (chunks already stored stay; no more are taken)',
      responses: { 200: { description: 'the cancelled run', schema: ref('MonitorRun') }, ...errorResponses(401, 403, 404, 409) },
      handler: async ({ params }) => ({ body: await monitor.cancel(params.runId!), headers: NO_STORE }),
    },
    {
      method: 'get', path: '/api/monitor/runs/{runId}/lists/{list}', action: 'monitor.read', tag: 'monitoring',
      summary: `监测名单 / A page of one list (${LISTS.join(', ')}); each row links to its decision and explanation`,
      query: { ...filters, household_id: { type: 'string', maxLength: 200 }, limit: { type: 'string', pattern: '^[1-9][0-9]{0,3}$', description: `1–${MAX_LIST_PAGE} (default 100)` }, cursor: { type: 'string', maxLength: 400, description: 'next_cursor of the previous page' } },
      responses: { 200: { description: 'a page', schema: ref('MonitorListPage') }, ...errorResponses(400, 401, 403, 404) },
      handler: async ({ params, query }) => ({ body: await monitor.page(params.runId!, params.list!, query), headers: NO_STORE }),
    },
    {
      method: 'get', path: '/api/monitor/runs/{runId}/lists/{list}/export', action: 'monitor.read', tag: 'monitoring',
      summary: '导出名单 / One list as a file for the monthly push: CSV (UTF-8 with BOM) or XLSX',
      query: { ...filters, format: { type: 'string', enum: ['csv', 'xlsx'], description: 'default csv' } },
      responses: { 200: { description: 'text/csv or an XLSX workbook' }, ...errorResponses(400, 401, 403, 404) },
      handler: async ({ params, query, res }) => {
        const list = await monitor.checkExport(params.runId!, params.list!);
        const format = query.format === 'xlsx' ? 'xlsx' : 'csv';
        res.status(200);
        res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : XLSX);
        res.setHeader('Content-Disposition', `attachment; filename="${list}-${params.runId}.${format}"`);
        res.setHeader('Cache-Control', 'no-store');
        await monitor.export(params.runId!, list, format, { policy: query.policy, county: query.county }, res);
        res.end();
        return { body: null };
      },
    },
  ];
}
