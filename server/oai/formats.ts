// Metadata formats: unqualified Dublin Core (oai_dc, required by OAI-PMH) and the Europeana Data Model (edm): an
// edm:ProvidedCHO for the interview and the ore:Aggregation with Europeana's mandatory properties (aggregatedCHO,
// dataProvider, isShownAt and/or isShownBy, provider, rights).
import type { Interview } from '../store/types.js';
import { el, type XmlElement, type XmlNode } from './xml.js';

export const NS = {
  oai: 'http://www.openarchives.org/OAI/2.0/',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  oai_dc: 'http://www.openarchives.org/OAI/2.0/oai_dc/',
  dc: 'http://purl.org/dc/elements/1.1/',
  dcterms: 'http://purl.org/dc/terms/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  edm: 'http://www.europeana.eu/schemas/edm/',
  ore: 'http://www.openarchives.org/ore/terms/',
  oaiIdentifier: 'http://www.openarchives.org/OAI/2.0/oai-identifier',
} as const;

export const metadataFormats = {
  oai_dc: { schema: 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd', namespace: NS.oai_dc },
  edm: { schema: 'http://www.europeana.eu/schemas/edm/EDM.xsd', namespace: NS.edm },
} as const;
export type MetadataPrefix = keyof typeof metadataFormats;

export function isMetadataPrefix(value: string): value is MetadataPrefix {
  return Object.hasOwn(metadataFormats, value);
}

/** What a record is built from, beyond the interview: public URLs and names decided by the caller. */
export interface RecordContext {
  interview: Interview;
  /** The interview page (the landing page harvesters link to). */
  pageUrl: string;
  collectionTitle: string | null;
  /** `audio` / `video` of its media, in part order. */
  mediaKinds: Array<'audio' | 'video'>;
  /** A file anonymous visitors may fetch (M4A download or the playable original), absolute URL, with its MIME type. */
  shownBy: { url: string; mime: string | null } | null;
  repositoryName: string;
  rightsUri: string;
}

const people = (i: Interview, role: 'narrator' | 'interviewer') =>
  i.people.filter((p) => p.role === role).map((p) => p.name);

export function oaiDc(ctx: RecordContext): XmlElement {
  const i = ctx.interview;
  const lang = xmlLang(i.language);
  const dc = (name: string, text: string | null | undefined, withLang = false): XmlNode =>
    text ? el(`dc:${name}`, withLang && lang ? { 'xml:lang': lang } : null, text) : null;
  return el(
    'oai_dc:dc',
    {
      'xmlns:oai_dc': NS.oai_dc,
      'xmlns:dc': NS.dc,
      'xmlns:xsi': NS.xsi,
      'xsi:schemaLocation': `${NS.oai_dc} ${metadataFormats.oai_dc.schema}`,
    },
    dc('title', i.title, true),
    ...people(i, 'narrator').map((n) => dc('creator', n)),
    ...people(i, 'interviewer').map((n) => dc('contributor', n)),
    ...i.keywords.map((k) => dc('subject', k, true)),
    dc('description', i.summary, true),
    dc('publisher', ctx.repositoryName),
    dc('date', i.recordedAt),
    dc('type', 'Interview'),
    ...dcmiTypes(ctx.mediaKinds).map((t) => dc('type', t)),
    dc('format', ctx.shownBy?.mime),
    dc('identifier', ctx.pageUrl),
    dc('language', i.language),
    dc('coverage', i.place?.name, true),
    dc('relation', ctx.collectionTitle),
    dc('rights', ctx.rightsUri),
  );
}

export function edm(ctx: RecordContext): XmlElement {
  const i = ctx.interview;
  const lang = xmlLang(i.language);
  const lit = (name: string, text: string | null | undefined, withLang = false): XmlNode =>
    text ? el(name, withLang && lang ? { 'xml:lang': lang } : null, text) : null;
  const ref = (name: string, uri: string) => el(name, { 'rdf:resource': uri });
  const cho = `${ctx.pageUrl}#cho`;
  return el(
    'rdf:RDF',
    {
      'xmlns:rdf': NS.rdf,
      'xmlns:dc': NS.dc,
      'xmlns:dcterms': NS.dcterms,
      'xmlns:edm': NS.edm,
      'xmlns:ore': NS.ore,
    },
    el(
      'edm:ProvidedCHO',
      { 'rdf:about': cho },
      lit('dc:title', i.title, true),
      lit('dc:description', i.summary, true),
      ...people(i, 'narrator').map((n) => lit('dc:creator', n)),
      ...people(i, 'interviewer').map((n) => lit('dc:contributor', n)),
      ...i.keywords.map((k) => lit('dc:subject', k, true)),
      el('dc:type', { 'xml:lang': 'en' }, 'Oral history interview'),
      lit('dc:language', i.language),
      lit('dcterms:created', i.recordedAt),
      lit('dcterms:spatial', i.place?.name, true),
      lit('dcterms:isPartOf', ctx.collectionTitle, true),
      el('edm:type', null, ctx.mediaKinds.includes('video') ? 'VIDEO' : 'SOUND'),
    ),
    ctx.shownBy
      ? el(
          'edm:WebResource',
          { 'rdf:about': ctx.shownBy.url },
          lit('dc:format', ctx.shownBy.mime),
          ref('edm:rights', ctx.rightsUri),
        )
      : null,
    el(
      'ore:Aggregation',
      { 'rdf:about': `${ctx.pageUrl}#aggregation` },
      ref('edm:aggregatedCHO', cho),
      el('edm:dataProvider', null, ctx.repositoryName),
      ref('edm:isShownAt', ctx.pageUrl),
      ctx.shownBy ? ref('edm:isShownBy', ctx.shownBy.url) : null,
      el('edm:provider', null, ctx.repositoryName),
      ref('edm:rights', ctx.rightsUri),
    ),
  );
}

function dcmiTypes(kinds: ReadonlyArray<'audio' | 'video'>): string[] {
  const types: string[] = [];
  if (kinds.includes('audio') || kinds.length === 0) types.push('Sound');
  if (kinds.includes('video')) types.push('MovingImage');
  return types;
}

/** xml:lang must be a language tag (xs:language); interview languages are ISO codes such as `de`. */
function xmlLang(code: string): string | null {
  return /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/.test(code) ? code : null;
}
