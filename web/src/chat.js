// Meldwijzer chat: talks to Rasa over socket.io (REST channel as fallback).
// The conversation lives only in this tab (sessionStorage): it survives a reload
// and is gone when the tab closes. No cookies, no third parties, no tracking.
import { io } from "socket.io-client";
import { bijlagenAanbod } from "./chat_bijlagen.js";
import { bewijsKnoppen, bewijsUitBericht } from "./ontvangstbewijs.js";

const KEY_SENDER = "mw-sender";
const KEY_HISTORY = "mw-history";
const KEY_MODE = "mw-modus";

const root = document.getElementById("chat");
const rasaUrl = root.dataset.rasaUrl.replace(/\/$/, "");
const startPayload = root.dataset.start;
const mode = root.dataset.modus;
const list = document.getElementById("messages");
const form = document.getElementById("composer");
const input = document.getElementById("input");
const typing = document.getElementById("typing");
const connection = document.getElementById("verbinding");
const quickExit = document.getElementById("snel-weg");

let socket = null;
let useRest = false;
let waiting = 0;
let typingTimer = null;
let focusButtons = false;

function newId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function senderId() {
  let id = sessionStorage.getItem(KEY_SENDER);
  if (!id) {
    id = newId();
    sessionStorage.setItem(KEY_SENDER, id);
  }
  return id;
}

function history() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY_HISTORY) || "[]");
  } catch (e) {
    return [];
  }
}

function remember(entry) {
  const items = history();
  items.push(entry);
  sessionStorage.setItem(KEY_HISTORY, JSON.stringify(items));
}

function markAnswered() {
  // Older button groups stay visible but can no longer be used.
  list.querySelectorAll(".buttons:not(.answered)").forEach((box) => {
    box.classList.add("answered");
    box.querySelectorAll("button").forEach((b) => {
      b.disabled = true;
    });
  });
  const items = history();
  items.forEach((e) => {
    if (e.buttons && e.buttons.length) e.answered = true;
  });
  sessionStorage.setItem(KEY_HISTORY, JSON.stringify(items));
}

function render(entry, live) {
  const li = document.createElement("li");
  li.className = entry.who === "me" ? "msg me" : "msg bot";
  const who = document.createElement("span");
  who.className = "visually-hidden";
  who.textContent = entry.who === "me" ? "Jij: " : "Meldwijzer: ";
  li.appendChild(who);
  const text = document.createElement("p");
  text.className = "text";
  text.textContent = entry.text || "";
  li.appendChild(text);
  // The signed ontvangstbewijs after sending: two download buttons (ontvangstbewijs.js).
  if (entry.bewijs) {
    li.classList.add("bewijs");
    text.textContent = "Je ontvangstbewijs";
    li.appendChild(bewijsKnoppen(entry.bewijs));
  }
  if (entry.buttons && entry.buttons.length) {
    const box = document.createElement("div");
    box.className = "buttons";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Kies een antwoord");
    entry.buttons.forEach((b) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = b.title;
      button.dataset.payload = b.payload;
      if (entry.answered) button.disabled = true;
      button.addEventListener("click", () => {
        focusButtons = true;
        send(b.payload, b.title);
      });
      box.appendChild(button);
    });
    if (entry.answered) box.classList.add("answered");
    li.appendChild(box);
  }
  list.appendChild(li);
  if (live) li.scrollIntoView({ block: "nearest" });
  return li;
}

function add(entry) {
  remember(entry);
  return render(entry, true);
}

function setTyping(on) {
  clearTimeout(typingTimer);
  if (on) {
    typing.hidden = false;
    // Stop showing "typt" if nothing comes back in time.
    typingTimer = setTimeout(() => setTyping(false), 30000);
  } else {
    typing.hidden = true;
  }
}

function botSays(message) {
  waiting = Math.max(0, waiting - 1);
  const custom = message.bijlagen ? message : message.custom && (message.custom.data || message.custom);
  if (custom && custom.bijlagen) {
    bijlagenAanbod(list, custom.bijlagen); // web/src/chat_bijlagen.js; never stored
    return;
  }
  const buttons = (message.quick_replies || message.buttons || []).map((b) => ({
    title: b.title,
    payload: b.payload,
  }));
  const bewijs = bewijsUitBericht(message);
  const li = add({ who: "bot", text: message.text || "", buttons, ...(bewijs ? { bewijs } : {}) });
  // Rasa sends several messages per turn; keep the indicator shortly after each.
  setTyping(true);
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => setTyping(false), 700);
  if (focusButtons) {
    // The button that was used is now disabled: move focus on, never lose it.
    const first = li.querySelector("button");
    if (first) first.focus();
    else if (!li.parentNode.querySelector(".buttons:not(.answered)")) input.focus();
  }
}

function showConnection(text) {
  connection.textContent = text;
  connection.hidden = !text;
}

function sendRest(message) {
  return fetch(rasaUrl + "/webhooks/rest/webhook", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    referrerPolicy: "no-referrer",
    credentials: "omit",
    body: JSON.stringify({ sender: senderId(), message }),
  })
    .then((r) => r.json())
    .then((replies) => {
      replies.forEach((m) => botSays(m));
      setTyping(false);
    })
    .catch(() => {
      setTyping(false);
      add({
        who: "bot",
        text: "Er ging iets mis met de verbinding. Er is niets verloren. Probeer het zo opnieuw.",
      });
    });
}

function send(message, shown) {
  if (shown) {
    markAnswered();
    add({ who: "me", text: shown });
  }
  setTyping(true);
  waiting += 1;
  if (!useRest && socket && socket.connected) {
    socket.emit("user_uttered", { message, session_id: senderId() });
    return Promise.resolve();
  }
  return sendRest(message);
}

function connect(onReady) {
  let ready = false;
  const done = () => {
    if (!ready) {
      ready = true;
      onReady();
    }
  };
  socket = io(rasaUrl, {
    path: "/socket.io",
    transports: ["websocket"],
    reconnectionAttempts: 5,
    timeout: 8000,
    withCredentials: false,
  });
  socket.on("connect", () => {
    socket.emit("session_request", { session_id: senderId() });
  });
  socket.on("session_confirm", () => {
    useRest = false;
    showConnection("");
    done();
  });
  socket.on("bot_uttered", (message) => botSays(message));
  socket.on("connect_error", () => {
    // No websocket (e.g. a proxy): fall back to the REST channel, same conversation.
    useRest = true;
    done();
  });
  socket.on("disconnect", () => {
    if (ready) showConnection("De verbinding is even weg. We proberen het opnieuw.");
  });
}

function quickLeave() {
  const sender = sessionStorage.getItem(KEY_SENDER);
  if (sender) {
    // Ask Rasa to forget the conversation; do not wait for an answer.
    try {
      fetch(rasaUrl + "/webhooks/rest/webhook", {
        method: "POST",
        keepalive: true,
        headers: { "Content-Type": "application/json" },
        referrerPolicy: "no-referrer",
        credentials: "omit",
        body: JSON.stringify({ sender, message: "/stop" }),
      }).catch(() => {});
    } catch (e) {
      /* leave anyway */
    }
  }
  if (socket) {
    socket.off();
    socket.disconnect();
  }
  sessionStorage.clear();
  list.textContent = "";
  input.value = "";
  document.title = "Startpagina";
  window.location.replace("/weg");
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  focusButtons = false;
  send(text, text);
});
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});
quickExit.addEventListener("click", quickLeave);
document.addEventListener("keydown", (event) => {
  // Shift+Escape: leave at once from anywhere on the page.
  if (event.key === "Escape" && event.shiftKey) quickLeave();
});

const past = history();
const previousMode = sessionStorage.getItem(KEY_MODE);
past.forEach((e) => render(e, false));
if (past.length) list.lastElementChild.scrollIntoView({ block: "nearest" });
connect(() => {
  if (!past.length || (previousMode && previousMode !== mode)) {
    sessionStorage.setItem(KEY_MODE, mode);
    send(startPayload);
  }
});
