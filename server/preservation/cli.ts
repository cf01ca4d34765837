// The preservation commands of `npm run cli --` (server/cli.ts dispatches here):
//   export-bag <interviewId> <folder> [--with-consent]     one interview as a BagIt bag in <folder>
//   export-bag --collection <id> <folder> [--with-consent] every interview of a collection, one bag each, in <folder>
//   import-bag <folder> [--as <email>]                      a bag (validated completely first) as a new draft interview
//   fixity [--interview <id>]                              re-hash originals and renditions now; exit 1 on any problem
//   import <folder> [--dry-run] [--collection <id>] [--as <email>]   bulk import (interviews.csv or OHMS XML + media)
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp, type Services } from '../app.js';
import type { Config } from '../config.js';
import { moduleLogger } from '../logger.js';
import { ffmpegVersions } from '../media/ffmpeg/runner.js';
import { SearchEngine } from '../search/engine.js';
import type { Store } from '../store/repositories.js';
import { cliViewer } from './archive-writer.js';
import { bagFolderName, planInterviewBag } from './bag-export.js';
import { BagRefused, importBag } from './bag-import.js';
import { writeBag } from './bagit.js';
import { runBulkImport } from './bulk-import.js';
import { FixityAuditor, type FixityFileResult } from './fixity.js';

export const preservationCommands = ['export-bag', 'import-bag', 'fixity', 'import'] as const;
export type PreservationCommand = (typeof preservationCommands)[number];

export const preservationUsage = `  npm run cli -- export-bag <interviewId> <folder> [--with-consent]      (BagIt bag of one interview)
  npm run cli -- export-bag --collection <id> <folder> [--with-consent]  (one bag per interview of the collection)
  npm run cli -- import-bag <folder> [--as <email>]                      (validates every checksum first; refuses a bad bag)
  npm run cli -- fixity [--interview <id>]                               (re-hashes originals and renditions now)
  npm run cli -- import <folder> [--dry-run] [--collection <id>] [--as <email>]   (interviews.csv or OHMS XML + media)
`;

export function isPreservationCommand(name: string | undefined): name is PreservationCommand {
  return (preservationCommands as readonly string[]).includes(name ?? '');
}

/**
 * Services for writing from the shell: the same as the server's. Search indexing happens through the jobs these
 * services queue, run by the archive's workers, so the CLI needs no Meilisearch of its own.
 */
function cliServices(config: Config, store: Store): Services {
  const urlFile = path.join(config.dataDir, 'meili-url');
  const url =
    config.MEILI_URL ?? (fs.existsSync(urlFile) ? fs.readFileSync(urlFile, 'utf8').trim() : 'http://127.0.0.1:7700');
  const search = new SearchEngine({
    url,
    apiKey: config.MEILI_MASTER_KEY ?? '',
    indexPrefix: config.SEARCH_INDEX_PREFIX,
    logger: moduleLogger('search'),
  });
  const { services } = createApp({ config, store, search, tools: ffmpegVersions });
  return services;
}

const out = (line = '') => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

function formatBytes(n: number): string {
  if (n < 1e3) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

export async function runPreservationCommand(
  command: PreservationCommand,
  args: string[],
  config: Config,
  store: Store,
): Promise<number> {
  const log = moduleLogger('preservation');
  switch (command) {
    case 'export-bag': {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        strict: true,
        options: { collection: { type: 'string' }, 'with-consent': { type: 'boolean' } },
      });
      const withConsent = values['with-consent'] ?? false;
      if (values.collection) {
        const [folder] = positionals;
        if (!folder || positionals.length !== 1) return usageError('export-bag --collection <id> <folder>');
        const collection = await store.collections.findById(values.collection);
        if (!collection) return usageError(`no collection ${values.collection}`);
        const interviews = [];
        for (let offset = 0; ; offset += 200) {
          const page = await store.interviews.list(
            { access: { kind: 'all' }, collectionId: collection.id },
            { limit: 200, offset },
            'createdAt',
          );
          interviews.push(...page.items);
          if (page.items.length < 200) break;
        }
        fs.mkdirSync(folder, { recursive: true });
        let n = 0;
        for (const interview of interviews) {
          n++;
          const plan = await planInterviewBag(store, config.uploadsDir, interview.id, {
            withConsent,
            sourceOrganization: config.BAG_SOURCE_ORGANIZATION,
            bagGroup: { id: collection.id, count: `${n} of ${interviews.length}` },
          });
          const bag = await writeBag(path.join(folder, bagFolderName(interview)), plan.entries, plan.info);
          out(`Bag ${n}/${interviews.length}: ${bag.dir}  (Payload-Oxum ${bag.payloadOxum})`);
        }
        out(
          `Sammlung „${collection.title}“: ${interviews.length} Bags in ${path.resolve(folder)} / ${interviews.length} bags written`,
        );
        return 0;
      }
      const [interviewId, folder] = positionals;
      if (!interviewId || !folder || positionals.length !== 2) return usageError('export-bag <interviewId> <folder>');
      const plan = await planInterviewBag(store, config.uploadsDir, interviewId, {
        withConsent,
        sourceOrganization: config.BAG_SOURCE_ORGANIZATION,
      });
      const bag = await writeBag(folder, plan.entries, plan.info);
      out(`Bag geschrieben / bag written: ${bag.dir}`);
      out(`  External-Identifier: ${interviewId}`);
      out(
        `  Payload-Oxum: ${bag.payloadOxum} (${formatBytes(bag.files.reduce((s, f) => s + f.size, 0))} in ${bag.files.length} files)${withConsent ? '' : '; consent records not included (--with-consent)'}`,
      );
      return 0;
    }
    case 'import-bag': {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        strict: true,
        options: { as: { type: 'string' } },
      });
      const [folder] = positionals;
      if (!folder || positionals.length !== 1) return usageError('import-bag <folder>');
      const services = cliServices(config, store);
      try {
        const viewer = await cliViewer(store, values.as);
        const result = await importBag({ store, services, uploadsDir: config.uploadsDir, viewer, logger: log }, folder);
        out(`Bag importiert / bag imported: ${path.resolve(folder)}`);
        out(`  interview ${result.interviewId} (External-Identifier ${result.externalIdentifier ?? '—'}), draft`);
        for (const m of result.media) out(`  part ${m.part}: ${m.file}  sha256 ${m.sha256}  → medium ${m.mediaId}`);
        out(`  ${result.transcriptVersions} transcript version(s); renditions are made by the archive's workers`);
        return 0;
      } catch (e) {
        if (!(e instanceof BagRefused)) throw e;
        err(
          `Bag abgelehnt / bag refused: ${path.resolve(folder)} — ${e.problems.length} problem(s); nothing was written to the archive`,
        );
        for (const p of e.problems) err(`  ${p.code.padEnd(22)} ${p.message}`);
        return 1;
      } finally {
        services.uploads.stop();
      }
    }
    case 'fixity': {
      const { values } = parseArgs({ args, strict: true, options: { interview: { type: 'string' } } });
      const services = cliServices(config, store);
      try {
        const auditor = new FixityAuditor({
          store,
          queue: services.queue,
          uploadsDir: config.uploadsDir,
          audit: services.audit,
          logger: log,
          maxMbps: config.FIXITY_MAX_MBPS,
          agent: 'Schichtbuch fixity audit (npm run cli -- fixity)',
        });
        const started = Date.now();
        const report = await auditor.run(values.interview ? { interviewId: values.interview } : {});
        const seconds = (Date.now() - started) / 1000;
        out(
          `Fixity-Prüfung / fixity audit ${report.runId}${values.interview ? ` (interview ${values.interview})` : ''}`,
        );
        out(
          `  ${report.media} media, ${report.files} files, ${formatBytes(report.bytes)} read in ${seconds.toFixed(1)} s (limit ${config.FIXITY_MAX_MBPS > 0 ? `${config.FIXITY_MAX_MBPS} MB/s` : 'none'})`,
        );
        out(`  ${report.passed} passed, ${report.problems.length} failed`);
        for (const p of report.problems) out(problemLine(p));
        if (report.remade.length)
          out(
            `  renditions queued to be re-made from the original for ${report.remade.length} medium/media: ${report.remade.join(', ')}`,
          );
        return report.problems.length > 0 ? 1 : 0;
      } finally {
        services.uploads.stop();
      }
    }
    case 'import': {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        strict: true,
        options: { 'dry-run': { type: 'boolean' }, collection: { type: 'string' }, as: { type: 'string' } },
      });
      const [folder] = positionals;
      if (!folder || positionals.length !== 1) return usageError('import <folder> [--dry-run] [--collection <id>]');
      const services = cliServices(config, store);
      try {
        const viewer = await cliViewer(store, values.as);
        const summary = await runBulkImport(
          { store, services, uploadsDir: config.uploadsDir, viewer, logger: log },
          {
            folder,
            dryRun: values['dry-run'] ?? false,
            ...(values.collection ? { collectionId: values.collection } : {}),
            stdout: process.stdout,
            stderr: process.stderr,
          },
        );
        return summary.exitCode;
      } finally {
        services.uploads.stop();
      }
    }
  }
}

function problemLine(p: FixityFileResult): string {
  const what = p.outcome === 'missing' ? 'MISSING' : 'MISMATCH';
  const digests =
    p.outcome === 'missing' ? `expected ${p.expected ?? '—'}` : `expected ${p.expected} found ${p.actual}`;
  return `  ${what.padEnd(8)} ${p.fileKind.padEnd(9)} ${p.path}\n           ${digests}\n           interview ${p.interviewId}, medium ${p.mediaId}${p.detail ? `; ${p.detail}` : ''}`;
}

function usageError(message: string): number {
  err(`${message}\n\n${preservationUsage}`);
  return 2;
}
