// How much the client's stylesheets repeat themselves, and how many colours live outside the tokens file.
//
//   node scripts/css-duplicates.mjs [--list]
//
// Parsed with postcss (which vite ships). A "block" is one rule: its selector list (normalised, sorted) plus its
// declarations (normalised, sorted), inside the same @media/@supports context. It prints:
// - duplicated blocks: extra copies of a block whose selector AND declarations appear more than once;
// - repeated declaration sets: extra copies of the same ≥ 2 declarations under a different selector;
// - selectors defined in more than one stylesheet (the same selector styled in two areas);
// - colour literals (#hex, rgb(), hsl(), named colours) outside the tokens file.
import fs from 'node:fs';
import path from 'node:path';
import postcss from 'postcss';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tokensFile = 'client/src/styles/tokens.css';
const list = process.argv.includes('--list');

function stylesheets(dir) {
  const out = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...stylesheets(rel));
    else if (entry.name.endsWith('.css')) out.push(rel);
  }
  return out.sort();
}

const namedColours =
  /\b(white|black|red|green|blue|yellow|orange|gray|grey|silver|navy|maroon|purple|teal|olive|lime|aqua|fuchsia)\b/i;
const colourLiteral = /#[0-9a-f]{3,8}\b|\b(?:rgb|rgba|hsl|hsla)\(/gi;

const normalise = (s) => s.replace(/\s+/g, ' ').trim();
const context = (node) => {
  const parts = [];
  for (let p = node.parent; p && p.type !== 'root'; p = p.parent)
    if (p.type === 'atrule') parts.unshift(`@${p.name} ${normalise(p.params)}`);
  return parts.join(' ');
};

const files = stylesheets('client/src');
const blocks = new Map(); // selector+decls → [where]
const declSets = new Map(); // decls → Set(selector)
const selectorsByFile = new Map(); // selector → Set(file)
const colours = [];
const allRules = []; // { ctx, selector, decls: Set, where }
let ruleCount = 0;

for (const file of files) {
  const css = fs.readFileSync(path.join(root, file), 'utf8');
  const ast = postcss.parse(css, { from: file });
  ast.walkRules((rule) => {
    if (rule.parent?.type === 'atrule' && /keyframes$/.test(rule.parent.name)) return;
    const decls = rule.nodes
      .filter((n) => n.type === 'decl')
      .map((d) => `${d.prop}: ${normalise(d.value)}${d.important ? ' !important' : ''}`);
    if (decls.length === 0) return;
    ruleCount++;
    const ctx = context(rule);
    const selector = rule.selectors.map(normalise).sort().join(', ');
    const body = [...decls].sort().join('; ');
    const where = `${file}:${rule.source?.start?.line}`;
    const key = `${ctx} ${selector} { ${body} }`;
    blocks.set(key, [...(blocks.get(key) ?? []), where]);
    allRules.push({ ctx, selector, decls: new Set(decls), where });
    if (decls.length >= 2) {
      const dkey = `${ctx} { ${body} }`;
      const entry = declSets.get(dkey) ?? new Map();
      entry.set(selector, [...(entry.get(selector) ?? []), where]);
      declSets.set(dkey, entry);
    }
    for (const s of rule.selectors.map(normalise)) {
      const k = `${ctx} ${s}`;
      selectorsByFile.set(k, new Set([...(selectorsByFile.get(k) ?? []), file]));
    }
  });
  if (file === tokensFile) continue;
  ast.walkDecls((decl) => {
    if (decl.prop.startsWith('--') && file === tokensFile) return;
    const found = [...decl.value.matchAll(colourLiteral)].map((m) => m[0]);
    const named = decl.value.match(namedColours);
    if (named && !/var\(/.test(decl.value) && !/^(transparent|currentcolor|inherit)$/i.test(decl.value))
      found.push(named[0]);
    for (const colour of found)
      colours.push(`${file}:${decl.source?.start?.line} ${decl.prop}: ${decl.value} (${colour})`);
  });
}

const duplicated = [...blocks].filter(([, where]) => where.length > 1);
const duplicatedCopies = duplicated.reduce((n, [, where]) => n + where.length - 1, 0);
const repeatedSets = [...declSets].filter(([, bySelector]) => bySelector.size > 1);
const repeatedCopies = repeatedSets.reduce((n, [, bySelector]) => n + bySelector.size - 1, 0);
// near copies: two rules (other selectors, same context) sharing >= 3 declarations that make up >= 75 % of the smaller one
const overlapping = [];
for (let i = 0; i < allRules.length; i++) {
  for (let j = i + 1; j < allRules.length; j++) {
    const a = allRules[i];
    const b = allRules[j];
    if (a.ctx !== b.ctx || a.selector === b.selector) continue;
    const shared = [...a.decls].filter((d) => b.decls.has(d));
    if (shared.length >= 3 && shared.length >= 0.75 * Math.min(a.decls.size, b.decls.size))
      overlapping.push([a, b, shared]);
  }
}
const crossFile = [...selectorsByFile].filter(([, f]) => f.size > 1);
const coloursByFile = {};
for (const c of colours) coloursByFile[c.split(':')[0]] = (coloursByFile[c.split(':')[0]] ?? 0) + 1;

process.stdout.write(`stylesheets: ${files.length} (${files.join(', ')}), ${ruleCount} rules with declarations\n`);
process.stdout.write(
  `duplicated selector+declaration blocks: ${duplicated.length} blocks, ${duplicatedCopies} extra copies\n`,
);
process.stdout.write(
  `repeated declaration sets (>= 2 declarations) under other selectors: ${repeatedSets.length} sets, ${repeatedCopies} extra copies\n`,
);
process.stdout.write(
  `near copies (other selector, >= 3 shared declarations, >= 75 % of the smaller rule): ${overlapping.length} pairs, ${overlapping.filter(([a, b]) => a.where.split(':')[0] !== b.where.split(':')[0]).length} of them across stylesheets\n`,
);
process.stdout.write(`selectors styled in more than one stylesheet: ${crossFile.length}\n`);
process.stdout.write(`colour literals outside ${tokensFile}: ${colours.length} ${JSON.stringify(coloursByFile)}\n`);
if (list) {
  process.stdout.write('\n# duplicated blocks\n');
  for (const [key, where] of duplicated) process.stdout.write(`${where.join(' = ')}\n  ${key.slice(0, 200)}\n`);
  process.stdout.write('\n# repeated declaration sets\n');
  for (const [key, bySelector] of repeatedSets)
    process.stdout.write(
      `${[...bySelector].map(([s, w]) => `${s} (${w.join(', ')})`).join(' | ')}\n  ${key.slice(0, 200)}\n`,
    );
  process.stdout.write('\n# near copies\n');
  for (const [a, b, shared] of overlapping)
    process.stdout.write(`${a.selector} (${a.where}) ~ ${b.selector} (${b.where}): ${shared.length} shared\n`);
  process.stdout.write('\n# selectors in more than one stylesheet\n');
  for (const [s, f] of crossFile) process.stdout.write(`${s}: ${[...f].join(', ')}\n`);
  process.stdout.write('\n# colour literals\n');
  for (const c of colours) process.stdout.write(`${c}\n`);
}
