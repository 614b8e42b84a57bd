// Meldwijzer chat page: talks to the Rasa REST channel. The conversation lives
// only in this tab (sessionStorage) and is gone when the tab closes.
(function () {
  "use strict";
  var script = document.currentScript;
  var rasaUrl = script.getAttribute("data-rasa-url").replace(/\/$/, "");
  var list = document.getElementById("messages");
  var form = document.getElementById("composer");
  var input = document.getElementById("input");
  var typing = document.getElementById("typing");

  function senderId() {
    var id = sessionStorage.getItem("mw-sender");
    if (!id) {
      id = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2));
      sessionStorage.setItem("mw-sender", id);
    }
    return id;
  }

  function history() {
    try { return JSON.parse(sessionStorage.getItem("mw-history") || "[]"); } catch (e) { return []; }
  }

  function remember(entry) {
    var items = history();
    items.push(entry);
    sessionStorage.setItem("mw-history", JSON.stringify(items));
  }

  function render(entry, live) {
    var li = document.createElement("li");
    li.className = entry.who;
    li.textContent = entry.text || "";
    if (entry.buttons && entry.buttons.length) {
      var box = document.createElement("div");
      box.className = "buttons";
      entry.buttons.forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = b.title;
        button.addEventListener("click", function () { send(b.payload, b.title); });
        box.appendChild(button);
      });
      li.appendChild(box);
    }
    list.appendChild(li);
    if (live) { li.scrollIntoView({ block: "end" }); }
  }

  function add(entry) { remember(entry); render(entry, true); }

  function send(message, shown) {
    if (shown) { add({ who: "me", text: shown }); }
    typing.hidden = false;
    return fetch(rasaUrl + "/webhooks/rest/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      referrerPolicy: "no-referrer",
      body: JSON.stringify({ sender: senderId(), message: message })
    }).then(function (r) { return r.json(); }).then(function (replies) {
      replies.forEach(function (m) { add({ who: "bot", text: m.text, buttons: m.buttons }); });
    }).catch(function () {
      add({ who: "bot", text: "Er ging iets mis met de verbinding. Er is niets verloren. Probeer het zo opnieuw." });
    }).finally(function () { typing.hidden = true; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    send(text, text);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });

  document.getElementById("snel-weg").addEventListener("click", function () {
    fetch(rasaUrl + "/webhooks/rest/webhook", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: senderId(), message: "/stop" })
    }).catch(function () {});
    sessionStorage.clear();
    list.textContent = "";
    location.replace("about:blank");
  });

  var past = history();
  if (past.length) { past.forEach(function (e) { render(e, false); }); }
  else { send("/greet"); }
})();
