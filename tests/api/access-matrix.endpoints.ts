// The access matrix's endpoints: each names what the table expects for a cell and how to ask the app for it.
import {
  ADMINS,
  type Cell,
  REFUSED,
  type Role,
  STATE_FACTS,
  type State,
  USERS,
  gate,
  getsOriginal,
  hitsFor,
  rendition,
  staffOnly,
  textFor,
} from './access-matrix.table.js';
import { fx, get, outcome, searchHits, segmentFile, stubOutcome, textOutcome } from './access-matrix.fixture.js';

// ── the endpoints ─────────────────────────────────────────────────────────────────────────────────────────────────

export interface Endpoint {
  name: string;
  expected: (c: Cell) => string;
  actual: (role: Role, state: State) => Promise<string>;
}

const transcriptUrl = (s: State, query = '') => `/api/interviews/${fx[s].id}/media/${fx[s].mediaId}/transcript${query}`;
const fileEndpoint = (name: string, file: () => string): Endpoint => ({
  name,
  expected: rendition,
  actual: async (role, s) => outcome(await get(role, s, `/media/${fx[s].mediaId}/${file()}`)),
});
const textEndpoint = (name: string, url: (s: State) => string): Endpoint => ({
  name,
  expected: (c) => gate(c, () => textFor(c)),
  actual: async (role, s) => textOutcome(await get(role, s, url(s)), s),
});

export const ENDPOINTS: Endpoint[] = [
  {
    name: 'GET /api/interviews/:id',
    // in the passage, the embedded media must not offer the original to those who may not hear everything
    expected: (c) =>
      c.access === 'S'
        ? '200:sealed'
        : gate(c, () =>
            !STATE_FACTS[c.state].restrictedPassage
              ? '200:full'
              : getsOriginal(c)
                ? '200:full:original'
                : '200:full:no-original',
          ),
    actual: async (role, s) => {
      const res = await get(role, s, `/api/interviews/${fx[s].id}`);
      if (res.status !== 200) return outcome(res);
      if (res.body.sealed === true) return stubOutcome(res.body, s) === 'clean' ? '200:sealed' : '200:sealed+extra';
      if (!STATE_FACTS[s].restrictedPassage) return '200:full';
      return (res.body.media as Array<{ original: string | null }>)[0]?.original
        ? '200:full:original'
        : '200:full:no-original';
    },
  },
  {
    name: 'GET /api/interviews (listed?)',
    expected: (c) => ({ F: 'listed', S: 'listed:sealed', '-': 'absent', X: REFUSED })[c.access],
    actual: async (role, s) => {
      const res = await get(role, s, '/api/interviews?pageSize=100');
      if (res.status !== 200) return outcome(res);
      const item = (res.body.items as Array<Record<string, unknown>>).find((i) => i.id === fx[s].id);
      if (!item) return 'absent';
      if (item.sealed === true) return stubOutcome(item, s) === 'clean' ? 'listed:sealed' : 'listed:sealed+extra';
      return 'listed';
    },
  },
  {
    name: 'GET /api/media/:mediaId',
    expected: (c) =>
      gate(c, () => (STATE_FACTS[c.state].restrictedPassage && !getsOriginal(c) ? '200:no-original' : '200:original')),
    actual: async (role, s) => {
      const res = await get(role, s, `/api/media/${fx[s].mediaId}`);
      if (res.status !== 200) return outcome(res);
      return res.body.original ? '200:original' : '200:no-original';
    },
  },
  {
    name: 'GET /media/:id/original',
    expected: (c) => gate(c, () => (STATE_FACTS[c.state].restrictedPassage && !getsOriginal(c) ? '404' : '200')),
    actual: async (role, s) => outcome(await get(role, s, `/media/${fx[s].mediaId}/original`)),
  },
  {
    // the URL the viewer's own medium JSON offers (signed for interviews that are not public), fetched as that viewer
    name: 'GET <original URL from the medium JSON>',
    expected: (c) =>
      c.access === 'F' && !(STATE_FACTS[c.state].restrictedPassage && !getsOriginal(c)) ? '200' : 'no-url',
    actual: async (role, s) => {
      const json = await get(role, s, `/api/media/${fx[s].mediaId}`);
      if (json.status !== 200 || typeof json.body.original !== 'string') return 'no-url';
      return outcome(await get(role, s, json.body.original));
    },
  },
  fileEndpoint('GET /media/:id/hls/master.m3u8', () => 'hls/master.m3u8'),
  fileEndpoint('GET /media/:id/hls/<segment>', () => segmentFile),
  fileEndpoint('GET /media/:id/poster.jpg', () => 'poster.jpg'),
  fileEndpoint('GET /media/:id/waveform.json', () => 'waveform.json'),
  textEndpoint('GET …/transcript (JSON)', (s) => transcriptUrl(s)),
  textEndpoint('GET …/transcript?format=vtt', (s) => transcriptUrl(s, '?format=vtt')),
  textEndpoint('GET …/transcript?format=srt', (s) => transcriptUrl(s, '?format=srt')),
  textEndpoint('GET …/transcript?format=txt', (s) => transcriptUrl(s, '?format=txt')),
  textEndpoint('GET …/transcript?format=ohms', (s) => transcriptUrl(s, '?format=ohms')),
  textEndpoint('GET …/media/:mediaId/index', (s) => `/api/interviews/${fx[s].id}/media/${fx[s].mediaId}/index`),
  {
    // IIIF Presentation 3 (server/iiif): the manifest follows the interview page; its caption file the transcript
    name: 'GET /iiif/interviews/:id/manifest',
    expected: (c) => gate(c, () => '200'),
    actual: async (role, s) => outcome(await get(role, s, `/iiif/interviews/${fx[s].id}/manifest`)),
  },
  textEndpoint(
    'GET /iiif/…/captions.<lang>.vtt',
    (s) => `/iiif/interviews/${fx[s].id}/media/${fx[s].mediaId}/captions.de.vtt`,
  ),
  {
    name: 'GET …/transcript/versions',
    expected: (c) => gate(c, () => '200'),
    actual: async (role, s) => outcome(await get(role, s, transcriptUrl(s, '/versions'))),
  },
  {
    name: 'GET /api/search?q=<word>',
    expected: (c) => (c.access === 'X' ? REFUSED : c.access === 'F' ? hitsFor(c) : '200:hits=-'),
    actual: (role, s) => searchHits(role, s, (q) => `/api/search?q=${encodeURIComponent(q)}&pageSize=100`, false),
  },
  {
    name: 'GET /api/interviews/:id/search?q=<word>',
    expected: (c) => gate(c, () => hitsFor(c)),
    actual: (role, s) =>
      searchHits(role, s, (q) => `/api/interviews/${fx[s].id}/search?q=${encodeURIComponent(q)}`, true),
  },
  {
    name: 'GET /api/interviews/:id/consents',
    expected: staffOnly,
    actual: async (role, s) => outcome(await get(role, s, `/api/interviews/${fx[s].id}/consents`)),
  },
  {
    name: 'GET /api/interviews/:id/review',
    expected: staffOnly,
    actual: async (role, s) => outcome(await get(role, s, `/api/interviews/${fx[s].id}/review`)),
  },
  {
    name: 'GET /api/audit?interviewId=',
    expected: (c) =>
      c.access === 'X' ? REFUSED : ADMINS.includes(c.role) ? '200' : USERS.includes(c.role) ? '403' : '401',
    actual: async (role, s) => outcome(await get(role, s, `/api/audit?interviewId=${fx[s].id}`)),
  },
  {
    // the unredacted preservation copy (issue 15): admins only, like the audit log
    name: 'GET /api/interviews/:id/bag.zip',
    expected: (c) =>
      c.access === 'X' ? REFUSED : ADMINS.includes(c.role) ? '200' : USERS.includes(c.role) ? '403' : '401',
    actual: async (role, s) =>
      outcome(
        await get(role, s, `/api/interviews/${fx[s].id}/bag.zip`)
          .buffer(true)
          .parse((r, cb) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            // problems stay JSON (the refusal of a narrator's credential is told by its type); the ZIP stays bytes
            r.on('end', () =>
              cb(
                null,
                /json/.test(String(r.headers['content-type']))
                  ? JSON.parse(Buffer.concat(chunks).toString('utf8'))
                  : Buffer.concat(chunks),
              ),
            );
          }),
      ),
  },
];
