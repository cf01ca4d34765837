// Values the globalSetup (tests/setup/global.ts) hands to every test file via `inject()`.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the one Meilisearch shared by the whole test run. */
    meiliUrl: string;
    /** Its master key. */
    meiliKey: string;
    /** URI of the run's MongoDB-wire engine (tests/setup/mongo-engine.ts); '' when FerretDB is not built. */
    mongoUri: string;
  }
}
