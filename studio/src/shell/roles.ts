// What the caller's role may do in the studio (mirrors runtime/auth.ts PERMISSIONS; the server
// still checks every action). An unknown caller (a server without /api/me) is shown everything
// and the server answers.
import type { Me } from '../api/client';

/** Change the draft (editor text, parameters, scenarios): editors and admins. */
export function mayEdit(me: Me | null): boolean {
  return !me || me.role === 'admin' || me.role === 'editor';
}

export function mayPublish(me: Me | null): boolean {
  return !me || me.role === 'admin' || me.role === 'editor';
}

/** Approve or reject: reviewers and admins, never for one's own request. */
export function mayDecide(me: Me | null, requestedBy?: string | null): boolean {
  if (!me) return true;
  if (me.role !== 'admin' && me.role !== 'reviewer') return false;
  return me.open || !requestedBy || requestedBy !== me.name;
}
