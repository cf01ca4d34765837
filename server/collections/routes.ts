import { Router } from 'express';
import { expectedVersion, setVersionEtag } from '../http/etag.js';
import { pageOf, pageQuery } from '../http/paging.js';
import { parseRequest } from '../http/validate.js';
import { collectionIdParams, createCollectionSchema, updateCollectionSchema } from './schemas.js';
import type { CollectionService } from './service.js';

export function collectionRoutes(collections: CollectionService): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const page = parseRequest(req, 'query', pageQuery);
    const result = await collections.list(pageOf(page));
    res.json({ ...result, page: page.page, pageSize: page.pageSize });
  });

  router.post('/', async (req, res) => {
    const created = await collections.create(req.viewer, parseRequest(req, 'body', createCollectionSchema));
    setVersionEtag(res, created.version);
    res.status(201).location(`/api/collections/${created.id}`).json(created);
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseRequest(req, 'params', collectionIdParams);
    const collection = await collections.get(id);
    setVersionEtag(res, collection.version);
    res.json(collection);
  });

  router.patch('/:id', async (req, res) => {
    const { id } = parseRequest(req, 'params', collectionIdParams);
    const input = parseRequest(req, 'body', updateCollectionSchema);
    const updated = await collections.update(req.viewer, id, input, expectedVersion(req));
    setVersionEtag(res, updated.version);
    res.json(updated);
  });

  router.delete('/:id', async (req, res) => {
    const { id } = parseRequest(req, 'params', collectionIdParams);
    await collections.delete(req.viewer, id);
    res.status(204).end();
  });

  return router;
}
