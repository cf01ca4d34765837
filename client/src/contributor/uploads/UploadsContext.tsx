// Resumable uploads (tus) for the whole contributor area: they keep running while the person moves between pages of
// the area, and survive a page reload as "unfinished uploads" that continue from the server's offset once the same
// file is chosen again (tus-js-client keeps the upload URL in localStorage under the file's fingerprint).
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { DetailedError, Upload, defaultOptions, type PreviousUpload } from 'tus-js-client';
import { getCsrfToken, apiLanguage, problemFromBody } from '../../lib/http.js';
import { percentOf } from '../lib/progress.js';

export const UPLOAD_ENDPOINT_PATH = '/api/uploads';
export const CHUNK_SIZE = 8 * 1024 * 1024;
/** Waits before each retry after a lost connection or a 5xx; afterwards the person can try again by hand. */
export const RETRY_DELAYS = [0, 1000, 3000, 5000, 10_000, 20_000, 30_000];

export type UploadPhase = 'checking' | 'uploading' | 'paused' | 'finishing' | 'done' | 'error';

export interface UploadItem {
  id: string;
  interviewId: string;
  fileName: string;
  size: number;
  /** Bytes sent (after a resume: counted from the server's offset). */
  sent: number;
  phase: UploadPhase;
  /** Set when the upload continued an earlier one: how far the server already was. */
  resumedFromPercent: number | null;
  runStartedAt: number;
  runStartBytes: number;
  error: string | null;
  /** False for refusals that trying again cannot fix (not a media file, no permission). */
  retryable: boolean;
  mediumId: string | null;
}

export interface PendingUpload {
  storageKey: string;
  uploadUrl: string;
  fileName: string;
  size: number;
  createdAt: string;
  /** Bytes the server already has; null when it could not be asked. */
  serverOffset: number | null;
  previous: PreviousUpload;
}

interface UploadsApi {
  items: UploadItem[];
  start(interviewId: string, file: File, previous?: PreviousUpload): Promise<void>;
  pause(id: string): void;
  resume(id: string): void;
  cancel(id: string): Promise<void>;
  dismiss(id: string): void;
  findPending(interviewId: string): Promise<PendingUpload[]>;
  discardPending(p: PendingUpload): Promise<void>;
}

const UploadsContext = createContext<UploadsApi | null>(null);

const endpoint = () => new URL(UPLOAD_ENDPOINT_PATH, window.location.origin).href;

type HeadAnswer = { kind: 'offset'; offset: number; length: number | null; mediumId: string | null } | { kind: 'gone' } | { kind: 'unknown' };

/** Asks the server how far an upload got (tus HEAD). */
async function headUpload(uploadUrl: string): Promise<HeadAnswer> {
  try {
    const res = await fetch(uploadUrl, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' }, credentials: 'same-origin', cache: 'no-store' });
    if (res.status === 404 || res.status === 410 || res.status === 403) return { kind: 'gone' };
    if (!res.ok) return { kind: 'unknown' };
    const offset = Number(res.headers.get('Upload-Offset'));
    const length = Number(res.headers.get('Upload-Length'));
    if (!Number.isFinite(offset)) return { kind: 'unknown' };
    return { kind: 'offset', offset, length: Number.isFinite(length) ? length : null, mediumId: res.headers.get('Upload-Medium-Id') };
  } catch {
    return { kind: 'unknown' };
  }
}

/** A readable reason from tus-js-client's error (the server answers problem+json). */
function describeError(err: Error): { message: string; retryable: boolean } {
  if (err instanceof DetailedError && err.originalResponse) {
    const status = err.originalResponse.getStatus();
    const p = problemFromBody(err.originalResponse.getBody() ?? '', status);
    const message = [p.title, p.detail].filter((x) => typeof x === 'string' && x !== '').join(' ') || `HTTP ${status}`;
    return { message, retryable: status >= 500 || status === 409 || status === 423 || status === 0 };
  }
  return { message: '', retryable: true };
}

export function UploadsProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const uploads = useRef(new Map<string, Upload>());

  const patch = useCallback((id: string, change: Partial<UploadItem> | ((item: UploadItem) => Partial<UploadItem>)) => {
    setItems((list) => list.map((it) => (it.id === id ? { ...it, ...(typeof change === 'function' ? change(it) : change) } : it)));
  }, []);

  const start = useCallback(
    async (interviewId: string, file: File, previous?: PreviousUpload) => {
      const id = crypto.randomUUID();
      const now = Date.now();
      setItems((list) => [
        ...list,
        {
          id, interviewId, fileName: file.name, size: file.size, sent: 0, phase: 'checking', resumedFromPercent: null,
          runStartedAt: now, runStartBytes: 0, error: null, retryable: true, mediumId: null,
        },
      ]);
      const upload = new Upload(file, {
        endpoint: endpoint(),
        chunkSize: CHUNK_SIZE,
        retryDelays: RETRY_DELAYS,
        metadata: { interviewId, filename: file.name },
        headers: { 'Accept-Language': apiLanguage() },
        // the token may have been renewed (a new login in another tab): read it for every request
        onBeforeRequest: (req) => {
          const token = getCsrfToken();
          if (token) req.setHeader('X-CSRF-Token', token);
        },
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        onProgress: (sent, total) => patch(id, { sent, phase: sent >= total ? 'finishing' : 'uploading' }),
        onSuccess: ({ lastResponse }) => {
          let mediumId = lastResponse.getHeader('Upload-Medium-Id') ?? null;
          if (!mediumId) {
            try {
              mediumId = (JSON.parse(lastResponse.getBody()) as { id?: string }).id ?? null;
            } catch {
              mediumId = null;
            }
          }
          uploads.current.delete(id);
          patch(id, (it) => ({ phase: 'done', sent: it.size, mediumId }));
        },
        onError: (err) => {
          const { message, retryable } = describeError(err);
          patch(id, { phase: 'error', error: message, retryable });
        },
      });
      uploads.current.set(id, upload);

      const earlier = previous ?? (await upload.findPreviousUploads()).find((p) => p.metadata?.interviewId === interviewId && p.uploadUrl);
      if (earlier?.uploadUrl) {
        const head = await headUpload(earlier.uploadUrl);
        if (head.kind === 'offset') {
          patch(id, { sent: head.offset, runStartBytes: head.offset, resumedFromPercent: percentOf(head.offset, file.size) });
        }
        if (head.kind !== 'gone') upload.resumeFromPreviousUpload(earlier);
        else await defaultOptions.urlStorage.removeUpload(earlier.urlStorageKey);
      }
      if (!uploads.current.has(id)) return; // cancelled meanwhile
      patch(id, { phase: 'uploading', runStartedAt: Date.now() });
      upload.start();
    },
    [patch],
  );

  const pause = useCallback(
    (id: string) => {
      void uploads.current.get(id)?.abort(false);
      patch(id, { phase: 'paused' });
    },
    [patch],
  );

  const resume = useCallback(
    (id: string) => {
      const upload = uploads.current.get(id);
      if (!upload) return;
      patch(id, (it) => ({ phase: 'checking', error: null, runStartedAt: Date.now(), runStartBytes: it.sent }));
      upload.start();
    },
    [patch],
  );

  const cancel = useCallback(async (id: string) => {
    const upload = uploads.current.get(id);
    uploads.current.delete(id);
    setItems((list) => list.filter((it) => it.id !== id));
    // terminate: the server deletes the partial file, and the fingerprint entry goes too
    if (upload) await upload.abort(true).catch(() => undefined);
  }, []);

  const dismiss = useCallback((id: string) => {
    uploads.current.delete(id);
    setItems((list) => list.filter((it) => it.id !== id));
  }, []);

  const findPending = useCallback(async (interviewId: string): Promise<PendingUpload[]> => {
    const stored = await defaultOptions.urlStorage.findAllUploads();
    const active = new Set([...uploads.current.values()].map((u) => u.url).filter(Boolean));
    const result: PendingUpload[] = [];
    for (const p of stored) {
      if (p.metadata?.interviewId !== interviewId || !p.uploadUrl || active.has(p.uploadUrl)) continue;
      const head = await headUpload(p.uploadUrl);
      // expired on the server, or finished after all (the answer got lost): nothing left to resume
      if (head.kind === 'gone' || (head.kind === 'offset' && head.mediumId)) {
        await defaultOptions.urlStorage.removeUpload(p.urlStorageKey);
        continue;
      }
      result.push({
        storageKey: p.urlStorageKey,
        uploadUrl: p.uploadUrl,
        fileName: p.metadata.filename ?? '',
        size: p.size ?? 0,
        createdAt: p.creationTime,
        serverOffset: head.kind === 'offset' ? head.offset : null,
        previous: p,
      });
    }
    return result;
  }, []);

  const discardPending = useCallback(async (p: PendingUpload) => {
    await defaultOptions.urlStorage.removeUpload(p.storageKey);
    const token = getCsrfToken();
    await Upload.terminate(p.uploadUrl, { headers: token ? { 'X-CSRF-Token': token } : {}, retryDelays: [] }).catch(() => undefined);
  }, []);

  // Leaving the page while bytes are on the way: the browser asks first (tus could resume, but only with the file).
  const running = items.some((it) => it.phase === 'uploading' || it.phase === 'checking' || it.phase === 'finishing');
  useEffect(() => {
    if (!running) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [running]);

  // leaving the contributor area stops the transfers; they stay resumable
  useEffect(() => {
    const map = uploads.current;
    return () => {
      for (const upload of map.values()) void upload.abort(false);
    };
  }, []);

  const api = useMemo<UploadsApi>(
    () => ({ items, start, pause, resume, cancel, dismiss, findPending, discardPending }),
    [items, start, pause, resume, cancel, dismiss, findPending, discardPending],
  );
  return <UploadsContext value={api}>{children}</UploadsContext>;
}

export function useUploads(): UploadsApi {
  const api = useContext(UploadsContext);
  if (!api) throw new Error('useUploads outside <UploadsProvider>');
  return api;
}
