import type { ReviewInvitation, User } from '../store/types.js';

interface UserViewerBase {
  kind: 'user';
  user: User;
  /** `user:<id>` and `group:<id>` for each group the user belongs to: matched against interview grants. */
  principals: string[];
}

/**
 * Who is asking. Every access decision starts from this. A narrator holds a valid review invitation for one
 * interview (checked when the request was authenticated: not expired, not revoked) and has no account.
 */
export type Viewer =
  | { kind: 'anonymous' }
  | (UserViewerBase & { via: 'session'; sessionId: string; csrfToken: string })
  | (UserViewerBase & { via: 'token'; tokenId: string })
  | { kind: 'narrator'; invitation: ReviewInvitation };

export const anonymous: Viewer = { kind: 'anonymous' };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      viewer: Viewer;
    }
  }
}

export function userOf(viewer: Viewer): User | null {
  return viewer.kind === 'user' ? viewer.user : null;
}

export function principalsOf(user: User, groupIds: readonly string[]): string[] {
  return [`user:${user.id}`, ...groupIds.map((g) => `group:${g}`)];
}

/** For logs and the audit trail. */
export function actorOf(viewer: Viewer): {
  actorKind: 'user' | 'narrator' | 'system';
  actorId: string | null;
  actorLabel: string | null;
} {
  switch (viewer.kind) {
    case 'user':
      return { actorKind: 'user', actorId: viewer.user.id, actorLabel: viewer.user.email };
    case 'narrator':
      return {
        actorKind: 'narrator',
        actorId: viewer.invitation.id,
        actorLabel: `Zeitzeuge/Zeitzeugin: ${viewer.invitation.narrator}`,
      };
    default:
      return { actorKind: 'system', actorId: null, actorLabel: null };
  }
}
