// "Niet alleen" on the follow-up page (docs/matching.md): whether another melder named
// the same person, and the melder's choice to be connected. Both are signed requests
// with the melder's keys (web/src/melder_crypto.js); the page never sees the name.
import { signed } from "./melder_crypto.js";
import { el } from "./dom.js";


function keuzeForm(vermelding, teksten, onKeuze) {
  const f = el("form", { class: "form niet-alleen-keuze", "data-vermelding": vermelding.vermelding_id });
  const ja = el("button", { type: "submit", value: "ja", text: "Ja, breng me in contact" });
  const nee = el("button", { type: "submit", value: "nee", class: "secundair", text: "Nee" });
  f.append(ja, document.createTextNode(" "), nee);
  f.addEventListener("submit", (event) => {
    event.preventDefault();
    event.stopPropagation(); // not the page's own forms (volgen.js)
    const knop = event.submitter || ja;
    onKeuze(vermelding.vermelding_id, knop.value === "ja", knop);
  });
  if (vermelding.instemming !== null && vermelding.instemming !== undefined) {
    f.prepend(
      el("p", {
        class: "melding gelukt",
        role: "status",
        text: vermelding.instemming ? teksten.gekozen_ja : teksten.gekozen_nee,
      }),
    );
  }
  return f;
}

function sectie(status, teksten, onKeuze) {
  const s = el("section", { "aria-labelledby": "niet-alleen", id: "niet-alleen-sectie" });
  s.append(el("h2", { id: "niet-alleen", text: "Niet alleen" }));
  for (const v of status.vermeldingen) {
    if (v.overeenkomst) {
      s.append(el("p", { class: "niet-alleen-overeenkomst", text: teksten.overeenkomst }));
      s.append(keuzeForm(v, teksten, onKeuze));
    } else {
      s.append(el("p", { class: "niet-alleen-genoemd", text: teksten.genoemd }));
    }
  }
  return s;
}

// Shows the section in `uit` (before its last paragraph) when the melder named someone.
export async function toonNietAlleen(keys, uit, teksten, toonFout) {
  let status;
  try {
    status = await signed(keys, "niet-alleen-status");
  } catch {
    return; // the rest of the page works without it
  }
  const oud = uit.querySelector("#niet-alleen-sectie");
  if (oud) oud.remove();
  if (!status.vermeldingen || !status.vermeldingen.length) return;
  const onKeuze = async (vermeldingId, instemming, knop) => {
    knop.disabled = true;
    try {
      const nieuw = await signed(keys, "niet-alleen-instemming", {
        vermelding_id: vermeldingId,
        instemming,
      });
      const vervang = sectie(nieuw, teksten, onKeuze);
      uit.querySelector("#niet-alleen-sectie").replaceWith(vervang);
      vervang.querySelector("[role=status]")?.focus?.();
    } catch (error) {
      toonFout(error.message || "Er ging iets mis. Probeer het later opnieuw.");
    } finally {
      knop.disabled = false;
    }
  };
  const s = sectie(status, teksten, onKeuze);
  uit.insertBefore(s, uit.lastElementChild);
}
