// GET /api/programmes: the published programmes, their jurisdictions, the versions in force by
// date and each output's name, type, unit and labels (any role: published rules are public).
import type { Operation } from '../operation.js';
import { ref, date } from '../schemas.js';
import { DomainError } from '../services/domain-error.js';
import { listProgrammes } from '../services/programmes.js';
import { realDate } from '../services/entitlements.js';
import { errorResponses, type RouteContext } from './context.js';


export function programmeOperations(ctx: RouteContext): Operation[] {
  const { evaluation } = ctx;
  return [
    {
      method: 'get', path: '/api/programmes', action: 'policy.list', tag: 'entitlements',
      summary: '救助项目 / Published programmes with jurisdiction, versions in force and typed outputs',
      description: 'Each output\'s JSON Schema is in the OpenAPI document as Outputs_<policyId>.',
      query: { as_of: { ...date, description: 'which version is `in_force` (default: today, China time)' } },
      responses: { 200: { description: 'programmes', schema: { type: 'object', required: ['as_of', 'programmes'], properties: { as_of: date, programmes: { type: 'array', items: ref('Programme') } } } }, ...errorResponses(400, 401, 403) },
      handler: async ({ query }) => {
        const asOf = query.as_of ?? evaluation.today();
        if (!realDate(asOf)) throw new DomainError('invalid', 'request.invalid', `日期 ${asOf} 不存在`, `as_of ${asOf} is not a real date`, [{ path: 'as_of', message: asOf }]);
        await ctx.lang.prefetch(evaluation.policies.listedSources());
        return { body: { as_of: asOf, programmes: listProgrammes(evaluation, asOf) } };
      },
    },
  ];
}
