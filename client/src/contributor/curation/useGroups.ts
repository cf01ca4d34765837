// The groups a restricted interview can be granted to, for the publication settings.
import type { ApiProblem } from '../../lib/http.js';
import { useApi } from '../../useApi.js';
import type { GroupWithMembers } from '../types.js';

export type GroupsState =
  | { kind: 'loading' }
  | { kind: 'ready'; groups: GroupWithMembers[] }
  | { kind: 'forbidden' }
  | { kind: 'error'; problem: ApiProblem };

/** Only fetched when the interview is restricted; 403 = this person may not see the groups. */
export function useGroups(restricted: boolean): GroupsState {
  const { state } = useApi<{ items: GroupWithMembers[] }>(restricted ? '/api/groups' : null);
  if (state.status === 'success') return { kind: 'ready', groups: state.data.items };
  if (state.status === 'error')
    return state.problem.status === 403 ? { kind: 'forbidden' } : { kind: 'error', problem: state.problem };
  return { kind: 'loading' };
}
