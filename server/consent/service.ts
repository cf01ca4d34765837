// Consent records: per interview and narrator, versioned (a change appends a version), with an optional scan of the
// signed form (PDF, JPEG or PNG, checked by its bytes). Curators and admins only: it is personal data.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { staffInterview } from '../access/staff.js';
import type { Viewer } from '../access/viewer.js';
import type { AuditLog } from '../audit/service.js';
import { Problem } from '../http/problem.js';
import { consentGap } from '../interviews/publication.js';
import type { InterviewService } from '../interviews/service.js';
import type { Logger } from '../logger.js';
import { resolveInUploads } from '../media/paths.js';
import { sanitizeFilename } from '../media/filenames.js';
import type { ReceivedFile } from '../media/uploads.js';
import type { Store } from '../store/repositories.js';
import type { ConsentRecord, ConsentScan, Interview } from '../store/types.js';
import type { ConsentInput } from './schemas.js';
import { actorOf } from '../access/viewer.js';
import { derivedId, digestOf, type UnitOfWork } from '../store/unit-of-work.js';
import type { ConsentPayload } from './units.js';
import { msg } from '../i18n/messages.js';

export const SCAN_MAX_BYTES = 20 * 1024 * 1024;

/** The file's own bytes decide what it is, never its name or the client's Content-Type. */
export async function sniffScan(file: string): Promise<ConsentScan['mime'] | null> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(8);
    await handle.read(head, 0, 8, 0);
    const { size } = await handle.stat();
    if (head.subarray(0, 5).toString('latin1') === '%PDF-') {
      // a PDF cut off during upload has no end marker
      const tailLength = Math.min(1024, size);
      const tail = Buffer.alloc(tailLength);
      await handle.read(tail, 0, tailLength, size - tailLength);
      return tail.toString('latin1').includes('%%EOF') ? 'application/pdf' : null;
    }
    if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
    if (head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
    return null;
  } finally {
    await handle.close();
  }
}

const extensionOf: Record<ConsentScan['mime'], string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};

/** The download name: sanitized exactly like media file names, with the extension of what the bytes are. */
export function scanFilename(raw: string, mime: ConsentScan['mime']): string {
  const clean = sanitizeFilename(raw);
  const stem = clean.replace(/\.[\p{L}\p{N}]{1,10}$/u, '') || 'einverstaendnis';
  return `${stem}.${extensionOf[mime]}`;
}

/**
 * Polyglots: a PDF or image whose first kilobyte also reads as HTML (what a browser's sniffer or a careless viewer
 * would render). Refused; scans are served as attachments with nosniff anyway.
 */
async function looksLikeHtml(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(head, 0, 1024, 0);
    return /<(?:!doctype\s+html|html|head|body|script|iframe|svg|img|a\s|meta|object|embed|style)\b/i.test(
      head.subarray(0, bytesRead).toString('latin1'),
    );
  } finally {
    await handle.close();
  }
}

export class ConsentService {
  constructor(
    private readonly store: Store,
    private readonly uploadsDir: string,
    private readonly audit: AuditLog,
    private readonly interviews: InterviewService,
    private readonly logger: Logger,
    private readonly units: UnitOfWork,
  ) {}

  private staffInterview(viewer: Viewer, interviewId: string): Promise<Interview> {
    return staffInterview(this.store.interviews, viewer, interviewId, msg('consent.byCurators'));
  }

  async list(viewer: Viewer, interviewId: string): Promise<ConsentRecord[]> {
    await this.staffInterview(viewer, interviewId);
    return this.store.consents.currentForInterview(interviewId);
  }

  async history(viewer: Viewer, interviewId: string, consentId: string): Promise<ConsentRecord[]> {
    await this.staffInterview(viewer, interviewId);
    const versions = await this.store.consents.history(consentId);
    if (versions.length === 0 || versions[0]!.interviewId !== interviewId) throw new Problem('not-found');
    return versions;
  }

  /** A new record (consentId undefined) or the next version of one; `expectedVersion` from If-Match. */
  async save(
    viewer: Viewer,
    interviewId: string,
    consentId: string | undefined,
    input: ConsentInput,
    scan: ReceivedFile | undefined,
    expectedVersion?: number,
    idempotencyKey?: string,
  ): Promise<ConsentRecord> {
    const interview = await this.staffInterview(viewer, interviewId);
    const previous = consentId ? await this.store.consents.find(consentId) : null;
    if (consentId && (!previous || previous.interviewId !== interviewId)) throw new Problem('not-found');
    const expected = consentId ? (expectedVersion ?? previous!.version) : null;
    // a version is based on one version once (the key), a new record once per Idempotency-Key
    const key = consentId
      ? `consent.save:${consentId}:${idempotencyKey ?? `v${expected}:${digestOf({ input, scan: scan?.sha256 ?? null })}`}`
      : `consent.save:${interviewId}:${idempotencyKey ?? crypto.randomUUID()}`;
    const existing = await this.units.find(key);
    if (existing) {
      if (scan) await fs.rm(scan.path, { force: true });
      const op = await this.units.run<ConsentPayload>('consent.save', key, existing.payload as ConsentPayload);
      return (
        (await this.store.consents.find(op.payload.record.id, (op.payload.expectedVersion ?? 0) + 1)) ??
        (await this.store.consents.find(op.payload.record.id))!
      );
    }
    // checked before anything is written (the scan included): a stale If-Match leaves nothing behind
    if (consentId && expected !== previous!.version) {
      if (scan) await fs.rm(scan.path, { force: true });
      throw new Problem('precondition-failed', { extra: { currentVersion: previous!.version } });
    }
    const id = consentId ?? derivedId(`${key}#consent`);
    const storedScan = scan
      ? await this.storeScan(interviewId, id, scan)
      : input.keepScan
        ? (previous?.scan ?? null)
        : null;
    const { keepScan: _keep, ...fields } = input;
    const record = {
      ...fields,
      id,
      interviewId,
      scan: storedScan,
      authorId: viewer.kind === 'user' ? viewer.user.id : null,
      createdAt: new Date().toISOString(),
    };
    // what the new version means for a published interview, decided now: back to review when it leaves a gap
    const others = (await this.store.consents.currentForInterview(interviewId)).filter((c) => c.id !== id);
    const gap =
      interview.status === 'published'
        ? consentGap([...others, { ...record, version: (expected ?? 0) + 1 }], interview.visibility)
        : null;
    const actor = actorOf(viewer);
    try {
      await this.units.run<ConsentPayload>('consent.save', key, {
        actor,
        record,
        expectedVersion: expected,
        previous,
        enforce: gap
          ? {
              actor,
              interviewId,
              before: { status: interview.status, visibility: interview.visibility },
              changes: [
                { to: 'in_review', reason: `Einverständnis deckt die Sichtbarkeit nicht mehr ab: ${gap.message}` },
              ],
            }
          : null,
      });
    } catch (err) {
      // rejected (someone else added a version first): the scan stored for it goes again
      if (scan && storedScan && (await this.units.find(key))?.status === 'failed')
        await fs.rm(resolveInUploads(this.uploadsDir, storedScan.path), { force: true });
      throw err;
    }
    const saved = (await this.store.consents.find(id, (expected ?? 0) + 1))!;
    this.logger.info({ interviewId, consentId: id, version: saved.version }, 'consent saved');
    return saved;
  }

  async scanFile(
    viewer: Viewer,
    interviewId: string,
    consentId: string,
    version?: number,
  ): Promise<{ absPath: string; scan: ConsentScan }> {
    await this.staffInterview(viewer, interviewId);
    const record = await this.store.consents.find(consentId, version);
    if (!record || record.interviewId !== interviewId || !record.scan) throw new Problem('not-found');
    return { absPath: resolveInUploads(this.uploadsDir, record.scan.path), scan: record.scan };
  }

  private async storeScan(interviewId: string, consentId: string, file: ReceivedFile): Promise<ConsentScan> {
    try {
      const mime = await sniffScan(file.path);
      if (!mime) {
        throw new Problem('unprocessable', {
          detail: msg('consent.scanIncomplete'),
          errors: [{ field: 'body.scan', message: msg('field.scanType') }],
        });
      }
      if (await looksLikeHtml(file.path)) {
        throw new Problem('unprocessable', {
          detail: msg('consent.scanHtml'),
          errors: [{ field: 'body.scan', message: msg('field.scanHtml') }],
        });
      }
      const rel = path.posix.join(
        'consent',
        interviewId,
        `${consentId}-${file.sha256.slice(0, 16)}.${extensionOf[mime]}`,
      );
      const abs = resolveInUploads(this.uploadsDir, rel);
      await fs.mkdir(path.dirname(abs), { recursive: true });
      await fs.rename(file.path, abs);
      await fs.chmod(abs, 0o444);
      return {
        path: rel,
        mime,
        sha256: file.sha256,
        sizeBytes: file.sizeBytes,
        filename: scanFilename(file.originalFilename, mime),
      };
    } finally {
      await fs.rm(file.path, { force: true });
    }
  }
}
