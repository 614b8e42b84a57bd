// The meldcode word list, bundled from its one source: envelope/woordenlijst.txt
// (web/build.mjs loads .txt files as text).
import lijstTekst from "../../envelope/woordenlijst.txt";
import { maakWoorden } from "./meldcode_woorden.js";

export const woorden = maakWoorden(lijstTekst);
