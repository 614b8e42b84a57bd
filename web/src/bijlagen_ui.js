// "Bijlage toevoegen" on the follow-up page: choose files, see what metadata was taken
// out, remove a file again, then send. The cleaning and sealing happen in this browser
// (bijlagen_metadata.js, bijlagen_seal.js); texts come from backend/pages/teksten.yml.
import { ACCEPT, BestandFout, MAX_BESTANDEN, schoonmaken } from "./bijlagen_metadata.js";
import { verstuurBijlage } from "./bijlagen_seal.js";
import { ApiFout, openSealed, signed } from "./melder_crypto.js";
import { el } from "./dom.js";

const dec = new TextDecoder();

// The names of the bijlagen this melding already has (the manifests opened here).
async function eerdereNamen(keys) {
  const antwoord = await signed(keys, "bijlagen");
  const namen = [];
  for (const b of antwoord.bijlagen) {
    try {
      const kop = { ...antwoord.kop, deel: "bijlage", bijlage_id: b.id };
      namen.push(String(JSON.parse(dec.decode(await openSealed(b.manifest, kop, keys))).naam));
    } catch (error) {
      // Not sealed to this melder (or damaged): left out.
    }
  }
  return namen;
}


function omvang(bytes) {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(".", ",")} MB`;
}

// sessie(): { keys, status } of the open melding (volgen.js keeps it in memory only).
export function bijlagenSectie(teksten, sessie) {
  const gekozen = []; // cleaned files waiting to be sent
  const sectie = el("section", { "aria-labelledby": "bijlagen-kop", class: "bijlagen", id: "bijlagen" });
  const invoer = el("input", {
    type: "file",
    id: "bijlage-invoer",
    multiple: "",
    accept: ACCEPT,
    "aria-describedby": "bijlagen-limieten",
  });
  const fout = el("p", { class: "melding fout", role: "alert", id: "bijlagen-fout", hidden: "" });
  const lijst = el("ul", { class: "bijlagen-voorbeeld", id: "bijlagen-voorbeeld" });
  const knop = el("button", { type: "button", id: "bijlagen-verstuur", hidden: "", text: "Verstuur bijlagen" });
  const stand = el("p", { role: "status", id: "bijlagen-stand", class: "hint" });
  const eerder = el("p", { id: "bijlagen-eerder" });
  sectie.append(
    el("h2", { id: "bijlagen-kop", text: "Bijlagen" }),
    el("p", { text: teksten.uitleg }),
    el("p", { class: "hint", id: "bijlagen-limieten", text: teksten.limieten }),
    el("p", { class: "hint", text: teksten.metadata }),
    el("p", { class: "hint", text: teksten.zelf_kijken }),
    eerder,
    el("div", { class: "form" }, el("label", { for: "bijlage-invoer", text: "Bijlage toevoegen" }), invoer),
    fout,
    lijst,
    knop,
    stand,
  );

  async function toonEerdere() {
    const { keys } = sessie() || {};
    if (!keys) return;
    try {
      const namen = await eerdereNamen(keys);
      eerder.textContent = namen.length ? `Al toegevoegd: ${namen.join(", ")}` : "";
      sectie.dataset.eerder = String(namen.length);
    } catch (error) {
      eerder.textContent = "";
    }
  }
  toonEerdere();

  function toonFout(tekst) {
    fout.textContent = tekst;
    fout.hidden = !tekst;
  }

  function teken() {
    lijst.replaceChildren();
    gekozen.forEach((b, index) => {
      const weg = b.verwijderd.length ? b.verwijderd.join(", ") : "niets gevonden";
      const item = el(
        "li",
        { class: "bijlage", "data-naam": b.naam },
        el("p", {}, el("strong", { text: b.naam }), document.createTextNode(` (${omvang(b.blob.size)})`)),
        el("p", { class: "bijlage-verwijderd", text: `Verwijderd: ${weg}` }),
      );
      for (const zin of b.letOp) item.append(el("p", { class: "bijlage-let-op", text: zin }));
      const weghalen = el("button", { type: "button", class: "secundair", text: "Verwijderen" });
      weghalen.append(el("span", { class: "visually-hidden", text: ` ${b.naam}` }));
      weghalen.addEventListener("click", () => {
        gekozen.splice(index, 1);
        teken();
        invoer.focus();
      });
      item.append(weghalen);
      lijst.append(item);
    });
    knop.hidden = gekozen.length === 0;
  }

  invoer.addEventListener("change", async () => {
    toonFout("");
    const bestanden = [...invoer.files];
    invoer.value = "";
    const fouten = [];
    stand.textContent = "Even geduld …";
    for (const file of bestanden) {
      if (gekozen.length >= MAX_BESTANDEN) {
        fouten.push(teksten.te_veel);
        break;
      }
      try {
        gekozen.push(await schoonmaken(file, teksten));
      } catch (error) {
        const zin = error instanceof BestandFout ? error.message : teksten.klopt_niet;
        fouten.push(`${file.name}: ${zin}`);
      }
    }
    stand.textContent = "";
    teken();
    toonFout(fouten.join(" "));
    sectie.dataset.klaar = "ja"; // the browser test waits for this
  });

  function zetBezig(bezig) {
    // While sending, nothing in the list can change.
    knop.disabled = bezig;
    invoer.disabled = bezig;
    for (const b of lijst.querySelectorAll("button")) b.disabled = bezig;
  }

  knop.addEventListener("click", async () => {
    const { keys, status } = sessie() || {};
    if (!keys) return;
    zetBezig(true);
    toonFout("");
    const verstuurd = [];
    try {
      for (const b of [...gekozen]) {
        await verstuurBijlage(keys, status, b, (deel) => {
          stand.textContent = `${b.naam}: ${Math.round(deel * 100)}%`;
        });
        verstuurd.push(b.naam);
        const plek = gekozen.indexOf(b);
        if (plek >= 0) gekozen.splice(plek, 1);
        teken();
        zetBezig(true);
      }
      stand.textContent = `${teksten.verstuurd} (${verstuurd.join(", ")})`;
      await toonEerdere();
      sectie.dataset.verstuurd = String(verstuurd.length);
    } catch (error) {
      stand.textContent = verstuurd.length ? `${teksten.verstuurd} (${verstuurd.join(", ")})` : "";
      toonFout(error instanceof ApiFout ? `${error.message} ${teksten.half}` : teksten.half);
      sectie.dataset.verstuurd = String(verstuurd.length);
    } finally {
      zetBezig(false);
    }
  });
  return sectie;
}
