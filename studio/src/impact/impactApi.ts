// The impact-analysis job calls, through the studio's one HTTP client (api.raw keeps the API
// key and the error shape): start (POST → 202 job), poll (GET), cancel (DELETE).
import { api, toApiError, type ApiClient } from '../api/client';
import type { JobView, SimulationInput } from './types';

const enc = encodeURIComponent;

async function call<T>(client: ApiClient, method: string, path: string, body?: unknown): Promise<T> {
  const res = await client.raw(method, path, body);
  if (res.status >= 400) throw toApiError(res);
  return res.body as T;
}

export function startSimulation(policyId: string, input: SimulationInput, client: ApiClient = api): Promise<JobView> {
  return call<JobView>(client, 'POST', `/api/policies/${enc(policyId)}/simulations`, input);
}

export function getSimulation(jobId: string, client: ApiClient = api): Promise<JobView> {
  return call<JobView>(client, 'GET', `/api/simulations/${enc(jobId)}`);
}

export function cancelSimulation(jobId: string, client: ApiClient = api): Promise<JobView> {
  return call<JobView>(client, 'DELETE', `/api/simulations/${enc(jobId)}`);
}
