// The meldcode as Dutch words, the same rules as envelope/meldcode_woorden.py.
//
// A current meldcode is 20 Crockford-base32 characters; every pair of characters is one of
// the 1024 words of envelope/woordenlijst.txt, so the code is exactly 10 words. Reading is
// forgiving: any separators, any case, accents stripped, each word known by its first four
// letters. The list text comes in from outside (web/src/woordenlijst.js bundles the file),
// so this module is pure and node can test it against the Python side
// (tests/envelope/test_meldcode_woorden_js.py).

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const LIJST_GROOTTE = 1024;
export const WOORDEN_PER_CODE = 10;
const PREFIX = 4;
const LETTERS = /\p{L}+/gu;

// Lowercase a-z only: "Tafél" -> "tafel".
export function kaal(token) {
  return token.normalize("NFKD").toLowerCase().replace(/[^a-z]/g, "");
}

function eenLetterVerschil(a, b) {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    let verschil = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) verschil++;
    return verschil === 1;
  }
  const [kort, lang] = a.length < b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < kort.length && kort[i] === lang[i]) i++;
  return kort.slice(i) === lang.slice(i + 1);
}

export function maakWoorden(lijstTekst) {
  const lijst = lijstTekst.split(/\s+/).filter(Boolean);
  if (lijst.length !== LIJST_GROOTTE) {
    throw new Error(`de woordenlijst moet ${LIJST_GROOTTE} woorden hebben, niet ${lijst.length}`);
  }
  const opzoek = new Map();
  lijst.forEach((woord, index) => {
    opzoek.set(woord, index);
    opzoek.set(woord.slice(0, PREFIX), index);
  });

  function woordIndex(token) {
    const woord = kaal(token);
    if (opzoek.has(woord)) return opzoek.get(woord);
    if (woord.length > PREFIX && opzoek.has(woord.slice(0, PREFIX))) {
      return opzoek.get(woord.slice(0, PREFIX));
    }
    return null;
  }

  function suggestie(token) {
    const woord = kaal(token);
    const dichtbij = lijst.filter((w) => eenLetterVerschil(woord, w));
    return dichtbij.length === 1 ? dichtbij[0] : null;
  }

  // True when the typed text is meant as words: no digits, and not at most five groups of
  // at most four letters (a character code without digits).
  function lijktWoorden(tekst) {
    if (/\p{Nd}/u.test(tekst)) return false;
    const tokens = tekst.match(LETTERS) || [];
    return tokens.length > 0 && (tokens.length > 5 || tokens.some((t) => t.length > PREFIX));
  }

  // { code } (20 characters, no separators) or { fout: { soort: "vorm" } | { soort: "woord",
  // positie, woord, suggestie } | { soort: "aantal", aantal } }.
  function leesWoorden(tekst) {
    const tokens = tekst.match(LETTERS) || [];
    const indexen = tokens.map(woordIndex);
    // Mostly other words ("ik weet mijn code niet meer"): not a code at all.
    const bekend = indexen.filter((i) => i !== null).length;
    if (2 * bekend < tokens.length) return { fout: { soort: "vorm" } };
    let code = "";
    for (let i = 0; i < tokens.length; i++) {
      const index = indexen[i];
      if (index === null) {
        const woord = kaal(tokens[i]) || tokens[i];
        return { fout: { soort: "woord", positie: i + 1, woord, suggestie: suggestie(tokens[i]) } };
      }
      code += ALPHABET[Math.floor(index / 32)] + ALPHABET[index % 32];
    }
    if (tokens.length !== WOORDEN_PER_CODE) return { fout: { soort: "aantal", aantal: tokens.length } };
    return { code };
  }

  // The 10 words of a canonical 20-character code.
  function naarWoorden(code) {
    const woorden = [];
    for (let i = 0; i < code.length; i += 2) {
      woorden.push(lijst[ALPHABET.indexOf(code[i]) * 32 + ALPHABET.indexOf(code[i + 1])]);
    }
    return woorden;
  }

  // As shown: one pair per group of four characters.
  function toonWoorden(code) {
    const woorden = naarWoorden(code);
    const paren = [];
    for (let i = 0; i < woorden.length; i += 2) paren.push(`${woorden[i]}-${woorden[i + 1]}`);
    return paren.join(" · ");
  }

  return { lijst, woordIndex, suggestie, lijktWoorden, leesWoorden, naarWoorden, toonWoorden };
}
