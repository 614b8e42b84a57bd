// The chat's "Bijlage toevoegen" (issue #16): after a melding is sent the action server
// passes the meldcode to this chat session only (actions/bijlagen_aanbod.py). This small
// part of the chat bundle shows the button; the cryptography and metadata removal load
// only when it is used (/static/build/bijlagen_chat.js, the same code as /volgen).
// The meldcode is kept in memory in this closure, never in sessionStorage.
let laden = null;

function laadBundel() {
  if (!laden) {
    laden = new Promise((klaar, mislukt) => {
      const script = document.createElement("script");
      script.src = "/static/build/bijlagen_chat.js";
      script.onload = () => klaar(window.meldwijzerBijlagen);
      script.onerror = () => {
        laden = null;
        mislukt(new Error("laden"));
      };
      document.head.appendChild(script);
    });
  }
  return laden;
}

export function bijlagenAanbod(list, aanbod) {
  const meldcode = aanbod && aanbod.meldcode;
  if (!meldcode || document.getElementById("chat-bijlagen")) return;
  const li = document.createElement("li");
  li.className = "msg bot";
  li.id = "chat-bijlagen";
  const knop = document.createElement("button");
  knop.type = "button";
  knop.className = "bijlage-toevoegen";
  knop.textContent = "Bijlage toevoegen";
  const plek = document.createElement("div");
  li.append(knop, plek);
  list.appendChild(li);
  knop.addEventListener("click", async () => {
    knop.disabled = true;
    try {
      const bijlagen = await laadBundel();
      await bijlagen.open(plek, meldcode);
      knop.hidden = true;
      const invoer = plek.querySelector("#bijlage-invoer");
      if (invoer) invoer.focus();
    } catch (error) {
      knop.disabled = false;
      const teksten = JSON.parse(document.getElementById("bijlagen-teksten").dataset.teksten);
      plek.textContent = teksten.chat_mislukt;
    }
  });
}
