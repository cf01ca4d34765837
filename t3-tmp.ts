import { lexiconConfusables } from './server/search/decompound.ts';
const t = performance.now(); const c = lexiconConfusables(); console.log(c.length, (performance.now()-t).toFixed(0), 'ms', c.includes('fehler'), c.includes('fuhler'), c.includes('tagebau'), c.slice(0,30).join(' '));
