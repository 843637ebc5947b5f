// Fonts for the PDF documents: Inter from @fontsource, read from local files, never fetched.
//
// @fontsource ships WOFF and WOFF2 only. fontkit reads WOFF, but inflates a whole table again on
// every access to it (every glyph outline read re-inflates `glyf`): that alone made a 400-line
// document take ~8 s of CPU. So the WOFF files are unpacked into plain TrueType here, once per
// thread, and handed to react-pdf as data URLs.
import { readFileSync } from "node:fs";
import path from "node:path";
import { inflateSync } from "node:zlib";
import { Font } from "@react-pdf/renderer";

// Latin covers €, £, ¥ and Western European names; Latin Extended is the per-glyph fallback for
// Central European ones (ł, ő, ș …) through the fontFamily list.
const FAMILIES = [
  { family: "Inter", subset: "latin" },
  { family: "InterExt", subset: "latin-ext" },
];
const WEIGHTS = [400, 700];

/** The fontFamily style value for documents. */
export const FONT_FAMILY = FAMILIES.map((f) => f.family);

/** The files registerFonts() reads from its folder (to be present in deployments). */
export const FONT_FILES = FAMILIES.flatMap(({ subset }) => WEIGHTS.map((w) => `inter-${subset}-${w}-normal.woff`));

/**
 * WOFF 1.0 → TrueType/OpenType (sfnt) bytes: the same tables, each inflated when stored compressed.
 * @param {Uint8Array} woff
 * @returns {Buffer}
 */
export function woffToSfnt(woff) {
  const src = Buffer.from(woff.buffer, woff.byteOffset, woff.byteLength);
  if (src.toString("latin1", 0, 4) !== "wOFF") throw new Error("not a WOFF 1.0 font");
  const flavor = src.readUInt32BE(4);
  const numTables = src.readUInt16BE(12);
  const tables = [];
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20;
    const offset = src.readUInt32BE(at + 4);
    const compLength = src.readUInt32BE(at + 8);
    const origLength = src.readUInt32BE(at + 12);
    const stored = src.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(stored) : stored;
    if (data.length !== origLength) throw new Error(`WOFF table ${src.toString("latin1", at, at + 4)} has a wrong length`);
    tables.push({ tag: src.subarray(at, at + 4), checksum: src.readUInt32BE(at + 16), data });
  }
  const pad4 = (n) => (n + 3) & ~3;
  const headerSize = 12 + 16 * numTables;
  const out = Buffer.alloc(headerSize + tables.reduce((sum, t) => sum + pad4(t.data.length), 0));
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  out.writeUInt32BE(flavor, 0);
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(searchRange, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(numTables * 16 - searchRange, 10);
  let offset = headerSize;
  tables.forEach((t, i) => {
    const rec = 12 + i * 16;
    t.tag.copy(out, rec);
    out.writeUInt32BE(t.checksum, rec + 4);
    out.writeUInt32BE(offset, rec + 8);
    out.writeUInt32BE(t.data.length, rec + 12);
    t.data.copy(out, offset);
    offset += pad4(t.data.length);
  });
  return out;
}

let registeredFontDir = "";

/** Registers the fonts from `fontDir` once per thread (react-pdf's font store is global). */
export function registerFonts(fontDir) {
  if (registeredFontDir === fontDir) return;
  for (const { family, subset } of FAMILIES) {
    Font.register({
      family,
      fonts: WEIGHTS.map((fontWeight) => {
        const ttf = woffToSfnt(readFileSync(path.join(fontDir, `inter-${subset}-${fontWeight}-normal.woff`)));
        return { src: `data:font/ttf;base64,${ttf.toString("base64")}`, fontWeight };
      }),
    });
  }
  // SKUs, IBANs and product names must not be hyphenated at arbitrary points.
  Font.registerHyphenationCallback((word) => [word]);
  registeredFontDir = fontDir;
}
