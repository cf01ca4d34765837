import { Router } from 'express';
import { requirePermission } from '../access/middleware.js';
import { canManageUsers } from '../access/policy.js';
import { pageQuery, pageOf } from '../http/paging.js';
import { parseRequest } from '../http/validate.js';
import { createUserSchema, updateUserSchema, userIdParams } from './schemas.js';
import { publicUser, type UserService } from './service.js';

/** Account administration; admins only. */
export function userRoutes(users: UserService): Router {
  const router = Router();
  router.use(requirePermission(canManageUsers));

  router.get('/', async (req, res) => {
    const page = parseRequest(req, 'query', pageQuery);
    const result = await users.list(pageOf(page));
    res.json({ items: result.items.map(publicUser), total: result.total, page: page.page, pageSize: page.pageSize });
  });

  router.post('/', async (req, res) => {
    const input = parseRequest(req, 'body', createUserSchema);
    const user = await users.create(input);
    res.status(201).location(`/api/users/${user.id}`).json(publicUser(user));
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseRequest(req, 'params', userIdParams);
    res.json(publicUser(await users.get(id)));
  });

  router.patch('/:id', async (req, res) => {
    const { id } = parseRequest(req, 'params', userIdParams);
    const input = parseRequest(req, 'body', updateUserSchema);
    res.json(publicUser(await users.update(id, input)));
  });

  return router;
}
