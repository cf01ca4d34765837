// OAI-PMH 2.0 (http://www.openarchives.org/OAI/openarchivesprotocol.html): the six verbs, their arguments and every
// error condition. Protocol errors are OAI-PMH <error> elements in an HTTP 200 answer, as the protocol says.
import type { Collection } from '../store/types.js';
import {
  edm,
  isMetadataPrefix,
  metadataFormats,
  NS,
  oaiDc,
  type MetadataPrefix,
  type RecordContext,
} from './formats.js';
import { compareItems, type HarvestItem, type HarvestSource } from './records.js';
import type { ResumptionState, ResumptionTokens } from './tokens.js';
import { el, xmlDocument, type XmlElement, type XmlNode } from './xml.js';

export const verbs = [
  'Identify',
  'ListMetadataFormats',
  'ListSets',
  'GetRecord',
  'ListIdentifiers',
  'ListRecords',
] as const;
type Verb = (typeof verbs)[number];

export type OaiErrorCode =
  | 'badArgument'
  | 'badResumptionToken'
  | 'badVerb'
  | 'cannotDisseminateFormat'
  | 'idDoesNotExist'
  | 'noRecordsMatch'
  | 'noMetadataFormats'
  | 'noSetHierarchy';

class OaiError extends Error {
  constructor(
    readonly code: OaiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Arguments each verb takes: required, optional, or exclusive (resumptionToken, alone). */
const verbArguments: Record<Verb, { required: string[]; optional: string[]; exclusive?: string }> = {
  Identify: { required: [], optional: [] },
  ListMetadataFormats: { required: [], optional: ['identifier'] },
  ListSets: { required: [], optional: [], exclusive: 'resumptionToken' },
  GetRecord: { required: ['identifier', 'metadataPrefix'], optional: [] },
  ListIdentifiers: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
  ListRecords: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
};

export interface OaiSettings {
  repositoryName: string;
  /** oai-identifier namespace part: `oai:<repositoryIdentifier>:<interview id>`. */
  repositoryIdentifier: string;
  adminEmail: string;
  pageSize: number;
  rightsUri: string;
}

export interface OaiRequestContext {
  /** The base URL this request reached (PUBLIC_URL + /oai when configured). */
  baseUrl: string;
  /** Origin used for links to interview pages and media. */
  siteUrl: string;
  now: Date;
}

/** The media facts a record needs, as anonymous visitors get them (same access check as the interview page). */
export type PublicMediaOf = (
  item: HarvestItem,
) => Promise<{ kinds: Array<'audio' | 'video'>; shownBy: { path: string; mime: string | null } | null }>;

const SET_PREFIX = 'collection-';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class OaiProvider {
  constructor(
    private readonly source: HarvestSource,
    private readonly tokens: ResumptionTokens,
    private readonly settings: OaiSettings,
    private readonly mediaOf: PublicMediaOf,
  ) {}

  identifierOf(id: string): string {
    return `oai:${this.settings.repositoryIdentifier}:${id}`;
  }

  private idFromIdentifier(identifier: string): string | null {
    const prefix = `oai:${this.settings.repositoryIdentifier}:`;
    if (!identifier.startsWith(prefix)) return null;
    const id = identifier.slice(prefix.length);
    return UUID.test(id) ? id : null;
  }

  /** Answers one request. `args` are the request's parameters as received (a repeated one arrives as an array). */
  async handle(args: Record<string, unknown>, ctx: OaiRequestContext): Promise<string> {
    let echo: Record<string, string> = {};
    try {
      const verbArg = args.verb;
      if (typeof verbArg !== 'string' || !(verbs as readonly string[]).includes(verbArg)) {
        throw new OaiError(
          'badVerb',
          verbArg === undefined
            ? 'The verb argument is missing.'
            : Array.isArray(verbArg)
              ? 'The verb argument is repeated.'
              : `Illegal verb: ${String(verbArg)}`,
        );
      }
      const verb = verbArg as Verb;
      const params = checkArguments(verb, args);
      echo = { verb, ...params };
      const body = await this.dispatch(verb, params, ctx);
      return this.envelope(ctx, echo, body);
    } catch (err) {
      if (!(err instanceof OaiError)) throw err;
      // badVerb and badArgument answers echo no arguments (section 3.2); others echo the request
      const attrs = err.code === 'badVerb' || err.code === 'badArgument' ? {} : echo;
      return this.envelope(ctx, attrs, [el('error', { code: err.code }, err.message)]);
    }
  }

  private envelope(ctx: OaiRequestContext, request: Record<string, string>, body: XmlNode[]): string {
    return xmlDocument(
      el(
        'OAI-PMH',
        {
          xmlns: NS.oai,
          'xmlns:xsi': NS.xsi,
          'xsi:schemaLocation': `${NS.oai} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd`,
        },
        el('responseDate', null, utcSeconds(ctx.now.toISOString())),
        el('request', request, ctx.baseUrl),
        ...body,
      ),
    );
  }

  private async dispatch(verb: Verb, params: Record<string, string>, ctx: OaiRequestContext): Promise<XmlNode[]> {
    switch (verb) {
      case 'Identify':
        return [await this.identify(ctx)];
      case 'ListMetadataFormats':
        return [await this.listMetadataFormats(params.identifier)];
      case 'ListSets':
        return [await this.listSets(params.resumptionToken)];
      case 'GetRecord':
        return [await this.getRecord(params.identifier!, params.metadataPrefix!, ctx)];
      case 'ListIdentifiers':
      case 'ListRecords':
        return [await this.list(verb, params, ctx)];
    }
  }

  private async identify(ctx: OaiRequestContext): Promise<XmlElement> {
    const items = await this.source.items();
    const earliest = items.reduce<string | null>((min, i) => (min === null || i.stamp < min ? i.stamp : min), null);
    const sample = this.identifierOf('00000000-0000-4000-8000-000000000000');
    const validRepoId = /^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+$/.test(this.settings.repositoryIdentifier);
    return el(
      'Identify',
      null,
      el('repositoryName', null, this.settings.repositoryName),
      el('baseURL', null, ctx.baseUrl),
      el('protocolVersion', null, '2.0'),
      el('adminEmail', null, this.settings.adminEmail),
      el('earliestDatestamp', null, utcSeconds(earliest ?? ctx.now.toISOString())),
      el('deletedRecord', null, 'persistent'),
      el('granularity', null, 'YYYY-MM-DDThh:mm:ssZ'),
      validRepoId
        ? el(
            'description',
            null,
            el(
              'oai-identifier',
              {
                xmlns: NS.oaiIdentifier,
                'xmlns:xsi': NS.xsi,
                'xsi:schemaLocation': `${NS.oaiIdentifier} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd`,
              },
              el('scheme', null, 'oai'),
              el('repositoryIdentifier', null, this.settings.repositoryIdentifier),
              el('delimiter', null, ':'),
              el('sampleIdentifier', null, sample),
            ),
          )
        : null,
    );
  }

  private async listMetadataFormats(identifier: string | undefined): Promise<XmlElement> {
    if (identifier !== undefined) await this.itemFor(identifier);
    return el(
      'ListMetadataFormats',
      null,
      ...Object.entries(metadataFormats).map(([prefix, f]) =>
        el(
          'metadataFormat',
          null,
          el('metadataPrefix', null, prefix),
          el('schema', null, f.schema),
          el('metadataNamespace', null, f.namespace),
        ),
      ),
    );
  }

  private async listSets(token: string | undefined): Promise<XmlElement> {
    // every set fits in one answer, so no token of ours ever continues a ListSets
    if (token !== undefined)
      throw new OaiError(
        'badResumptionToken',
        'ListSets is answered in one response; this resumption token is not valid.',
      );
    const collections = await this.source.collections();
    if (collections.length === 0)
      throw new OaiError('noSetHierarchy', 'This repository has no collections, hence no sets.');
    return el(
      'ListSets',
      null,
      ...collections.map((c) =>
        el(
          'set',
          null,
          el('setSpec', null, SET_PREFIX + c.id),
          el('setName', null, c.title),
          c.description
            ? el(
                'setDescription',
                null,
                el(
                  'oai_dc:dc',
                  {
                    'xmlns:oai_dc': NS.oai_dc,
                    'xmlns:dc': NS.dc,
                    'xmlns:xsi': NS.xsi,
                    'xsi:schemaLocation': `${NS.oai_dc} ${metadataFormats.oai_dc.schema}`,
                  },
                  el('dc:description', null, c.description),
                ),
              )
            : null,
        ),
      ),
    );
  }

  private async itemFor(identifier: string): Promise<HarvestItem> {
    const id = this.idFromIdentifier(identifier);
    const item = id ? await this.source.item(id) : null;
    if (!item) throw new OaiError('idDoesNotExist', `No record has the identifier ${identifier}.`);
    return item;
  }

  private async getRecord(identifier: string, prefix: string, ctx: OaiRequestContext): Promise<XmlElement> {
    if (!isMetadataPrefix(prefix)) throw cannotDisseminate(prefix);
    const item = await this.itemFor(identifier);
    const collections = await this.collectionTitles();
    return el('GetRecord', null, await this.record(item, prefix, ctx, collections));
  }

  private async list(
    verb: 'ListIdentifiers' | 'ListRecords',
    params: Record<string, string>,
    ctx: OaiRequestContext,
  ): Promise<XmlElement> {
    const state = this.listState(verb, params);
    const collections = await this.collectionTitles();
    if (state.set !== undefined && collections.size === 0)
      throw new OaiError('noSetHierarchy', 'This repository has no collections, hence no sets.');
    const setCollection =
      state.set === undefined ? undefined : state.set.startsWith(SET_PREFIX) ? state.set.slice(SET_PREFIX.length) : '';
    const from = state.from === undefined ? undefined : lowerBound(state.from);
    const until = state.until === undefined ? undefined : upperBound(state.until);
    const matching = (await this.source.items()).filter((item) => {
      const stamp = utcSeconds(item.stamp);
      if (from !== undefined && stamp < from) return false;
      if (until !== undefined && stamp > until) return false;
      return setCollection === undefined || item.collectionId === setCollection;
    });
    const after = { stamp: state.afterStamp, id: state.afterId };
    const rest = state.afterStamp === '' ? matching : matching.filter((item) => compareItems(item, after) > 0);
    if (rest.length === 0) {
      if (state.cursor === 0) throw new OaiError('noRecordsMatch', 'No records match these arguments.');
      // the records this token would continue with were withdrawn or hidden meanwhile; the schema needs at least one
      throw new OaiError('badResumptionToken', 'The list this resumption token continues has no records left.');
    }
    const page = rest.slice(0, this.settings.pageSize);
    const children: XmlNode[] = [];
    for (const item of page) {
      children.push(
        verb === 'ListRecords'
          ? await this.record(item, state.prefix as MetadataPrefix, ctx, collections)
          : this.header(item),
      );
    }
    const more = rest.length > page.length;
    // the first page of a list that fits gets no token; every later page does, the last one empty (section 3.5)
    if (more || state.cursor > 0) {
      const last = page[page.length - 1]!;
      const token = more
        ? this.tokens.encode({ ...state, cursor: state.cursor + page.length, afterStamp: last.stamp, afterId: last.id })
        : '';
      children.push(
        el('resumptionToken', { completeListSize: state.cursor + rest.length, cursor: state.cursor }, token),
      );
    }
    return el(verb, null, ...children);
  }

  private listState(verb: 'ListIdentifiers' | 'ListRecords', params: Record<string, string>): ResumptionState {
    const code = verb === 'ListRecords' ? 'r' : 'i';
    if (params.resumptionToken !== undefined) {
      const state = this.tokens.decode(params.resumptionToken);
      if (!state || state.verb !== code)
        throw new OaiError(
          'badResumptionToken',
          'The resumption token is invalid (altered, truncated or issued for another request).',
        );
      return state;
    }
    const prefix = params.metadataPrefix!;
    if (!isMetadataPrefix(prefix)) throw cannotDisseminate(prefix);
    const { from, until, set } = params;
    const granularities = [from, until].filter((d): d is string => d !== undefined).map(granularityOf);
    if (granularities.includes(null))
      throw new OaiError('badArgument', 'from and until must be UTC dates as YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.');
    if (granularities.length === 2 && granularities[0] !== granularities[1])
      throw new OaiError('badArgument', 'from and until must have the same granularity.');
    if (from !== undefined && until !== undefined && lowerBound(from) > upperBound(until))
      throw new OaiError('badArgument', 'from is later than until.');
    if (set !== undefined && !/^([A-Za-z0-9\-_.!~*'()])+(:[A-Za-z0-9\-_.!~*'()]+)*$/.test(set))
      throw new OaiError('badArgument', 'set is not a valid setSpec.');
    return {
      v: 1,
      verb: code,
      prefix,
      ...(set !== undefined ? { set } : {}),
      ...(from !== undefined ? { from } : {}),
      ...(until !== undefined ? { until } : {}),
      cursor: 0,
      afterStamp: '',
      afterId: '',
    };
  }

  private header(item: HarvestItem): XmlElement {
    return el(
      'header',
      item.deleted ? { status: 'deleted' } : null,
      el('identifier', null, this.identifierOf(item.id)),
      el('datestamp', null, utcSeconds(item.stamp)),
      item.collectionId ? el('setSpec', null, SET_PREFIX + item.collectionId) : null,
    );
  }

  private async record(
    item: HarvestItem,
    prefix: MetadataPrefix,
    ctx: OaiRequestContext,
    collections: Map<string, string>,
  ): Promise<XmlElement> {
    if (item.deleted) return el('record', null, this.header(item));
    const media = await this.mediaOf(item);
    const recordCtx: RecordContext = {
      interview: item.interview,
      pageUrl: `${ctx.siteUrl}/interviews/${item.id}`,
      collectionTitle: item.collectionId ? (collections.get(item.collectionId) ?? null) : null,
      mediaKinds: media.kinds,
      shownBy: media.shownBy
        ? { url: new URL(media.shownBy.path, `${ctx.siteUrl}/`).href, mime: media.shownBy.mime }
        : null,
      repositoryName: this.settings.repositoryName,
      rightsUri: this.settings.rightsUri,
    };
    return el(
      'record',
      null,
      this.header(item),
      el('metadata', null, prefix === 'oai_dc' ? oaiDc(recordCtx) : edm(recordCtx)),
    );
  }

  private async collectionTitles(): Promise<Map<string, string>> {
    const all: Collection[] = await this.source.collections();
    return new Map(all.map((c) => [c.id, c.title]));
  }
}

function cannotDisseminate(prefix: string): OaiError {
  return new OaiError('cannotDisseminateFormat', `The metadata format ${prefix} is not supported (oai_dc, edm).`);
}

/** Checks the arguments against the verb: unknown, repeated, missing or combined-with-exclusive ones are badArgument. */
function checkArguments(verb: Verb, args: Record<string, unknown>): Record<string, string> {
  const spec = verbArguments[verb];
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(args)) {
    if (name === 'verb') continue;
    const allowed = spec.required.includes(name) || spec.optional.includes(name) || spec.exclusive === name;
    if (!allowed) throw new OaiError('badArgument', `${verb} does not take the argument ${name}.`);
    if (typeof value !== 'string') throw new OaiError('badArgument', `The argument ${name} is repeated.`);
    params[name] = value;
  }
  if (params.metadataPrefix !== undefined && !/^[A-Za-z0-9\-_.!~*'()]+$/.test(params.metadataPrefix)) {
    throw new OaiError('badArgument', 'metadataPrefix has characters a metadata prefix cannot have.');
  }
  if (spec.exclusive && params[spec.exclusive] !== undefined) {
    if (Object.keys(params).length > 1)
      throw new OaiError('badArgument', `${spec.exclusive} is an exclusive argument.`);
    return params;
  }
  for (const name of spec.required) {
    if (params[name] === undefined || params[name] === '')
      throw new OaiError('badArgument', `${verb} needs the argument ${name}.`);
  }
  return params;
}

/** `YYYY-MM-DDThh:mm:ssZ` of an ISO timestamp. */
export function utcSeconds(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19)}Z`;
}

function granularityOf(value: string): 'day' | 'seconds' | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return validDate(`${value}T00:00:00Z`, value) ? 'day' : null;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value))
    return validDate(value, value.slice(0, 10)) ? 'seconds' : null;
  return null;
}

/** Rejects dates such as 2019-02-30 or 25:00:00 that Date would silently roll over. */
function validDate(iso: string, day: string): boolean {
  const t = Date.parse(iso);
  return (
    Number.isFinite(t) &&
    new Date(t).toISOString().slice(0, 10) === day &&
    `${new Date(t).toISOString().slice(0, 19)}Z` === iso.replace(/\.\d+Z$/, 'Z')
  );
}

const lowerBound = (v: string) => (v.length === 10 ? `${v}T00:00:00Z` : v);
const upperBound = (v: string) => (v.length === 10 ? `${v}T23:59:59Z` : v);
