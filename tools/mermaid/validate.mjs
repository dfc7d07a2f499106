#!/usr/bin/env node
// Offline check of mermaid diagrams with mermaid's own parser (mermaid@11.17.2 under jsdom@29.1.1).
//
//   node validate.mjs < diagrams.json
//       stdin: a JSON array of diagram texts. stdout: a JSON array, one
//       {"ok": bool, "type": string|null, "error": string|null, "texts": string[]|null} per diagram, in
//       order ("texts": the labels the parser extracted, see texts() below). Exit 0
//       (the verdicts are in the output); 2 if the input is not a JSON array of strings.
//   node validate.mjs --markdown FILE...
//       Checks every ```mermaid (or ~~~mermaid) fenced block of each Markdown file. Prints one
//       "file:line: error" line per failing block (line = the file line mermaid's error points at, else the
//       opening fence) and a summary on stderr. Exit 1 if any block fails, 2 on a usage or read error,
//       0 otherwise.
//
// All diagrams go through one node process: loading mermaid costs about a second, a parse a few ms.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

// mermaid logs through console; keep stdout for our JSON and report lines only.
const toStderr = (...args) => process.stderr.write(args.map(String).join(' ') + '\n');
const quiet = () => {};
console.log = toStderr;
console.info = quiet;
console.debug = quiet;
console.warn = quiet;
console.error = quiet;

const { window } = new JSDOM('<!DOCTYPE html><html><body></body></html>', { pretendToBeVisual: true });
for (const name of ['window', 'document', 'Element', 'HTMLElement', 'Node', 'DOMParser', 'navigator']) {
  const value = name === 'window' ? window : window[name];
  Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
}

const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, logLevel: 'fatal' });

// Mermaid replaces each entity #59; / #lt; by a placeholder before parsing and decodes it when rendering.
function decode(text) {
  return String(text ?? '')
    .replace(/\uFB02\xB0\xB0(\d+)\xB6\xDF/g, (m, code) => {
      const n = Number(code);
      return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : `#${code};`;
    })
    .replace(/\uFB02\xB0(\w+)\xB6\xDF/g, (m, name) => {
      const box = document.createElement('textarea');
      box.innerHTML = `&${name};`;
      return box.value === `&${name};` ? `#${name};` : box.value;
    });
}

// The label texts the parser extracted (entities decoded), to catch text that parses but is cut or
// changed: participant labels, messages, notes and alt/loop labels; class labels, members, relation
// labels and notes. null for other diagram types.
async function texts(text, type) {
  const { db } = await mermaid.mermaidAPI.getDiagramFromText(text);
  const out = [];
  const values = (collection) => (collection instanceof Map ? [...collection.values()] : (collection ?? []));
  if (type === 'sequence') {
    for (const actor of values(db.getActors())) out.push(actor.description);
    for (const message of db.getMessages()) if (typeof message.message === 'string') out.push(message.message);
  } else if (type === 'class' || type === 'classDiagram') {
    for (const cls of values(db.getClasses())) {
      out.push(cls.label);
      for (const member of [...cls.members, ...cls.methods]) out.push(member.getDisplayDetails().displayText);
    }
    for (const relation of db.getRelations()) out.push(relation.title);
    for (const note of values(db.getNotes())) out.push(note.text);
  } else {
    return null;
  }
  return out.filter((t) => typeof t === 'string' && t !== '').map(decode);
}

async function check(text, withTexts = true) {
  try {
    const result = await mermaid.parse(text);
    const type = result?.diagramType ?? null;
    let extracted = null;
    try {
      if (withTexts) extracted = await texts(text, type);
    } catch {
      // the parse verdict stands; the texts are a best effort
    }
    return { ok: true, type, error: null, texts: extracted };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, type: null, error: message || String(err?.str ?? err), texts: null };
  }
}

// CommonMark fenced code blocks at the top level (not inside lists or block quotes) whose info string's
// first word is "mermaid". Returns [{text, fenceLine, firstLine}] with 1-based line numbers.
function mermaidBlocks(markdown) {
  const lines = markdown.split(/\r\n|\r|\n/);
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    if (fence[0] === '`' && info.includes('`')) continue; // not a fence: a code span
    const body = [];
    let j = i + 1;
    const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
    for (; j < lines.length && !close.test(lines[j]); j++) {
      body.push(lines[j].replace(new RegExp(`^ {0,${indent.length}}`), ''));
    }
    if (info.trim().split(/\s+/)[0].toLowerCase() === 'mermaid') {
      blocks.push({ text: body.join('\n'), fenceLine: i + 1, firstLine: i + 2 });
    }
    i = j; // skip the body and the closing fence (or run to the end of the file, as CommonMark does)
  }
  return blocks;
}

// Which line of the block each line of the text mermaid's parser sees comes from (0-based). Mermaid drops
// front matter, blank lines at the start, and "%%" comment lines (with the blank lines just before them)
// before parsing, so its "on line N" counts lines of that shorter text.
const FRONT_MATTER = /^([^\S\n\r]*)-{3}\s*[\n\r](.*?)[\n\r]\1-{3}\s*[\n\r]+/s;
function parsedLines(text) {
  const front = FRONT_MATTER.exec(text);
  const skip = front ? front[0].split('\n').length - 1 : 0;
  const kept = [];
  const lines = text.split('\n');
  for (let i = skip; i < lines.length; i++) {
    const blank = lines[i].trim() === '' || /^\s*%%\{.*\}%%\s*$/.test(lines[i]);
    if (/^\s*%%(?!\{)[^\n]+$/.test(lines[i])) {
      while (kept.length > 0 && lines[kept[kept.length - 1]].trim() === '') kept.pop();
    } else if (!(blank && kept.length === 0)) {
      kept.push(i);
    }
  }
  return kept;
}

function oneLine(message) {
  return message.split('\n').map((l) => l.trim()).filter(Boolean).join(' | ');
}

async function markdownMode(files) {
  if (files.length === 0) {
    toStderr('usage: node validate.mjs --markdown FILE...');
    return 2;
  }
  let failed = 0;
  let total = 0;
  for (const file of files) {
    let markdown;
    try {
      markdown = readFileSync(file, 'utf8');
    } catch (err) {
      toStderr(`${file}: cannot read: ${err.message}`);
      return 2;
    }
    for (const block of mermaidBlocks(markdown)) {
      total++;
      const result = await check(block.text, false);
      if (result.ok) continue;
      failed++;
      // jison errors say "on line N" (1-based, counted in the block's text).
      const at = /\bon line (\d+)/.exec(result.error);
      const inBlock = at ? parsedLines(block.text)[Number(at[1]) - 1] : undefined;
      const line = inBlock === undefined ? block.fenceLine : block.firstLine + inBlock;
      process.stdout.write(`${file}:${line}: ${oneLine(result.error)}\n`);
    }
  }
  toStderr(`mermaid: ${total} block(s) in ${files.length} file(s), ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

async function jsonMode() {
  let diagrams;
  try {
    diagrams = JSON.parse(readFileSync(0, 'utf8'));
  } catch (err) {
    toStderr(`stdin is not JSON: ${err.message}`);
    return 2;
  }
  if (!Array.isArray(diagrams) || !diagrams.every((d) => typeof d === 'string')) {
    toStderr('stdin must be a JSON array of strings');
    return 2;
  }
  const results = [];
  for (const text of diagrams) results.push(await check(text));
  process.stdout.write(JSON.stringify(results) + '\n');
  return 0;
}

const args = process.argv.slice(2);
let code;
if (args[0] === '--markdown') code = await markdownMode(args.slice(1));
else if (args.length === 0) code = await jsonMode();
else {
  toStderr('usage: node validate.mjs < diagrams.json | node validate.mjs --markdown FILE...');
  code = 2;
}
// mermaid/jsdom may leave handles open; end once all output has been written.
process.stdout.write('', () => process.exit(code));
