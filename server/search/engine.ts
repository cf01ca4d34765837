// The one Meilisearch client of the server, plus a health monitor so routes can fail fast with a 503.
import { EventEmitter } from 'node:events';
import { Meilisearch } from 'meilisearch';
import { Problem } from '../http/problem.js';
import { moduleLogger, type Logger } from '../logger.js';
import { msg } from '../i18n/messages.js';

export interface SearchEngineOptions {
  url: string;
  apiKey: string;
  /** Prepended to every index name, so several archives (or test runs) can share one Meilisearch. */
  indexPrefix?: string;
  logger?: Logger;
  /** Per-request timeout of the shared client. */
  timeoutMs?: number;
}

export interface SearchHealth {
  ok: boolean;
  version?: string;
  error?: string;
}

export interface SearchEngineEvents {
  up: [{ version?: string }];
  down: [{ error: string }];
}

// Node's fetch negotiates compression by default and Meilisearch then answers ~45 ms later per call
const requestInit = { headers: { 'Accept-Encoding': 'identity' } };

export class SearchEngine extends EventEmitter<SearchEngineEvents> {
  readonly client: Meilisearch;
  readonly indexPrefix: string;
  readonly #probeClient: Meilisearch;
  readonly #log: Logger;
  #state: 'unknown' | 'up' | 'down' = 'unknown';
  #version?: string;
  #check?: Promise<SearchHealth>;
  #timer?: NodeJS.Timeout;
  #intervalMs = 2_000;
  #generation = 0;

  constructor(opts: SearchEngineOptions) {
    super();
    this.indexPrefix = opts.indexPrefix ?? '';
    this.#log = opts.logger ?? moduleLogger('search');
    this.client = new Meilisearch({
      host: opts.url,
      apiKey: opts.apiKey,
      timeout: opts.timeoutMs ?? 10_000,
      requestInit,
    });
    // health probes get their own short timeout so a hung server is noticed within one interval
    this.#probeClient = new Meilisearch({ host: opts.url, apiKey: opts.apiKey, timeout: 2_000, requestInit });
  }

  /** False until the first successful check (startMonitoring() or health()). */
  get available(): boolean {
    return this.#state === 'up';
  }

  get version(): string | undefined {
    return this.#version;
  }

  indexName(base: string): string {
    return this.indexPrefix + base;
  }

  /** Checks now and updates `available`; concurrent callers share one request. */
  health(): Promise<SearchHealth> {
    this.#check ??= this.#runCheck().finally(() => {
      this.#check = undefined;
    });
    return this.#check;
  }

  assertAvailable(): void {
    if (this.available) return;
    throw new Problem('search-unavailable', {
      detail: msg('search.unavailable'),
      headers: { 'Retry-After': '5' },
    });
  }

  startMonitoring(intervalMs = 2_000): void {
    this.stopMonitoring();
    this.#intervalMs = intervalMs;
    this.#tick(this.#generation);
  }

  stopMonitoring(): void {
    // bumping the generation also cancels a re-arm from a check that is still in flight
    this.#generation++;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #tick(generation: number): void {
    void this.health().finally(() => {
      if (generation !== this.#generation) return;
      // chained timeouts, not setInterval, so slow checks never pile up; unref so monitoring never holds the process open
      this.#timer = setTimeout(() => this.#tick(generation), this.#intervalMs).unref();
    });
  }

  async #runCheck(): Promise<SearchHealth> {
    let result: SearchHealth;
    try {
      const { status } = await this.#probeClient.health();
      if (status !== 'available') throw new Error(`status ${status}`);
      // re-read after every outage: a restart may have brought a different binary
      if (this.#state !== 'up' || !this.#version) this.#version = (await this.#probeClient.getVersion()).pkgVersion;
      result = { ok: true, version: this.#version };
    } catch (err) {
      result = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    this.#setState(result);
    return result;
  }

  #setState(result: SearchHealth): void {
    const next = result.ok ? 'up' : 'down';
    if (next === this.#state) return;
    const previous = this.#state;
    this.#state = next;
    if (result.ok) {
      this.#log.info({ version: result.version }, 'search available');
      this.emit('up', { version: result.version });
    } else {
      const error = result.error ?? 'unknown error';
      if (previous === 'up') this.#log.warn({ error }, 'search unavailable');
      else this.#log.debug({ error }, 'search not reachable yet');
      this.emit('down', { error });
    }
  }
}
