// The chat widget: plain JavaScript, no build step. It posts the form to
// the rapport chat server (/api/chat) and then shows the staff side
// (/api/staff) for the demonstration.
(function () {
  "use strict";
  var form = document.getElementById("chat-form");
  var error = document.getElementById("error");
  // One chat session per browser tab: the conversation's web-chat address.
  var session = sessionStorage.getItem("rapport-session");
  if (!session) {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    session = Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    sessionStorage.setItem("rapport-session", session);
  }

  fetch("/api/disclosure").then(function (r) { return r.json(); }).then(function (d) {
    document.getElementById("disclosure").textContent = d.text;
  });

  function value(id) { return document.getElementById(id).value; }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    error.hidden = true;
    var body = {
      session: session,
      name: value("name"),
      phone: value("phone"),
      email: value("email"),
      preferred: form.querySelector("input[name=preferred]:checked").value,
      best_time: value("best-time"),
      zone: Intl.DateTimeFormat().resolvedOptions().timeZone || "",
      sms_consent: document.getElementById("sms-consent").checked,
      message: value("message"),
      page: location.href
    };
    fetch("/api/chat", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (d) { return { ok: r.ok, d: d }; }); })
      .then(function (res) {
        if (!res.ok) {
          error.textContent = res.d.error + (res.d.field ? " (" + res.d.field + ")" : "");
          error.hidden = false;
          return;
        }
        form.hidden = true;
        document.getElementById("sent-message").textContent = body.message;
        document.getElementById("thanks").hidden = false;
        return showStaff(res.d.customer);
      })
      .catch(function () {
        error.textContent = "We could not send that; please try again.";
        error.hidden = false;
      });
  });

  function showStaff(customer) {
    return fetch("/api/staff?customer=" + encodeURIComponent(customer))
      .then(function (r) { return r.json(); })
      .then(function (v) {
        document.getElementById("staff-name").textContent = v.name;
        document.getElementById("staff-preferred").textContent = (v.preferred || []).join(", ") || "no preference";
        document.getElementById("staff-status").textContent = v.status || "none";
        var list = document.getElementById("staff-messages");
        list.textContent = "";
        (v.messages || []).forEach(function (m) {
          var li = document.createElement("li");
          li.textContent = new Date(m.at).toLocaleString() + " — " + m.direction + ": " + m.body;
          list.appendChild(li);
        });
        document.getElementById("staff-text-allowed").textContent = v.text_allowed ? "yes" : "no";
        document.getElementById("staff-decision").textContent = v.text_decision;
        var grants = (v.consent || []).map(function (e) {
          return e.action + " " + e.channel + "/" + e.purpose + " (" + e.evidence.method + ", " + (e.evidence.disclosure_version || "") + ")";
        });
        document.getElementById("staff-consent").textContent = grants.length ? "Consent on file: " + grants.join("; ") : "No consent on file.";
        document.getElementById("staff").hidden = false;
      });
  }
})();
