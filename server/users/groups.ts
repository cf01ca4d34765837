// Groups of users, for interviews with visibility `restricted` (grants name users and groups). Admins manage them.
import crypto from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { requirePermission } from '../access/middleware.js';
import { canManageUsers } from '../access/policy.js';
import { Problem } from '../http/problem.js';
import { parseRequest } from '../http/validate.js';
import { isDuplicateKey } from '../store/errors.js';
import type { Store } from '../store/repositories.js';
import { msg } from '../i18n/messages.js';

export const groupParams = z.strictObject({ id: z.uuid() });
export const memberParams = z.strictObject({ id: z.uuid(), userId: z.uuid() });
export const createGroupSchema = z.strictObject({ name: z.string().trim().min(1).max(200) });
export const addMemberSchema = z.strictObject({ userId: z.uuid() });

export function groupRoutes(store: Store): Router {
  const router = Router();
  router.use(requirePermission(canManageUsers));

  router.get('/', async (_req, res) => {
    const groups = await store.groups.list();
    res.json({
      items: await Promise.all(groups.map(async (g) => ({ ...g, members: await store.groups.members(g.id) }))),
    });
  });

  router.post('/', async (req, res) => {
    const { name } = parseRequest(req, 'body', createGroupSchema);
    const group = { id: crypto.randomUUID(), name, createdAt: new Date().toISOString() };
    try {
      await store.groups.create(group);
    } catch (err) {
      if (isDuplicateKey(err)) {
        throw new Problem('conflict', { errors: [{ field: 'body.name', message: msg('field.nameTaken') }] });
      }
      throw err;
    }
    res.status(201).json({ ...group, members: [] });
  });

  router.delete('/:id', async (req, res) => {
    if (!(await store.groups.delete(parseRequest(req, 'params', groupParams).id))) throw new Problem('not-found');
    res.status(204).end();
  });

  router.post('/:id/members', async (req, res) => {
    const { id } = parseRequest(req, 'params', groupParams);
    const { userId } = parseRequest(req, 'body', addMemberSchema);
    if (!(await store.groups.findById(id))) throw new Problem('not-found');
    if (!(await store.users.findById(userId)))
      throw new Problem('validation', { errors: [{ field: 'body.userId', message: msg('field.unknownUser') }] });
    await store.groups.addMember(id, userId);
    res.status(201).json({ groupId: id, members: await store.groups.members(id) });
  });

  router.delete('/:id/members/:userId', async (req, res) => {
    const { id, userId } = parseRequest(req, 'params', memberParams);
    if (!(await store.groups.removeMember(id, userId))) throw new Problem('not-found');
    res.status(204).end();
  });

  return router;
}
