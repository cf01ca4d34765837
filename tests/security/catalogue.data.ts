// The hostile-input catalogue's data (catalogue.test.ts): the XSS payloads, the text fields and transcript formats
// they are planted in (and how a transcript of each format carries them), and the case results.

// ── the payloads and fields ───────────────────────────────────────────────────────────────────────────────────────

/** `{id}` becomes the case id: an element carrying data-xss="<id>" in the page means that case failed. */
export const PAYLOADS: Record<string, string> = {
  img: `<img data-xss="{id}" src=x onerror="alert('{id}')">`,
  svg: `<svg data-xss="{id}" onload="alert('{id}')"></svg>`,
  ajs: `<a data-xss="{id}" href="javascript:alert('{id}')">Klick</a>`,
  ifr: `<iframe data-xss="{id}" srcdoc="<script>parent.alert('{id}')</script>"></iframe>`,
  form: `<form data-xss="{id}" action="https://evil.example/"><button>Senden</button></form>`,
  meta: `<meta data-xss="{id}" http-equiv="refresh" content="0;url=https://evil.example/">`,
  style: `<style data-xss="{id}">body{display:none}</style>`,
  scr: `"><script data-xss="{id}">alert('{id}')</script>`,
};
export const PAYLOAD_NAMES = Object.keys(PAYLOADS);
export const payload = (name: string, id: string) => PAYLOADS[name]!.replaceAll('{id}', id);

/** Text fields of an interview shown by the interview page (and the places page, the search page). */
export const METADATA_FIELDS = [
  'title',
  'summary',
  'narrator',
  'interviewer',
  'place',
  'keyword',
  'chapter',
  'synopsis',
] as const;
export const FORMATS = ['vtt', 'srt', 'txt', 'json', 'ohms'] as const;

// ── the results ───────────────────────────────────────────────────────────────────────────────────────────────────

export interface Result {
  id: string;
  group: string;
  held: boolean;
  detail: string;
}
export const results: Result[] = [];
export const record = (group: string, id: string, held: boolean, detail = '') => {
  results.push({ id, group, held, detail });
  return held;
};
export interface Planted {
  id: string;
  group: string;
  where: string;
  page: string;
  /** the text as the API stores it: it must be visible as text */ stored: () => Promise<string | null>;
}

export function transcriptDoc(
  format: (typeof FORMATS)[number],
  texts: Array<{ id: string; text: string }>,
): { body: string; type: string } {
  const at = (n: number) => n * 0.3;
  const ts = (s: number, sep = '.') => `00:00:${s.toFixed(3).padStart(6, '0').replace('.', sep)}`;
  const hh = (s: number) => `00:00:${String(Math.floor(s)).padStart(2, '0')}`;
  const xml = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  switch (format) {
    case 'vtt':
      return {
        type: 'text/vtt',
        body: [
          'WEBVTT',
          '',
          ...texts.flatMap((x, n) => [
            `${ts(at(n))} --> ${ts(at(n) + 0.25)}`,
            x.text.replace(/</g, '&lt;').replace(/>/g, '&gt;'),
            '',
          ]),
        ].join('\n'),
      };
    case 'srt':
      return {
        type: 'application/x-subrip',
        body: texts.map((x, n) => `${n + 1}\n${ts(at(n), ',')} --> ${ts(at(n) + 0.25, ',')}\n${x.text}\n`).join('\n'),
      };
    case 'txt':
      return { type: 'text/plain', body: texts.map((x, n) => `[${hh(n)}] HORST: ${x.text}`).join('\n\n') };
    case 'json':
      return {
        type: 'application/json',
        body: JSON.stringify({
          version: 1,
          segments: texts.map((x, n) => ({
            start: at(n),
            end: at(n) + 0.25,
            speaker: `Sprecher ${x.text}`,
            text: x.text,
          })),
        }),
      };
    case 'ohms':
      return {
        type: 'application/xml',
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<ROOT xmlns="https://www.weareavp.com/nunncenter/ohms"><record id="1"><version>5</version><title>T</title><duration>00:00:10</duration><sync></sync><transcript>${texts
          .map((x) => xml(x.text))
          .map((s, n) => `[${hh(n)}] ${s}`)
          .join('\n')}</transcript><index></index></record></ROOT>`,
      };
  }
}
