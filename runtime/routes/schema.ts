// Shared schema modules and the household JSON Schema; POST /api/check for the CLI.
import type { Operation } from '../operation.js';
import { notFound } from '../errors.js';
import { ref, requestSchemas } from '../schemas.js';
import { errorResponses, type RouteContext } from './context.js';

export function schemaOperations(ctx: RouteContext): Operation[] {
  const { lang, policies, evaluation } = ctx;
  return [
    {
      method: 'get', path: '/api/modules', action: 'schema.read', tag: 'schema',
      summary: '共享模块列表 / Shared schema modules',
      responses: { 200: { description: 'module names', schema: { type: 'object', properties: { modules: { type: 'array', items: { type: 'string' } } } } }, ...errorResponses(401, 403) },
      handler: () => ({ body: { modules: Object.keys(lang.modules).sort() } }),
    },
    {
      method: 'get', path: '/api/modules/{name}', expressPath: '/api/modules/*name', action: 'schema.read', tag: 'schema',
      summary: '共享模块源码 / Source of a schema module, e.g. common/household',
      responses: { 200: { description: 'module', schema: { type: 'object', properties: { name: { type: 'string' }, source: { type: 'string' } } } }, ...errorResponses(401, 403, 404) },
      handler: ({ params }) => {
        const raw = (params as unknown as { name: string | string[] }).name;
        const name = Array.isArray(raw) ? raw.join('/') : raw;
        if (!Object.prototype.hasOwnProperty.call(lang.modules, name)) throw notFound('module.not_found', `没有这个模块：${name}`, `No such module: ${name}`, [{ path: 'name', message: name }]);
        return { body: { name, source: lang.modules[name] } };
      },
    },
    {
      method: 'get', path: '/api/schema/household', action: 'schema.read', tag: 'schema',
      summary: '家庭数据 JSON Schema / JSON Schema of the household',
      responses: { 200: { description: 'JSON Schema 2020-12', schema: ref('Household') }, ...errorResponses(401, 403) },
      handler: () => ({ body: lang.householdSchema() }),
    },
    {
      method: 'get', path: '/api/policies/{policyId}/schema', action: 'schema.read', tag: 'schema',
      summary: '该政策读取的家庭数据 JSON Schema / JSON Schema of the household a policy version reads',
      description: 'The common household fields plus the fields the policy declares itself, for the version in force on as_of (default today) or the pinned version.',
      query: { as_of: { type: 'string', description: 'YYYY-MM-DD; default today' }, version: { type: 'string', description: 'a published version number' } },
      responses: { 200: { description: 'the version and its household schema', schema: { type: 'object', properties: { policy: { type: 'string' }, version: { type: 'integer' }, effective_from: { type: 'string' }, as_of: { type: 'string' }, schema: ref('Household') } } }, ...errorResponses(400, 401, 403, 404, 410) },
      handler: async ({ params, query }) => ({ body: await evaluation.householdSchema(params.policyId!, query.as_of, query.version) }),
    },
    {
      method: 'post', path: '/api/check', action: 'check', tag: 'schema',
      summary: '检查任意源码 / Analyze any policy source (for the CLI)',
      body: requestSchemas.CheckRequest, bodyRequired: true,
      responses: { 200: { description: 'diagnostics', schema: ref('CheckResult') }, ...errorResponses(400, 401, 403, 422) },
      // analysed in the worker within the budget (422 policy.too_complex past it); check() then reads that analysis
      handler: async ({ body }) => {
        await lang.analyzeBounded(body.source, body.file ?? 'policy.policy');
        return { body: policies.check(body.source, body.file ?? 'policy.policy') };
      },
    },
  ];
}
