// One access mechanism: admin areas ask a policy function through requirePermission; no route checks roles itself.
import fs from 'node:fs';
import path from 'node:path';
import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { requirePermission } from '../../server/access/middleware.js';
import {
  canManagePreservation,
  canManageUsers,
  canReadAdminWarnings,
  canReadAudit,
} from '../../server/access/policy.js';
import type { Viewer } from '../../server/access/viewer.js';
import { Problem } from '../../server/http/problem.js';
import type { ReviewInvitation, Role, User } from '../../server/store/types.js';

const root = path.resolve(import.meta.dirname, '../..');
const userViewer = (role: Role): Viewer => ({
  kind: 'user',
  via: 'token',
  tokenId: 't',
  principals: ['user:u'],
  user: { id: 'u', role } as User,
});
const narrator: Viewer = { kind: 'narrator', invitation: { interviewId: 'i' } as ReviewInvitation };

function answer(allowed: (v: Viewer) => boolean, viewer: Viewer): string {
  let outcome = 'no call';
  requirePermission(allowed)({ viewer } as Request, {} as never, (err?: unknown) => {
    outcome = err === undefined ? 'next' : err instanceof Problem ? err.type : 'other error';
  });
  return outcome;
}

describe('requirePermission with the policy functions', () => {
  const adminOnly = { canManageUsers, canReadAudit, canReadAdminWarnings, canManagePreservation };
  for (const [name, can] of Object.entries(adminOnly)) {
    it(`${name}: admin passes, other accounts 403, visitors and narrators 401`, () => {
      expect(answer(can, userViewer('admin'))).toBe('next');
      for (const role of ['curator', 'contributor', 'researcher'] as Role[])
        expect(answer(can, userViewer(role)), role).toBe('forbidden');
      expect(answer(can, { kind: 'anonymous' })).toBe('unauthenticated');
      expect(answer(can, narrator)).toBe('unauthenticated');
    });
  }

  it('no route decides by role itself (requireRole is gone)', () => {
    const files = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) =>
          e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
        );
    const offenders = files(path.join(root, 'server')).filter((f) =>
      /requireRole\s*\(/.test(fs.readFileSync(f, 'utf8')),
    );
    expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
    const routes = [
      'server/users/routes.ts',
      'server/users/groups.ts',
      'server/audit/routes.ts',
      'server/admin/routes.ts',
      'server/preservation/routes.ts',
    ];
    for (const r of routes)
      expect(fs.readFileSync(path.join(root, r), 'utf8'), r).toMatch(/requirePermission\(can[A-Z]\w+\)/);
  });
});
