// The repository contract against MongoDB — the scale-tier adapter (server/store/mongo), on the run's MongoDB-wire
// engine (FerretDB, started by tests/setup/mongo-engine.ts) or on the server MONGODB_URI names. Without either the
// whole suite is reported as skipped with what to do, never as passed. Each test gets its own database, dropped at
// close, so that tests never see each other's data.
import { describe, inject } from 'vitest';
import { needsFerret, openTestMongoStore } from '../helpers/mongo-engine.js';
import { describeRepositoryContract } from './repository-contract.js';
import { describeUseCaseContract } from './use-case-contract.js';

const uri = inject('mongoUri') || undefined;
const open = () => openTestMongoStore(uri!, 'schichtbuch_contract');

if (uri) {
  describeRepositoryContract('MongoDB', open);
  describeUseCaseContract('MongoDB', open);
} else {
  // Registered but skipped, so the report lists every contract test that MongoDB has not been checked against.
  describe.skip(`MongoDB adapter ${needsFerret}: skipped — no tools/bin/ferretdb and no MONGODB_URI`, () => {
    describeRepositoryContract('MongoDB', open);
    describeUseCaseContract('MongoDB', open);
  });
}
