import { lexiconCompounds } from './tests/helpers/lexicon-compounds.ts';
import { decompounderFor, germanVocabulary } from './server/search/german.ts';
const t = performance.now();
const cs = lexiconCompounds(320);
console.log(cs.length, (performance.now() - t).toFixed(0), 'ms');
const d = decompounderFor(germanVocabulary());
let hm = 0, mm = 0; const miss: string[] = [];
for (const c of cs) { const p = d.parts(c.word); const h = p.includes(c.head.toLowerCase().normalize('NFD').replace(/\p{M}/gu,'').replace(/ß/g,'ss')); const m = p.includes(c.modifier.toLowerCase().normalize('NFD').replace(/\p{M}/gu,'').replace(/ß/g,'ss')); if (h) hm++; if (m) mm++; if (!h || !m) miss.push(`${c.word} (${c.modifier}|${c.link}|${c.head}) → ${p.join(',')}`); }
console.log('head', hm, 'mod', mm); console.log(miss.slice(0, 60).join('\n'));
console.log(cs.slice(0, 20).map(c => c.word).join(' '));
