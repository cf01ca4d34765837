// A deterministic German oral-history corpus with known answers. Filler sentences never contain a query word (nor
// anything one typo or one compound away from one); every query word enters only through a "planted" sentence, and
// each segment remembers what was planted in it. So for every planted query we know exactly which segments must match.
// Independent of server/search/german.ts on purpose: the answers must not come from the code under test.
import type { SegmentInput, SegmentInterviewMeta } from '../../server/search/segment-index.js';

export const plantTags = [
  'tagebau',
  'braunkohletagebau',
  'tagebaurestloch',
  'kohle',
  'braunkohle',
  'kohlenzug',
  'graefenhainichen',
  'graefenhainichenAe',
  'graefenhain',
  'strasseSz',
  'strasseSs',
  'kumpel',
  'bergmann',
  'bergleute',
  'bergmannsfrau',
  'foerderbruecke',
  'abraumfoerderbruecke',
  'bruecken',
  'brikett',
  'brikettfabrik',
  'brifa',
  'schicht',
  'nachtschicht',
  'schacht',
  'geschichte',
  'schachtel',
  'tagung',
  'tagebuch',
  'ferropolis',
  'zschornewitz',
] as const;
export type PlantTag = (typeof plantTags)[number];

// Several contexts per tag, so matches sit at different positions and next to different words.
const planted: Record<PlantTag, string[]> = {
  tagebau: [
    'Der Tagebau kam jedes Jahr ein Stück näher an unser Dorf.',
    'Im Tagebau war es im Winter bitterkalt.',
    'Vom Rand aus konnte man den ganzen Tagebau überblicken.',
  ],
  braunkohletagebau: [
    'Der Braunkohletagebau Golpa-Nord hat die Gegend völlig verändert.',
    'Im Braunkohletagebau hat mein Vater {D} Jahre gearbeitet.',
  ],
  tagebaurestloch: [
    'Heute ist das Tagebaurestloch ein See zum Baden.',
    'Aus dem Tagebaurestloch wurde später ein großer See.',
  ],
  kohle: ['Die Kohle wurde mit dem Zug abgefahren.', 'Ohne die Kohle hätte es hier keine Arbeit gegeben.'],
  braunkohle: ['Die Braunkohle hat die ganze Gegend geprägt.', 'Mit der Braunkohle kam auch der Dreck.'],
  kohlenzug: [
    'Der Kohlenzug fuhr jeden Morgen um fünf durch den Ort.',
    'Wir haben als Kinder dem Kohlenzug hinterhergewinkt.',
  ],
  graefenhainichen: [
    'Ich bin in Gräfenhainichen zur Schule gegangen.',
    'Nach Gräfenhainichen sind wir mit dem Fahrrad gefahren.',
    'In Gräfenhainichen war samstags immer Markt.',
  ],
  graefenhainichenAe: ['In Graefenhainichen gab es damals noch ein Kino.'],
  graefenhain: [
    'Meine Tante wohnte in Gräfenhain, das ist ein ganz anderes Dorf.',
    'Bis Gräfenhain war es eine halbe Tagesreise.',
  ],
  strasseSz: [
    'Wir wohnten in der Straße hinter dem Bahnhof.',
    'Auf der Straße haben die Kinder bis zum Dunkelwerden gespielt.',
  ],
  strasseSs: ['Die Strasse nach {P} war voller Schlaglöcher.', 'In unserer Strasse kannte jeder jeden.'],
  kumpel: ['Mein Kumpel {N} hat mir das Fahren beigebracht.', 'Die Kumpel haben immer zusammengehalten.'],
  bergmann: [
    'Als Bergmann hatte man damals ein gewisses Ansehen.',
    'Mein Großvater war schon Bergmann, das lag in der Familie.',
  ],
  bergleute: ['Die Bergleute kamen schwarz vom Staub nach Hause.', 'Für die Bergleute gab es eigene Wohnungen.'],
  bergmannsfrau: ['Als Bergmannsfrau wusste man nie genau, wann der Mann heimkommt.'],
  foerderbruecke: [
    'Die Förderbrücke war das größte Gerät im ganzen Revier.',
    'Auf der Förderbrücke hat er als Schlosser angefangen.',
  ],
  abraumfoerderbruecke: [
    'Die Abraumförderbrücke lief Tag und Nacht.',
    'Von der Abraumförderbrücke aus sah man bis zum Horizont.',
  ],
  bruecken: [
    'Über die Brücken der Mulde sind wir zum Baden gelaufen.',
    'Die alten Brücken hat man nach dem Krieg neu gebaut.',
  ],
  brikett: ['Im Winter haben wir mit Brikett geheizt.', 'Die Briketts wurden im Keller gestapelt.'],
  brikettfabrik: ['In der Brikettfabrik war immer Lärm und Staub.', 'Die Brikettfabrik hat Tag und Nacht gequalmt.'],
  brifa: ['Meine Mutter hat in der Brifa am Band gestanden.'],
  schicht: [
    'Nach der Schicht sind wir noch in die Kneipe gegangen.',
    'Wir haben drei Schichten gefahren, auch am Wochenende.',
  ],
  nachtschicht: [
    'Die Nachtschicht war am schlimmsten für die Familie.',
    'In der Frühschicht musste man um vier aufstehen.',
  ],
  schacht: [
    'Im Schacht war ich nie, das war Tiefbau und woanders.',
    'Der alte Schacht wurde schon vor dem Krieg verfüllt.',
  ],
  geschichte: [
    'Das ist eine lange Geschichte, die erzähle ich ein andermal.',
    'Die Vorgeschichte kennt heute kaum noch jemand.',
  ],
  schachtel: ['In einer Schachtel hebt sie die alten Fotos auf.'],
  tagung: ['Auf einer Tagung in {P} habe ich später davon berichtet.'],
  tagebuch: ['Meine Mutter hat das alles in ihr Tagebuch geschrieben.'],
  ferropolis: ['Heute finden in Ferropolis große Konzerte statt.', 'Ferropolis nennt man auch die Stadt aus Eisen.'],
  zschornewitz: [
    'Das Kraftwerk Zschornewitz war einmal das größte der Welt.',
    'In Zschornewitz stand die Siedlung für die Arbeiter.',
  ],
};

const filler = [
  'Ich bin {Y} in {P} geboren und dort auch aufgewachsen.',
  'Mein {R} hat als {J} gearbeitet, das war damals ganz normal.',
  'Wir hatten einen kleinen Garten hinter dem Haus, da gab es {F} und Kartoffeln.',
  'Am Wochenende sind wir oft nach {P} gefahren, meistens mit dem Bus.',
  'Die Nachbarn haben sich gegenseitig geholfen, das war selbstverständlich.',
  '{N} hat immer gesagt, dass man sich auf die anderen verlassen muss.',
  'Im Sommer waren wir baden, im Winter sind wir Schlitten gefahren.',
  'Das Geld war knapp, aber wir hatten immer genug zu essen.',
  'Später bin ich dann zur Lehre nach {P} gegangen.',
  'Nach der Wende hat sich vieles verändert, nicht alles zum Guten.',
  'Ich erinnere mich noch genau an den Tag, als {N} zu uns kam.',
  'Die Kinder sind damals allein zur Schule gelaufen, das war kein Problem.',
  'Abends saß man zusammen und hat erzählt, Fernsehen gab es ja kaum.',
  'Meine Mutter hat {F} gekocht, das gab es jeden Sonntag.',
  'In {P} gab es einen Konsum, da hat man alles bekommen, was man brauchte.',
  'Wir haben {D} Jahre in derselben Wohnung gewohnt.',
  'Es war eine harte Zeit, aber auch eine schöne Zeit.',
  '{N} war mein bester Freund, wir haben alles zusammen gemacht.',
  'Im Betrieb gab es eine Kantine, das Essen war gar nicht schlecht.',
  'Mit dem Moped bin ich jeden Morgen zur Arbeit gefahren.',
  'Das Dorf hatte damals vielleicht {D}00 Einwohner.',
  'Ja, also, wie soll ich sagen, das war eben so.',
  'Die Luft war schlecht, die Wäsche konnte man kaum draußen aufhängen.',
  'Zum Feierabend gab es manchmal ein Bier an der Ecke.',
  'Ich habe {N} erst viel später wiedergesehen, in {P}.',
];

const slots: Record<string, readonly string[]> = {
  P: [
    'Dessau',
    'Wittenberg',
    'Bitterfeld',
    'Oranienbaum',
    'Jüdenberg',
    'Möhlau',
    'Kemberg',
    'Leipzig',
    'Radis',
    'Schköna',
    'Burgkemnitz',
    'Muldenstein',
    'Wörlitz',
  ],
  N: [
    'Herbert',
    'Gerda',
    'Manfred',
    'Ilse',
    'Klaus',
    'Renate',
    'Siegfried',
    'Ursula',
    'Dieter',
    'Helga',
    'Werner',
    'Günter',
    'Brigitte',
    'Horst',
    'Inge',
    'Erika',
    'Lothar',
    'Monika',
    'Jürgen',
    'Karin',
  ],
  R: ['Vater', 'Onkel', 'Bruder', 'Schwager', 'Großvater', 'Nachbar', 'Cousin'],
  J: ['Schlosser', 'Elektriker', 'Kraftfahrer', 'Heizer', 'Maurer', 'Lokführer', 'Dreher', 'Schweißer', 'Tischler'],
  F: ['Bohnen', 'Gurken', 'Tomaten', 'Erbsen', 'Kartoffelsuppe', 'Rouladen', 'Klöße', 'Eintopf'],
  Y: Array.from({ length: 36 }, (_, i) => String(1930 + i)),
  D: Array.from({ length: 39 }, (_, i) => String(2 + i)),
};

type Part = string | { slot: string };
const compile = (template: string): Part[] =>
  template
    .split(/(\{[A-Z]\})/)
    .filter(Boolean)
    .map((p) => (/^\{[A-Z]\}$/.test(p) ? { slot: p.slice(1, -1) } : p));
const fillerParts = filler.map(compile);
const fillerWords = filler.map((t) => t.split(' ').length);
const plantedParts = Object.fromEntries(
  Object.entries(planted).map(([tag, list]) => [tag, list.map(compile)]),
) as Record<PlantTag, Part[][]>;

/** mulberry32: tiny, fast, good enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type QueryType = 'exact' | 'umlaut-less' | 'ß/ss' | 'typo' | 'compound' | 'synonym' | 'distractor';

export interface PlantedQuery {
  type: QueryType;
  q: string;
  /** Segments planted with any of these tags must be found … */
  expect: readonly PlantTag[];
  /** … and these are the look-alikes that must not be. */
  distractors: readonly PlantTag[];
}

export const plantedQueries: readonly PlantedQuery[] = [
  {
    type: 'exact',
    q: 'Gräfenhainichen',
    expect: ['graefenhainichen', 'graefenhainichenAe'],
    distractors: ['graefenhain'],
  },
  { type: 'exact', q: 'Ferropolis', expect: ['ferropolis'], distractors: [] },
  { type: 'exact', q: 'Zschornewitz', expect: ['zschornewitz'], distractors: [] },
  {
    type: 'umlaut-less',
    q: 'Grafenhainichen',
    expect: ['graefenhainichen', 'graefenhainichenAe'],
    distractors: ['graefenhain'],
  },
  {
    type: 'umlaut-less',
    q: 'Graefenhainichen',
    expect: ['graefenhainichen', 'graefenhainichenAe'],
    distractors: ['graefenhain'],
  },
  {
    type: 'umlaut-less',
    q: 'Forderbrucke',
    expect: ['foerderbruecke', 'abraumfoerderbruecke'],
    distractors: ['bruecken'],
  },
  { type: 'ß/ss', q: 'Straße', expect: ['strasseSz', 'strasseSs'], distractors: [] },
  { type: 'ß/ss', q: 'Strasse', expect: ['strasseSz', 'strasseSs'], distractors: [] },
  {
    type: 'typo',
    q: 'Tagebua',
    expect: ['tagebau', 'braunkohletagebau', 'tagebaurestloch'],
    distractors: ['tagung', 'tagebuch'],
  },
  { type: 'typo', q: 'Brikettfabrick', expect: ['brikettfabrik'], distractors: ['brikett'] },
  { type: 'typo', q: 'Förderbrüke', expect: ['foerderbruecke', 'abraumfoerderbruecke'], distractors: ['bruecken'] },
  { type: 'typo', q: 'Zschornewiz', expect: ['zschornewitz'], distractors: [] },
  {
    type: 'compound',
    q: 'Tagebau',
    expect: ['tagebau', 'braunkohletagebau', 'tagebaurestloch'],
    distractors: ['tagung', 'tagebuch'],
  },
  { type: 'compound', q: 'Brikett', expect: ['brikett', 'brikettfabrik'], distractors: [] },
  { type: 'compound', q: 'Kohle', expect: ['kohle', 'braunkohle', 'braunkohletagebau', 'kohlenzug'], distractors: [] },
  { type: 'compound', q: 'Schicht', expect: ['schicht', 'nachtschicht'], distractors: ['schacht', 'geschichte'] },
  {
    type: 'compound',
    q: 'Förderbrücke',
    expect: ['foerderbruecke', 'abraumfoerderbruecke'],
    distractors: ['bruecken'],
  },
  { type: 'synonym', q: 'Bergmann', expect: ['bergmann', 'kumpel', 'bergleute', 'bergmannsfrau'], distractors: [] },
  { type: 'synonym', q: 'Kumpel', expect: ['kumpel', 'bergmann', 'bergleute', 'bergmannsfrau'], distractors: [] },
  { type: 'synonym', q: 'Brikettfabrik', expect: ['brikettfabrik', 'brifa'], distractors: ['brikett'] },
  { type: 'distractor', q: 'Schacht', expect: ['schacht'], distractors: ['schicht', 'nachtschicht', 'schachtel'] },
  { type: 'distractor', q: 'Gräfenhain', expect: ['graefenhain'], distractors: ['graefenhainichen'] },
  { type: 'distractor', q: 'Tagung', expect: ['tagung'], distractors: ['tagebau'] },
];

export interface CorpusMedium {
  interview: SegmentInterviewMeta;
  mediaId: string;
  segments: SegmentInput[];
}

export interface GeneratedCorpus {
  media: CorpusMedium[];
  count: number;
  /** Segment ids (`${mediaId}_${segmentNo}`) per planted tag. */
  truth: Record<PlantTag, string[]>;
  /** Ids a public (anonymous) viewer may find: published + public interview, passage not restricted. */
  publicIds: Set<string>;
}

/** Segment ids that must match a planted query, and ids of its look-alikes. */
export function expectedIds(
  corpus: GeneratedCorpus,
  query: PlantedQuery,
): { expected: Set<string>; distractors: Set<string> } {
  const expected = new Set(query.expect.flatMap((t) => corpus.truth[t]));
  const distractors = new Set(query.distractors.flatMap((t) => corpus.truth[t]).filter((id) => !expected.has(id)));
  return { expected, distractors };
}

const SEGMENTS_PER_MEDIUM = 50;
const SEGMENT_SECONDS = 20;

/**
 * `count` segments of about 40 words, `SEGMENTS_PER_MEDIUM` per interview (one medium each), same output for the
 * same seed. About 60 % of segments carry one planted sentence, 15 % a second one.
 */
export function generateSegments(count: number, seed = 1): GeneratedCorpus {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const fill = (parts: Part[]): string => {
    let s = '';
    for (const p of parts) s += typeof p === 'string' ? p : pick(slots[p.slot]!);
    return s;
  };
  const truth = Object.fromEntries(plantTags.map((t) => [t, [] as string[]])) as Record<PlantTag, string[]>;
  const publicIds = new Set<string>();
  const media: CorpusMedium[] = [];

  for (let n = 0, m = 0; n < count; m++) {
    const pad = String(m).padStart(6, '0');
    const mediaId = `med-${pad}`;
    const year = 1990 + Math.floor(rand() * 35);
    const roll = rand();
    const narrator = `${pick(slots.N!)} ${pick(['Krüger', 'Weiß', 'Schulze', 'Lehmann', 'Große', 'Köhler', 'Richter', 'Hoffmann'])}`;
    const interview: SegmentInterviewMeta = {
      id: `int-${pad}`,
      title: `Gespräch mit ${narrator}`,
      collectionId: pick(['col-golpa', 'col-zschornewitz', 'col-stadt']),
      narrators: [narrator],
      place: pick(slots.P!),
      recordedYear: year,
      keywords: [
        pick(['Kindheit', 'Arbeit', 'Umsiedlung', 'Wende', 'Familie']),
        pick(['Alltag', 'Freizeit', 'Technik']),
      ],
      language: 'de',
      // mostly published and public; some registered-only and unpublished drafts for the access filter
      status: roll < 0.1 ? 'draft' : 'published',
      visibility: roll < 0.1 ? 'private' : roll < 0.2 ? 'registered' : 'public',
      grants: [],
      createdBy: `user-${m % 7}`,
      // created one after another, an hour apart (20,000 interviews: ~2.3 years), and indexed in that order
      createdAt: new Date(Date.UTC(2024, 0, 1) + m * 3_600_000).toISOString(),
    };
    const segments: SegmentInput[] = [];
    const size = Math.min(SEGMENTS_PER_MEDIUM, count - n);
    for (let k = 0; k < size; k++, n++) {
      const id = `${mediaId}_${k}`;
      const sentences: string[] = [];
      let words = 0;
      const plants: PlantTag[] = [];
      if (rand() < 0.6) plants.push(pick(plantTags));
      if (rand() < 0.15) {
        const second = pick(plantTags);
        if (!plants.includes(second)) plants.push(second);
      }
      for (const tag of plants) {
        const text = fill(pick(plantedParts[tag]));
        sentences.push(text);
        words += text.split(' ').length;
        truth[tag].push(id);
      }
      while (words < 36) {
        const i = Math.floor(rand() * fillerParts.length);
        // planted sentences land anywhere in the passage, not always first
        sentences.splice(Math.floor(rand() * (sentences.length + 1)), 0, fill(fillerParts[i]!));
        words += fillerWords[i]!;
      }
      const restricted = rand() < 0.02;
      if (interview.status === 'published' && interview.visibility === 'public' && !restricted) publicIds.add(id);
      segments.push({
        start: k * SEGMENT_SECONDS,
        end: k * SEGMENT_SECONDS + SEGMENT_SECONDS - 0.5,
        speaker: k % 4 === 0 ? 'Interviewer' : narrator,
        text: sentences.join(' '),
        restricted,
      });
    }
    media.push({ interview, mediaId, segments });
  }
  return { media, count, truth, publicIds };
}
