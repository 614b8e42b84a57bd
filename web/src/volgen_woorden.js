// The follow-up page reads a meldcode in characters or in words (web/src/meldcode_woorden.js).
import { normalize } from "./melder_crypto.js";
import { woorden } from "./woordenlijst.js";

function vul(tekst, waarden) {
  return tekst.replace(/\{(\w+)\}/g, (_, naam) => String(waarden[naam] ?? ""));
}

// { code } (canonical characters) or { fout } (a Dutch sentence for the melder). The page
// may name the word: it stays in this browser.
export function leesMeldcode(tekst, teksten) {
  const code = normalize(tekst);
  if (code) return { code };
  if (!woorden.lijktWoorden(tekst)) return { fout: teksten.vorm };
  const gelezen = woorden.leesWoorden(tekst);
  if (gelezen.code) return { code: gelezen.code };
  const fout = gelezen.fout;
  if (fout.soort === "vorm") return { fout: teksten.vorm };
  if (fout.soort === "aantal") return { fout: vul(teksten.woorden.aantal, fout) };
  let zin = vul(teksten.woorden.onbekend, fout);
  if (fout.suggestie) zin += ` ${vul(teksten.woorden.suggestie, fout)}`;
  return { fout: zin };
}
