// /api/policies/{id}/versions: published versions (immutable).
import type { Operation } from '../operation.js';
import { readView } from '../auth.js';
import { badRequest } from '../errors.js';
import { ref } from '../schemas.js';
import { errorResponses, type RouteContext } from './context.js';

export function versionOperations(ctx: RouteContext): Operation[] {
  const { policies } = ctx;
  return [
    {
      method: 'get', path: '/api/policies/{policyId}/versions', action: 'policy.read', tag: 'versions',
      summary: '已发布版本 / Published versions',
      responses: { 200: { description: 'versions', schema: { type: 'object', properties: { policy: { type: 'string' }, versions: { type: 'array', items: ref('VersionSummary') } } } }, ...errorResponses(401, 403, 404) },
      handler: ({ params, caller }) => ({ body: { policy: params.policyId, versions: policies.versions(params.policyId!, readView(caller)) } }),
    },
    {
      method: 'get', path: '/api/policies/{policyId}/versions/{version}', action: 'policy.read', tag: 'versions',
      summary: '某个版本 / One published version with its source and scenarios',
      responses: { 200: { description: 'version', schema: ref('VersionSummary') }, ...errorResponses(400, 401, 403, 404) },
      handler: ({ params, caller }) => {
        const n = params.version!;
        if (!/^[1-9]\d{0,8}$/.test(n)) throw badRequest('request.invalid', '版本号应为正整数', 'version must be a positive integer', [{ path: 'version', message: n }]);
        return { body: policies.version(params.policyId!, Number(n), readView(caller)) };
      },
    },
  ];
}
