// OAI-PMH 2.0 at /oai, against real harvesters written by others: Python's Sickle and Debian's HTTP::OAI (its
// `oai_pmh` command-line harvester), both harvesting over several resumption pages (OAI_PAGE_SIZE=2) including a
// deleted (withdrawn) record. Every answer the tests receive is validated by xmllint against the vendored OAI-PMH,
// oai_dc and oai-identifier schemas (tests/fixtures/oai/, no network). Real app, real SQLite, the run's Meilisearch.
import { describe, expect, it } from 'vitest';
import {
  all,
  answers,
  base,
  errorCode,
  fx,
  hasPerlOai,
  hasSickle,
  hasXmllint,
  oai,
  oaiId,
  python,
  REPO_ID,
  requestLog,
  run,
  t,
  tokenOf,
  useOaiFixture,
  xmllint,
} from './helpers/oai-fixture.js';

useOaiFixture();

describe('OAI-PMH 2.0 at /oai: verbs, access, errors', () => {
  it('Identify: persistent deleted records, seconds granularity, oai-identifier description', async () => {
    const xml = await oai('verb=Identify');
    expect(xml).toContain('<protocolVersion>2.0</protocolVersion>');
    expect(xml).toContain('<deletedRecord>persistent</deletedRecord>');
    expect(xml).toContain('<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>');
    expect(xml).toContain(`<baseURL>${base}/oai</baseURL>`);
    expect(xml).toContain('<adminEmail>archiv@schichtbuch.test</adminEmail>');
    expect(xml).toContain(`<repositoryIdentifier>${REPO_ID}</repositoryIdentifier>`);
    expect(xml).toMatch(/<earliestDatestamp>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/earliestDatestamp>/);
  });

  it('ListMetadataFormats: oai_dc and edm, also for one identifier; unknown identifier → idDoesNotExist', async () => {
    for (const q of ['verb=ListMetadataFormats', `verb=ListMetadataFormats&identifier=${oaiId(fx.visible[2]!)}`]) {
      const xml = await oai(q);
      expect(all(xml, /<metadataPrefix>([^<]+)<\/metadataPrefix>/g)).toEqual(['oai_dc', 'edm']);
    }
    expect(errorCode(await oai(`verb=ListMetadataFormats&identifier=${oaiId(fx.registered)}`))).toBe('idDoesNotExist');
  });

  it('ListSets: the collections, with their description as escaped text', async () => {
    const xml = await oai('verb=ListSets');
    expect(all(xml, /<setSpec>([^<]+)<\/setSpec>/g).sort()).toEqual(
      [`collection-${fx.collectionA}`, `collection-${fx.collectionB}`].sort(),
    );
    expect(xml).toContain('<dc:description>Bergleute &lt;erzählen&gt; &amp; &quot;Kumpel&quot;</dc:description>');
    expect(errorCode(await oai('verb=ListSets&resumptionToken=abc'))).toBe('badResumptionToken');
  });

  it('ListIdentifiers lists exactly what anonymous visitors may see, plus the withdrawn public interview as deleted', async () => {
    const seen: { id: string; deleted: boolean }[] = [];
    let xml = await oai('verb=ListIdentifiers&metadataPrefix=oai_dc');
    const cursors: string[] = [];
    for (;;) {
      for (const m of xml.matchAll(/<header( status="deleted")?>\s*<identifier>([^<]+)<\/identifier>/g))
        seen.push({ id: m[2]!.split(':').pop()!, deleted: Boolean(m[1]) });
      const token = tokenOf(xml);
      if (!token) break;
      cursors.push(/cursor="(\d+)"/.exec(token[0])![1]!);
      expect(token[0]).toContain('completeListSize="8"');
      const value = token[2] ?? '';
      if (!value) break;
      xml = await oai(`verb=ListIdentifiers&resumptionToken=${encodeURIComponent(value)}`, 'ListIdentifiers (resumed)');
    }
    expect(cursors).toEqual(['0', '2', '4', '6']);
    expect(
      seen
        .filter((s) => !s.deleted)
        .map((s) => s.id)
        .sort(),
    ).toEqual([...fx.visible].sort());
    expect(seen.filter((s) => s.deleted).map((s) => s.id)).toEqual([fx.withdrawn, fx.narrowed, fx.removed]);
    for (const hidden of [fx.registered, fx.draft, fx.withdrawnDraft, fx.withdrawnRegistered, fx.embargoed])
      expect(seen.map((s) => s.id)).not.toContain(hidden);
  });

  it('GetRecord oai_dc: escaped text (markup in titles stays text), DCMI type, set; deleted record has a header only', async () => {
    const xml = await oai(`verb=GetRecord&metadataPrefix=oai_dc&identifier=${oaiId(fx.tricky)}`);
    expect(xml).toContain(
      '<dc:title xml:lang="de">Kohle &amp; &lt;b&gt;Kumpel&lt;/b&gt; &quot;unter&quot; Tage</dc:title>',
    );
    expect(xml).toContain(
      '<dc:description xml:lang="de">&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp;amp;</dc:description>',
    );
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('<dc:creator>Horst Krüger</dc:creator>');
    expect(xml).toContain('<dc:contributor>Lena Schmidt</dc:contributor>');
    expect(xml).toContain(`<dc:identifier>${base}/interviews/${fx.tricky}</dc:identifier>`);
    expect(xml).toContain(`<setSpec>collection-${fx.collectionA}</setSpec>`);
    const deleted = await oai(`verb=GetRecord&metadataPrefix=oai_dc&identifier=${oaiId(fx.withdrawn)}`);
    expect(deleted).toMatch(/<header status="deleted">/);
    expect(deleted).not.toContain('<metadata>');
    expect(deleted).not.toContain('Schichtbetrieb');
    // its datestamp is the withdrawal, as the audit log recorded it
    const events = await t.store.audit.list(
      { interviewId: fx.withdrawn, action: 'interview.status' },
      { limit: 10, offset: 0 },
    );
    const withdrawal = events.items.find((e) => (e.after as { status?: string }).status === 'withdrawn')!;
    expect(deleted).toContain(`<datestamp>${withdrawal.at.slice(0, 19)}Z</datestamp>`);
    // deleted from the store after it was public: still known, as deleted, in its set
    const removed = await oai(`verb=GetRecord&metadataPrefix=edm&identifier=${oaiId(fx.removed)}`);
    expect(removed).toMatch(/<header status="deleted">/);
    expect(removed).toContain(`<setSpec>collection-${fx.collectionB}</setSpec>`);
  });

  it('GetRecord edm: ProvidedCHO and ore:Aggregation with every mandatory property; isShownBy is a file anonymous visitors may fetch', async () => {
    const xml = await oai(`verb=GetRecord&metadataPrefix=edm&identifier=${oaiId(fx.withMedia)}`);
    const page = `${base}/interviews/${fx.withMedia}`;
    expect(xml).toContain(`<edm:ProvidedCHO rdf:about="${page}#cho">`);
    expect(xml).toContain('<edm:type>SOUND</edm:type>');
    const aggregation = /<ore:Aggregation[\s\S]*<\/ore:Aggregation>/.exec(xml)![0];
    expect(aggregation).toContain(`<edm:aggregatedCHO rdf:resource="${page}#cho"/>`);
    expect(aggregation).toContain('<edm:dataProvider>');
    expect(aggregation).toContain('<edm:provider>');
    expect(aggregation).toContain(`<edm:isShownAt rdf:resource="${page}"/>`);
    expect(aggregation).toContain('<edm:rights rdf:resource="http://rightsstatements.org/vocab/InC/1.0/"/>');
    const shownBy = /<edm:isShownBy rdf:resource="([^"]+)"\/>/.exec(aggregation)?.[1];
    expect(shownBy, 'the stored original (M4A) is playable at once').toBeDefined();
    const file = await fetch(shownBy!);
    expect(file.status, `anonymous GET ${shownBy}`).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/^audio\//);
  });

  it('ListRecords with set, from and until (UTC, both granularities)', async () => {
    const setB = await oai(`verb=ListRecords&metadataPrefix=oai_dc&set=collection-${fx.collectionB}`);
    expect(all(setB, /<identifier>([^<]+)<\/identifier>/g)).toEqual([oaiId(fx.withMedia), oaiId(fx.removed)]);
    expect(tokenOf(setB), 'fits on one page: no token').toBeNull();
    const today = new Date().toISOString().slice(0, 10);
    const future = '2999-01-01T00:00:00Z';
    expect(errorCode(await oai(`verb=ListRecords&metadataPrefix=oai_dc&from=${future}`))).toBe('noRecordsMatch');
    expect(errorCode(await oai(`verb=ListRecords&metadataPrefix=oai_dc&until=2000-01-01`))).toBe('noRecordsMatch');
    const fromToday = await oai(`verb=ListIdentifiers&metadataPrefix=oai_dc&from=${today}&until=${today}`);
    expect(fromToday).toContain('completeListSize="8"');
    const stamps = all(await oai('verb=ListIdentifiers&metadataPrefix=edm'), /<datestamp>([^<]+)<\/datestamp>/g);
    const last = stamps[stamps.length - 1]!;
    const onlyLast = await oai(`verb=ListIdentifiers&metadataPrefix=edm&from=${last}`);
    expect(all(onlyLast, /<datestamp>([^<]+)<\/datestamp>/g).every((s) => s >= last)).toBe(true);
    expect(
      errorCode(
        await oai('verb=ListRecords&metadataPrefix=oai_dc&set=collection-00000000-0000-4000-8000-000000000000'),
      ),
    ).toBe('noRecordsMatch');
  });

  it('POST with form arguments answers like GET', async () => {
    const res = await fetch(`${base}/oai`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'verb=Identify',
    });
    const xml = await res.text();
    answers.push({ label: 'POST Identify', xml });
    expect(xml).toContain('<Identify>');
  });

  it('every error code, with the request echoed as the protocol says', async () => {
    const cases: [string, string][] = [
      ['', 'badVerb'],
      ['verb=Frobnicate', 'badVerb'],
      ['verb=Identify&verb=Identify', 'badVerb'],
      ['verb=Identify&extra=1', 'badArgument'],
      ['verb=ListRecords', 'badArgument'],
      ['verb=GetRecord&metadataPrefix=oai_dc', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=edm', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=oai_dc&from=2019-02-30', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=oai_dc&from=2019-01-01&until=2020-01-01T00:00:00Z', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=oai_dc&from=2019-01-01T00:00:00', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01&until=2019-01-01', 'badArgument'],
      ['verb=ListRecords&resumptionToken=x&metadataPrefix=oai_dc', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=marc21', 'cannotDisseminateFormat'],
      [`verb=GetRecord&metadataPrefix=marc21&identifier=${oaiId(fx.visible[0]!)}`, 'cannotDisseminateFormat'],
      [`verb=GetRecord&metadataPrefix=oai_dc&identifier=${oaiId(fx.registered)}`, 'idDoesNotExist'],
      [`verb=GetRecord&metadataPrefix=oai_dc&identifier=${oaiId(fx.draft)}`, 'idDoesNotExist'],
      [`verb=GetRecord&metadataPrefix=oai_dc&identifier=${oaiId(fx.withdrawnDraft)}`, 'idDoesNotExist'],
      [`verb=GetRecord&metadataPrefix=oai_dc&identifier=${oaiId(fx.embargoed)}`, 'idDoesNotExist'],
      [`verb=GetRecord&metadataPrefix=oai_dc&identifier=${oaiId(fx.withdrawnRegistered)}`, 'idDoesNotExist'],
      ['verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:other.example:1', 'idDoesNotExist'],
      ['verb=ListIdentifiers&metadataPrefix=oai_dc&from=2999-01-01', 'noRecordsMatch'],
      ['verb=ListRecords&resumptionToken=not-a-token', 'badResumptionToken'],
    ];
    for (const [query, code] of cases) {
      const xml = await oai(query, `error ${code}: ${query}`);
      expect(errorCode(xml), query).toBe(code);
      if (code === 'badVerb' || code === 'badArgument') expect(xml, query).toMatch(/<request>[^<]+<\/request>/);
      else expect(xml, query).toMatch(/<request verb="/);
    }
  });

  it('a resumption token that was altered, or used with another verb, is a badResumptionToken', async () => {
    const first = await oai('verb=ListRecords&metadataPrefix=oai_dc');
    const token = tokenOf(first)![2]!;
    const [body, mac] = token.split('.') as [string, string];
    const state = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...state, cursor: 0, afterStamp: '' })).toString('base64url')}.${mac}`;
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [forged, flipped, token.slice(0, 20)]) {
      expect(
        errorCode(await oai(`verb=ListRecords&resumptionToken=${encodeURIComponent(bad)}`, 'tampered token')),
      ).toBe('badResumptionToken');
    }
    expect(
      errorCode(
        await oai(`verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token)}`, 'token of another verb'),
      ),
    ).toBe('badResumptionToken');
    expect(
      errorCode(await oai(`verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`, 'genuine token')),
    ).toBeNull();
  });
});

describe.skipIf(!hasSickle)(
  `Sickle harvests every page [needs sickle]${hasSickle ? '' : ' — skipped: .venv-test has no sickle (scripts/setup.sh --with-test-tools)'}`,
  () => {
    it('ListRecords oai_dc through all resumption pages, deleted record included', async () => {
      requestLog.length = 0;
      const script = `
import json, sys
from sickle import Sickle
s = Sickle(sys.argv[1])
records = s.ListRecords(metadataPrefix='oai_dc', ignore_deleted=False)
out = []
for r in records:
    tok = records.resumption_token
    out.append({'id': r.header.identifier, 'deleted': r.header.deleted, 'datestamp': r.header.datestamp,
                'title': (getattr(r, 'metadata', None) or {}).get('title', [None])[0],
                'cursor': tok.cursor if tok else None, 'size': tok.complete_list_size if tok else None})
print(json.dumps(out))
`;
      const { stdout } = await run(python, ['-c', script, `${base}/oai`]);
      const got = JSON.parse(stdout) as {
        id: string;
        deleted: boolean;
        datestamp: string;
        title: string | null;
        cursor: string | null;
        size: string | null;
      }[];
      console.log(
        `sickle harvest log (${requestLog.length} requests):\n  ${requestLog.join('\n  ')}\n${got.map((r) => `  ${r.id} ${r.datestamp} ${r.deleted ? 'DELETED' : 'live'} cursor=${r.cursor} completeListSize=${r.size} ${r.title ?? ''}`).join('\n')}`,
      );
      expect(requestLog.length, 'four pages of two').toBe(4);
      expect(
        got
          .filter((r) => !r.deleted)
          .map((r) => r.id)
          .sort(),
      ).toEqual(fx.visible.map(oaiId).sort());
      expect(got.filter((r) => r.deleted).map((r) => r.id)).toEqual([fx.withdrawn, fx.narrowed, fx.removed].map(oaiId));
      expect(got.find((r) => r.id === oaiId(fx.tricky))?.title).toBe('Kohle & <b>Kumpel</b> "unter" Tage');
    });
  },
);

describe.skipIf(!hasPerlOai)(
  `HTTP::OAI harvests every page [needs libhttp-oai-perl]${hasPerlOai ? '' : ' — skipped: libhttp-oai-perl (oai_pmh) is not installed'}`,
  () => {
    it('oai_pmh (Debian libhttp-oai-perl) ListRecords oai_dc and ListIdentifiers edm through all pages', async () => {
      for (const [verb, prefix] of [
        ['ListRecords', 'oai_dc'],
        ['ListIdentifiers', 'edm'],
      ] as const) {
        requestLog.length = 0;
        const { stdout } = await run('/usr/bin/oai_pmh', ['-X', verb, '--metadataPrefix', prefix, `${base}/oai`], {
          maxBuffer: 16 * 1024 * 1024,
        });
        const records = stdout
          .split('\f')
          .map((r) => r.trim())
          .filter(Boolean);
        const parsed = records.map((r) => ({
          id: /^identifier: (.+)$/m.exec(r)?.[1] ?? '',
          status: /^status: (.*)$/m.exec(r)?.[1] ?? '',
          datestamp: /^datestamp: (.+)$/m.exec(r)?.[1] ?? '',
          title: /<dc:title[^>]*>([^<]*)<\/dc:title>/.exec(r)?.[1] ?? '',
        }));
        console.log(
          `HTTP::OAI oai_pmh -X ${verb} --metadataPrefix ${prefix} (${requestLog.length} requests):\n  ${requestLog.join('\n  ')}\n${parsed.map((p) => `  ${p.id} ${p.datestamp} ${p.status || 'live'} ${p.title}`).join('\n')}`,
        );
        expect(requestLog.length, `${verb}: four pages of two`).toBe(4);
        expect(
          parsed
            .filter((p) => p.status !== 'deleted')
            .map((p) => p.id)
            .sort(),
        ).toEqual(fx.visible.map(oaiId).sort());
        expect(parsed.filter((p) => p.status === 'deleted').map((p) => p.id)).toEqual(
          [fx.withdrawn, fx.narrowed, fx.removed].map(oaiId),
        );
        if (verb === 'ListRecords')
          expect(parsed.find((p) => p.id === oaiId(fx.tricky))?.title).toBe(
            'Kohle &amp; &lt;b&gt;Kumpel&lt;/b&gt; "unter" Tage',
          );
      }
    });
  },
);

describe.skipIf(!hasXmllint)(
  `every answer validates against the OAI-PMH 2.0 schemas [needs xmllint]${hasXmllint ? '' : ' — skipped: xmllint (libxml2-utils) is not installed'}`,
  () => {
    it('xmllint --nonet --schema tests/fixtures/oai/harvest.xsd accepts every answer received above', async () => {
      // the harvesters' answers are fetched again here so that every page they saw is validated too
      for (const q of ['verb=ListRecords&metadataPrefix=edm', 'verb=ListRecords&metadataPrefix=oai_dc']) {
        let xml = await oai(q);
        for (let token = tokenOf(xml)?.[2]; token; token = tokenOf(xml)?.[2])
          xml = await oai(
            `verb=${q.split('&')[0]!.slice(5)}&resumptionToken=${encodeURIComponent(token)}`,
            `${q} (resumed)`,
          );
      }
      expect(answers.length).toBeGreaterThan(40);
      const failures: string[] = [];
      for (const a of answers) {
        const result = await xmllint(a.xml);
        if (!result.ok) failures.push(`${a.label}: ${result.output}`);
      }
      console.log(
        `xmllint: ${answers.length - failures.length} of ${answers.length} answers valid against OAI-PMH.xsd + oai_dc.xsd + oai-identifier.xsd`,
      );
      expect(failures).toEqual([]);
      // the check can fail: a broken answer is refused
      const broken = await xmllint(answers[0]!.xml.replace('<responseDate>', '<responseDate>not-a-date'));
      expect(broken.ok).toBe(false);
    }, 120_000);
  },
);
