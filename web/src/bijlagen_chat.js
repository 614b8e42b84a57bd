// Bundle loaded by the chat when the melder clicks "Bijlage toevoegen" (chat_bijlagen.js):
// derive the melder's keys from the meldcode in this browser, fetch the status (the loket
// key and the envelope header, signed), and show the same section as on /volgen.
import { bijlagenSectie } from "./bijlagen_ui.js";
import { melderKeys, normalize, signed } from "./melder_crypto.js";

async function open(plek, meldcode) {
  const teksten = JSON.parse(document.getElementById("bijlagen-teksten").dataset.teksten);
  const keys = await melderKeys(normalize(meldcode));
  const status = await signed(keys, "status");
  const sessie = { keys, status };
  plek.replaceChildren(bijlagenSectie(teksten, () => sessie));
}

window.meldwijzerBijlagen = { open };
