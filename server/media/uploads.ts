// Multipart uploads: a multer 2 storage engine that streams the one file to UPLOADS_DIR/tmp/uploads/<uuid>, hashing
// and counting on the way. Nothing is held in memory; a rejected, oversized or aborted upload leaves no bytes behind.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline, Transform } from 'node:stream';
import type { Request, Response } from 'express';
import multer from 'multer';
import { Problem } from '../http/problem.js';
import { msg, type Text } from '../i18n/messages.js';
import { tmpDirs } from './paths.js';

export interface ReceivedFile {
  path: string;
  sizeBytes: number;
  sha256: string;
  /** As sent by the client; untrusted. */
  originalFilename: string;
}

type EngineFile = Express.Multer.File & { sha256?: string };

/** Streams each accepted file to its own temp file; multer calls _removeFile for files of a failed request. */
export class StreamingTempStorage implements multer.StorageEngine {
  // Open write streams, so a removal can wait for the descriptor to close before unlinking (else the file reappears).
  private readonly open = new WeakMap<object, fs.WriteStream>();

  constructor(private readonly dir: string) {}

  _handleFile(_req: Request, file: EngineFile, cb: (error?: unknown, info?: Partial<EngineFile>) => void): void {
    const target = path.join(this.dir, crypto.randomUUID());
    // Known before the first byte, so multer's abort cleanup finds the file even while it is still being written.
    file.path = target;
    const hash = crypto.createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, next) {
        hash.update(chunk);
        bytes += chunk.length;
        next(null, chunk);
      },
    });
    try {
      // Synchronously, so that a removal requested by multer's abort always finds the stream it has to close.
      fs.mkdirSync(this.dir, { recursive: true });
    } catch (err) {
      cb(err);
      return;
    }
    const out = fs.createWriteStream(target, { flags: 'wx', mode: 0o600 });
    this.open.set(file, out);
    out.once('close', () => this.open.delete(file));
    pipeline(file.stream, meter, out, (err) => {
      if (err) {
        // The client went away or the disk failed: the partial file goes now, whatever multer does next.
        void this.discard(file, target).finally(() => cb(err));
        return;
      }
      cb(null, { path: target, size: bytes, sha256: hash.digest('hex') });
    });
  }

  _removeFile(_req: Request, file: EngineFile, cb: (error: Error | null) => void): void {
    this.discard(file, file.path).then(
      () => cb(null),
      (err: Error) => cb(err),
    );
  }

  private async discard(file: object, target: string | undefined): Promise<void> {
    const out = this.open.get(file);
    if (out && !out.closed) {
      await new Promise<void>((resolve) => {
        out.once('close', () => resolve());
        out.destroy();
      });
    }
    if (target) await fs.promises.rm(target, { force: true });
  }
}

const multerProblems: Partial<Record<multer.ErrorCode, Text>> = {
  LIMIT_UNEXPECTED_FILE: msg('media.exactlyOneFile'),
  LIMIT_FILE_COUNT: msg('media.oneFilePerRequest'),
  LIMIT_PART_COUNT: msg('media.tooManyParts'),
  LIMIT_FIELD_COUNT: msg('media.tooManyFields'),
};

export interface UploadReceiverOptions {
  uploadsDir: string;
  maxBytes: number;
}

/**
 * Receives the single file of a multipart request (field `file`). Resolves with the temp file, or undefined when
 * the form carried no file; rejects with a Problem (400 for malformed forms, 413 beyond the size limit).
 */
export function createUploadReceiver(
  opts: UploadReceiverOptions,
): (req: Request, res: Response) => Promise<ReceivedFile | undefined> {
  const middleware = multer({
    storage: new StreamingTempStorage(path.join(opts.uploadsDir, tmpDirs.uploads)),
    limits: { fileSize: opts.maxBytes, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 21 },
    // Browsers send UTF-8 file names (RFC 7578); multer's latin1 default would garble "Müller.mp3".
    defParamCharset: 'utf8',
  }).single('file');

  return (req, res) =>
    new Promise((resolve, reject) => {
      middleware(req, res, (err: unknown) => {
        if (err) return reject(toUploadProblem(err, opts.maxBytes));
        const file = req.file as EngineFile | undefined;
        if (!file) return resolve(undefined);
        resolve({
          path: file.path,
          sizeBytes: file.size,
          sha256: file.sha256 ?? '',
          originalFilename: file.originalname,
        });
      });
    });
}

function toUploadProblem(err: unknown, maxBytes: number): unknown {
  if (!(err instanceof multer.MulterError)) {
    // busboy reports malformed multipart bodies as plain errors
    // (a NUL or control byte in a part header is "Malformed part header": the client's fault, 400)
    if (
      err instanceof Error &&
      /multipart|boundary|unexpected end of form|malformed|part terminated/i.test(err.message)
    ) {
      return new Problem('bad-request', { detail: msg('media.formMalformed') });
    }
    return err;
  }
  if (err.code === 'LIMIT_FILE_SIZE') {
    return new Problem('payload-too-large', { detail: msg('media.fileTooLarge', { maxBytes }), extra: { maxBytes } });
  }
  return new Problem('bad-request', {
    detail: multerProblems[err.code] ?? msg('media.formMalformedCode', { code: err.code }),
    ...(err.field ? { errors: [{ field: `body.${err.field}`, message: err.message }] } : {}),
  });
}
