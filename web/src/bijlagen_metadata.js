// Hidden metadata out of a file, in the browser, before it is sealed (docs/bijlagen.md).
//
// schoonmaken(file, teksten) -> { naam, type, blob, verwijderd: [labels], letOp: [sentences] }
// or throws BestandFout with a Dutch sentence. The kind of file is decided by its name
// AND its first bytes: a file whose bytes do not fit its name is refused (a renamed
// program is not sent as "foto.jpg"). What is removed:
//   JPEG: APP1 (EXIF, XMP), APP13 (IPTC), COM, other APPn except JFIF and ICC, data after
//         the image; the orientation is kept in a minimal new EXIF block (one tag).
//   PNG:  tEXt, iTXt, zTXt, eXIf, tIME, data after IEND.     WebP: EXIF and XMP chunks.
//   PDF:  (pdf-lib) the Info dictionary, XMP metadata, PieceInfo; unreachable objects.
//   docx/xlsx/pptx (+ m-variants), odt/ods/odp: (fflate) core/app/custom/meta properties.
//   MP3:  ID3v2 and ID3v1 tags.
// Everything else is sent as it is, and the melder is told plainly what may remain.
import { unzipSync, zipSync } from "fflate";
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFStream } from "pdf-lib";

export const MAX_BYTES = 20 * 1024 * 1024;
export const MAX_BESTANDEN = 10;

export class BestandFout extends Error {}

const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: false });

// extension -> [kind, MIME type]
const SOORTEN = {
  jpg: ["jpeg", "image/jpeg"],
  jpeg: ["jpeg", "image/jpeg"],
  png: ["png", "image/png"],
  webp: ["webp", "image/webp"],
  gif: ["gif", "image/gif"],
  heic: ["heic", "image/heic"],
  heif: ["heic", "image/heif"],
  pdf: ["pdf", "application/pdf"],
  docx: ["ooxml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
  xlsx: ["ooxml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
  pptx: ["ooxml", "application/vnd.openxmlformats-officedocument.presentationml.presentation"],
  docm: ["ooxml", "application/vnd.ms-word.document.macroEnabled.12"],
  xlsm: ["ooxml", "application/vnd.ms-excel.sheet.macroEnabled.12"],
  pptm: ["ooxml", "application/vnd.ms-powerpoint.presentation.macroEnabled.12"],
  odt: ["odf", "application/vnd.oasis.opendocument.text"],
  ods: ["odf", "application/vnd.oasis.opendocument.spreadsheet"],
  odp: ["odf", "application/vnd.oasis.opendocument.presentation"],
  doc: ["ole", "application/msword"],
  xls: ["ole", "application/vnd.ms-excel"],
  ppt: ["ole", "application/vnd.ms-powerpoint"],
  txt: ["tekst", "text/plain"],
  csv: ["tekst", "text/csv"],
  mp3: ["mp3", "audio/mpeg"],
  m4a: ["mp4audio", "audio/mp4"],
  aac: ["aac", "audio/aac"],
  ogg: ["ogg", "audio/ogg"],
  opus: ["ogg", "audio/ogg"],
  wav: ["wav", "audio/wav"],
  webm: ["webm", "audio/webm"],
  amr: ["amr", "audio/amr"],
};
export const ACCEPT = Object.keys(SOORTEN)
  .map((e) => `.${e}`)
  .join(",");

function begintMet(b, bytes, at = 0) {
  if (b.length < at + bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (b[at + i] !== bytes[i]) return false;
  return true;
}
const ascii = (text) => enc.encode(text);

// Does the start of the file fit the kind its name says?
function pastBij(kind, b) {
  switch (kind) {
    case "jpeg":
      return begintMet(b, [0xff, 0xd8, 0xff]);
    case "png":
      return begintMet(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case "webp":
      return begintMet(b, ascii("RIFF")) && begintMet(b, ascii("WEBP"), 8);
    case "gif":
      return begintMet(b, ascii("GIF8"));
    case "heic":
    case "mp4audio":
      return begintMet(b, ascii("ftyp"), 4);
    case "pdf":
      return begintMet(b, ascii("%PDF-"));
    case "ooxml":
    case "odf":
      return begintMet(b, [0x50, 0x4b, 0x03, 0x04]);
    case "ole":
      return begintMet(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    case "tekst":
      return !b.subarray(0, 4096).includes(0);
    case "mp3":
      return begintMet(b, ascii("ID3")) || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0);
    case "aac":
      return b[0] === 0xff && (b[1] & 0xf6) === 0xf0;
    case "ogg":
      return begintMet(b, ascii("OggS"));
    case "wav":
      return begintMet(b, ascii("RIFF")) && begintMet(b, ascii("WAVE"), 8);
    case "webm":
      return begintMet(b, [0x1a, 0x45, 0xdf, 0xa3]);
    case "amr":
      return begintMet(b, ascii("#!AMR"));
    default:
      return false;
  }
}

// --- JPEG --------------------------------------------------------------------------------

function exifDetails(tiff) {
  // What the EXIF block held (for the melder's preview) and the orientation.
  const found = new Set();
  let orientation = 1;
  if (tiff.length < 8) return { found, orientation };
  const le = tiff[0] === 0x49;
  const u16 = (o) => (le ? tiff[o] | (tiff[o + 1] << 8) : (tiff[o] << 8) | tiff[o + 1]);
  const u32 = (o) => (le ? u16(o) + u16(o + 2) * 65536 : u16(o) * 65536 + u16(o + 2));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return { found, orientation };
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + i * 12;
    if (at + 12 > tiff.length) break;
    const tag = u16(at);
    if (tag === 0x0112) orientation = u16(at + 8) || 1;
    else if (tag === 0x8825) found.add("plaats (GPS)");
    else if (tag === 0x010f || tag === 0x0110) found.add("merk en type toestel");
    else if (tag === 0x0132 || tag === 0x8769) found.add("tijd en camera-instellingen");
    else if (tag === 0x013b || tag === 0x8298) found.add("naam van de maker");
  }
  return { found, orientation };
}

function orientatieBlok(orientation) {
  // A minimal EXIF block with only the orientation (big-endian TIFF, one IFD entry).
  const body = new Uint8Array([
    ...ascii("Exif\0\0"),
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,
    0x00, 0x01,
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
  ]);
  const len = body.length + 2;
  return new Uint8Array([0xff, 0xe1, len >> 8, len & 0xff, ...body]);
}

export function jpegSchoon(b) {
  const delen = [b.subarray(0, 2)];
  const weg = new Set();
  let orientation = 1;
  let jfif = false;
  let i = 2;
  for (;;) {
    if (i + 1 >= b.length || b[i] !== 0xff) throw new BestandFout("jpeg");
    const marker = b[i + 1];
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    if (marker === 0xd9) {
      delen.push(b.subarray(i, i + 2));
      if (i + 2 < b.length) weg.add("gegevens na de foto");
      break;
    }
    if (marker === 0xda) {
      // The scans: copy up to and including EOI (FF D9 cannot occur inside them).
      let eind = -1;
      for (let j = i + 2; j + 1 < b.length; j++) {
        if (b[j] === 0xff && b[j + 1] === 0xd9) {
          eind = j + 2;
          break;
        }
      }
      if (eind < 0) throw new BestandFout("jpeg");
      delen.push(b.subarray(i, eind));
      if (eind < b.length) weg.add("gegevens na de foto");
      break;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      delen.push(b.subarray(i, i + 2));
      i += 2;
      continue;
    }
    const len = (b[i + 2] << 8) | b[i + 3];
    if (len < 2 || i + 2 + len > b.length) throw new BestandFout("jpeg");
    const segment = b.subarray(i, i + 2 + len);
    const body = b.subarray(i + 4, i + 2 + len);
    if (marker === 0xe1) {
      if (begintMet(body, ascii("Exif\0\0"))) {
        const details = exifDetails(body.subarray(6));
        orientation = details.orientation;
        weg.add("EXIF-gegevens");
        for (const wat of details.found) weg.add(wat);
      } else if (begintMet(body, ascii("http://ns.adobe.com/xap/1.0/"))) {
        weg.add("XMP-gegevens");
      } else {
        weg.add("extra gegevens (APP1)");
      }
    } else if (marker === 0xe0 && begintMet(body, ascii("JFIF\0")) && !jfif) {
      jfif = true;
      delen.push(segment);
    } else if (marker === 0xe2 && begintMet(body, ascii("ICC_PROFILE\0"))) {
      delen.push(segment); // colours only
    } else if (marker === 0xed) {
      weg.add("IPTC-gegevens");
    } else if (marker >= 0xe0 && marker <= 0xef) {
      weg.add(`extra gegevens (APP${marker - 0xe0})`);
    } else if (marker === 0xfe) {
      weg.add("opmerking");
    } else {
      delen.push(segment);
    }
    i += 2 + len;
  }
  if (orientation >= 2 && orientation <= 8) {
    delen.splice(jfif ? 2 : 1, 0, orientatieBlok(orientation));
  }
  return { bytes: samen(delen), weg: [...weg] };
}

// --- PNG and WebP ------------------------------------------------------------------------

const PNG_WEG = { tEXt: "tekstvelden", iTXt: "tekstvelden", zTXt: "tekstvelden", eXIf: "EXIF-gegevens", tIME: "tijd" };

export function pngSchoon(b) {
  const delen = [b.subarray(0, 8)];
  const weg = new Set();
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let i = 8;
  for (;;) {
    if (i + 12 > b.length) throw new BestandFout("png");
    const len = view.getUint32(i);
    const type = String.fromCharCode(...b.subarray(i + 4, i + 8));
    const eind = i + 12 + len;
    if (eind > b.length) throw new BestandFout("png");
    if (PNG_WEG[type]) weg.add(PNG_WEG[type]);
    else delen.push(b.subarray(i, eind));
    i = eind;
    if (type === "IEND") {
      if (i < b.length) weg.add("gegevens na de afbeelding");
      break;
    }
  }
  return { bytes: samen(delen), weg: [...weg] };
}

export function webpSchoon(b) {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const delen = [];
  const weg = new Set();
  let vp8x = null;
  let i = 12;
  while (i + 8 <= b.length) {
    const type = String.fromCharCode(...b.subarray(i, i + 4));
    const len = view.getUint32(i + 4, true);
    const eind = i + 8 + len + (len % 2);
    if (eind > b.length + 1) throw new BestandFout("webp");
    if (type === "EXIF") weg.add("EXIF-gegevens");
    else if (type === "XMP ") weg.add("XMP-gegevens");
    else {
      const chunk = b.slice(i, Math.min(eind, b.length));
      if (type === "VP8X") vp8x = chunk;
      delen.push(chunk);
    }
    i = eind;
  }
  if (vp8x) vp8x[8] &= ~0x0c; // the EXIF and XMP flags
  const inhoud = samen(delen);
  const kop = new Uint8Array(12);
  kop.set(ascii("RIFF"));
  new DataView(kop.buffer).setUint32(4, inhoud.length + 4, true);
  kop.set(ascii("WEBP"), 8);
  return { bytes: samen([kop, inhoud]), weg: [...weg] };
}

// --- PDF (pdf-lib) -------------------------------------------------------------------------

function bereikbaar(context, start) {
  // Every object reachable from the catalog; the rest (old versions, the removed
  // metadata) is dropped so its bytes do not stay in the file.
  const gezien = new Set();
  const stapel = [start];
  while (stapel.length) {
    const obj = stapel.pop();
    if (obj instanceof PDFRef) {
      if (gezien.has(obj.tag)) continue;
      gezien.add(obj.tag);
      const doel = context.lookup(obj);
      if (doel) stapel.push(doel);
    } else if (obj instanceof PDFDict) {
      for (const [, waarde] of obj.entries()) stapel.push(waarde);
    } else if (obj instanceof PDFArray) {
      for (let k = 0; k < obj.size(); k++) stapel.push(obj.get(k));
    } else if (obj instanceof PDFStream) {
      stapel.push(obj.dict);
    }
  }
  return gezien;
}

export async function pdfSchoon(b, teksten) {
  let doc;
  try {
    doc = await PDFDocument.load(b, { updateMetadata: false });
  } catch (error) {
    if (error && /encrypt/i.test(String(error.message))) {
      return { bytes: b, weg: [], letOp: [teksten.kan_naam_bevatten] };
    }
    throw new BestandFout("pdf");
  }
  const context = doc.context;
  const weg = new Set();
  const info = context.trailerInfo.Info;
  if (info) {
    const dict = context.lookup(info);
    if (dict instanceof PDFDict && dict.keys().length) weg.add("maker, titel, programma en datums");
    context.trailerInfo.Info = undefined;
  }
  const metadata = PDFName.of("Metadata");
  const pieceInfo = PDFName.of("PieceInfo");
  for (const dict of [doc.catalog, ...doc.getPages().map((p) => p.node)]) {
    if (dict.get(metadata)) weg.add("XMP-gegevens");
    if (dict.get(pieceInfo)) weg.add("programmagegevens");
    dict.delete(metadata);
    dict.delete(pieceInfo);
  }
  const houden = bereikbaar(context, context.trailerInfo.Root);
  for (const [ref] of context.enumerateIndirectObjects()) {
    if (!houden.has(ref.tag)) context.delete(ref);
  }
  const bytes = await doc.save({ useObjectStreams: false, updateFieldAppearances: false });
  return { bytes, weg: [...weg], letOp: [] };
}

// --- Office (fflate) -------------------------------------------------------------------------

const LEEG_CORE =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
  'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
  'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>';
const LEEG_CUSTOM =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" ' +
  'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>';
const LEEG_META =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
  'office:version="1.2"><office:meta/></office:document-meta>';
const APP_VELDEN = /<(Company|Manager|Template|HyperlinkBase)>[^<]*<\/\1>/g;
const SCHRIJVER = /(w:author="|<author>|<p:cmAuthor|<dc:creator>)/;

export function officeSchoon(b, kind, teksten) {
  let bestanden;
  try {
    bestanden = unzipSync(b);
  } catch (error) {
    throw new BestandFout("zip");
  }
  const weg = new Set();
  const letOp = new Set();
  if (kind === "ooxml") {
    if (!bestanden["[Content_Types].xml"]) throw new BestandFout("ooxml");
    if (bestanden["docProps/core.xml"]) {
      bestanden["docProps/core.xml"] = enc.encode(LEEG_CORE);
      weg.add("maker, laatst gewijzigd door, titel en datums");
    }
    if (bestanden["docProps/app.xml"]) {
      const app = dec.decode(bestanden["docProps/app.xml"]);
      const schoon = app.replace(APP_VELDEN, "");
      if (schoon !== app) weg.add("bedrijf en manager");
      bestanden["docProps/app.xml"] = enc.encode(schoon);
    }
    if (bestanden["docProps/custom.xml"]) {
      bestanden["docProps/custom.xml"] = enc.encode(LEEG_CUSTOM);
      weg.add("eigen eigenschappen");
    }
    for (const [pad, data] of Object.entries(bestanden)) {
      if (/vbaProject\.bin$/i.test(pad)) letOp.add(teksten.macro);
      if (pad.endsWith(".xml") && SCHRIJVER.test(dec.decode(data))) letOp.add(teksten.opmerkingen_naam);
    }
  } else {
    if (!bestanden.mimetype) throw new BestandFout("odf");
    if (bestanden["meta.xml"]) {
      bestanden["meta.xml"] = enc.encode(LEEG_META);
      weg.add("maker, titel en datums");
    }
    // ODF: "mimetype" first and stored uncompressed.
    bestanden = { mimetype: [bestanden.mimetype, { level: 0 }], ...bestanden };
  }
  const vast = new Date("2000-01-01T00:00:00Z"); // no timestamps of the melder's computer
  return { bytes: zipSync(bestanden, { level: 6, mtime: vast }), weg: [...weg], letOp: [...letOp] };
}

// --- MP3 -----------------------------------------------------------------------------------

export function mp3Schoon(b) {
  let begin = 0;
  let eind = b.length;
  const weg = new Set();
  while (begintMet(b, ascii("ID3"), begin) && begin + 10 <= b.length) {
    const grootte = (b[begin + 6] << 21) | (b[begin + 7] << 14) | (b[begin + 8] << 7) | b[begin + 9];
    const voet = b[begin + 5] & 0x10 ? 10 : 0;
    begin += 10 + grootte + voet;
    weg.add("ID3-gegevens (titel, maker)");
  }
  if (eind - begin >= 128 && begintMet(b, ascii("TAG"), eind - 128)) {
    eind -= 128;
    weg.add("ID3-gegevens (titel, maker)");
  }
  if (begin > eind) throw new BestandFout("mp3");
  return { bytes: b.slice(begin, eind), weg: [...weg] };
}

// --- the entry point -------------------------------------------------------------------------

function samen(delen) {
  const out = new Uint8Array(delen.reduce((n, d) => n + d.length, 0));
  let at = 0;
  for (const d of delen) {
    out.set(d, at);
    at += d.length;
  }
  return out;
}

export function extensie(naam) {
  const punt = naam.lastIndexOf(".");
  return punt < 0 ? "" : naam.slice(punt + 1).toLowerCase();
}

export async function schoonmaken(file, teksten) {
  const soort = SOORTEN[extensie(file.name)];
  if (!soort) throw new BestandFout(teksten.soort_niet);
  if (file.size > MAX_BYTES) throw new BestandFout(teksten.te_groot);
  const [kind, type] = soort;
  const kop = new Uint8Array(await file.slice(0, 4096).arrayBuffer());
  if (!pastBij(kind, kop)) throw new BestandFout(teksten.klopt_niet);
  const basis = { naam: file.name, type };
  const lees = async () => new Uint8Array(await file.arrayBuffer());
  try {
    let r;
    if (kind === "jpeg") r = jpegSchoon(await lees());
    else if (kind === "png") r = pngSchoon(await lees());
    else if (kind === "webp") r = webpSchoon(await lees());
    else if (kind === "pdf") r = await pdfSchoon(await lees(), teksten);
    else if (kind === "ooxml" || kind === "odf") r = officeSchoon(await lees(), kind, teksten);
    else if (kind === "mp3") r = mp3Schoon(await lees());
    else if (kind === "tekst") return { ...basis, blob: file, verwijderd: [], letOp: [] };
    else if (kind === "ole") return { ...basis, blob: file, verwijderd: [], letOp: [teksten.kan_naam_bevatten] };
    else if (type.startsWith("audio/")) return { ...basis, blob: file, verwijderd: [], letOp: [teksten.geluid] };
    else return { ...basis, blob: file, verwijderd: [], letOp: [teksten.niet_schoon] };
    return {
      ...basis,
      blob: new Blob([r.bytes], { type }),
      verwijderd: r.weg,
      letOp: r.letOp || [],
    };
  } catch (error) {
    if (error instanceof BestandFout && error.message.includes(" ")) throw error;
    throw new BestandFout(teksten.klopt_niet);
  }
}
