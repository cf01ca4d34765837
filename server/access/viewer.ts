import type { User } from '../store/types.js';

/** Who is asking. Every access decision starts from this; narrators with review tokens join in the review issue. */
export type Viewer =
  | { kind: 'anonymous' }
  | { kind: 'user'; user: User; via: 'session'; sessionId: string; csrfToken: string }
  | { kind: 'user'; user: User; via: 'token'; tokenId: string };

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
