// Every route of the app, described once: the request parts come from the very zod schemas the routes validate
// with (imported from each domain), so the description cannot drift from what the server accepts.
//
// Adding a route: add one `op(...)` line to its area's operations-*.ts file (method, path in OpenAPI form, summary,
// and what it reads and answers). tests/api/openapi.test.ts walks the Express app and fails, naming the route, when
// one is missing there. The shorthands (`json`, `none`, shared headers and bodies) are in operation-shapes.ts.
import { archiveOperations } from './operations-archive.js';
import { reviewOperations } from './operations-review.js';
import { systemOperations } from './operations-system.js';
import { transcriptOperations } from './operations-transcripts.js';
import type { Operation } from './operation-shapes.js';

export type { Access, Answer, Method, Operation } from './operation-shapes.js';

// in this order in the document: system and accounts, the archive, transcripts and search, consent and review
export const operations: Operation[] = [
  ...systemOperations,
  ...archiveOperations,
  ...transcriptOperations,
  ...reviewOperations,
];
