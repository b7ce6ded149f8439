/*
 * stockguard product-page widget (no framework, no third-party code).
 *
 * Usage on a product page:
 *   <script src="https://stock.example.com/storefront/v1/widget.js"
 *           data-api-key="sg_..." defer></script>
 *   <div data-stockguard-sku="MUG-01" data-lang="fr"></div>
 *
 * Optional attributes on the div: data-location (a sellable location code),
 * data-product-url="/products/{sku}" (links of substitutes without their own URL),
 * data-preorder-url="/checkout/preorder?sku={sku}" (where the pre-order button goes;
 * without it the button only fires a "stockguard:preorder" DOM event for the shop),
 * data-customer-token="..." (the signed-in shopper, signed by the shop's server: their
 * notify-me request is linked to the customer, and when the SKU is out of stock the widget
 * reports the view, so a consenting customer may be told of the restock after the
 * subscribers: docs/back-in-stock.md).
 *
 * The widget talks only to the stockguard origin it was loaded from, with the
 * storefront API key of the script tag. Each section hides itself when its endpoint
 * answers 404 or fails, so the product page never shows a broken block.
 */
(function () {
  "use strict";

  var script = document.currentScript ||
    document.querySelector('script[src*="/storefront/v1/widget.js"]');
  if (!script) { return; }
  var ORIGIN = new URL(script.src, document.baseURI).origin;
  var API_KEY = script.getAttribute("data-api-key") || "";
  var API = ORIGIN + "/storefront/v1";

  var STRINGS = {
    en: {
      region: "Availability",
      loading: "Checking availability\u2026",
      states: {
        in_stock: "In stock", low_stock: "Low stock", out_of_stock: "Out of stock",
        preorder: "Pre-order", discontinued: "Discontinued"
      },
      lowCount: "Only {count} left",
      promise: "Expected date: {date}",
      confidence: "({percent}% confidence)",
      notifyTitle: "Notify me when it is back",
      byEmail: "E-mail", bySms: "SMS (text message)", channel: "Notify me by",
      email: "E-mail address", phone: "Mobile number (with country code, e.g. +33612345678)",
      consent: "I agree to receive one message about the availability of this product. " +
        "I can unsubscribe at any time.",
      anyVariant: "Another size or colour of this product will do",
      submit: "Notify me", sending: "Sending\u2026",
      done: "Thank you! Open the link we have just sent you to confirm.",
      errTooMany: "Too many requests. Please try again in an hour.",
      errContactEmail: "Enter a valid e-mail address, e.g. name@example.com.",
      errContactSms: "Enter your mobile number in international format, e.g. +33612345678.",
      errConsent: "Tick the box to agree to be contacted.",
      errGeneric: "Sorry, your request could not be saved. Please try again later.",
      preorder: "Pre-order",
      substitutes: "Available alternatives",
      view: "View {name}"
    },
    fr: {
      region: "Disponibilit\u00e9",
      loading: "V\u00e9rification de la disponibilit\u00e9\u2026",
      states: {
        in_stock: "En stock", low_stock: "Stock faible", out_of_stock: "En rupture",
        preorder: "Pr\u00e9commande", discontinued: "Arr\u00eat\u00e9"
      },
      lowCount: "Plus que {count}",
      promise: "Date pr\u00e9vue\u00a0: {date}",
      confidence: "(fiabilit\u00e9 {percent}\u00a0%)",
      notifyTitle: "Me pr\u00e9venir du retour en stock",
      byEmail: "E-mail", bySms: "SMS", channel: "Me pr\u00e9venir par",
      email: "Adresse e-mail",
      phone: "Num\u00e9ro de mobile (avec indicatif, ex. +33612345678)",
      consent: "J\u2019accepte de recevoir un message sur la disponibilit\u00e9 de ce produit. " +
        "Je peux me d\u00e9sinscrire \u00e0 tout moment.",
      submit: "Me pr\u00e9venir", sending: "Envoi\u2026",
      anyVariant: "Une autre taille ou couleur de ce produit me convient",
      done: "Merci\u00a0! Ouvrez le lien que nous venons de vous envoyer pour confirmer.",
      errTooMany: "Trop de demandes. R\u00e9essayez dans une heure.",
      errContactEmail: "Saisissez une adresse e-mail valide, ex. nom@exemple.fr.",
      errContactSms: "Saisissez votre num\u00e9ro au format international, ex. +33612345678.",
      errConsent: "Cochez la case pour accepter d\u2019\u00eatre contact\u00e9.",
      errGeneric: "D\u00e9sol\u00e9, votre demande n\u2019a pas pu \u00eatre enregistr\u00e9e. " +
        "R\u00e9essayez plus tard.",
      preorder: "Pr\u00e9commander",
      substitutes: "Alternatives disponibles",
      view: "Voir {name}"
    }
  };

  /* Colour is never the only signal: each state has a text label and a glyph. */
  var COLOURS = { green: "#17803d", orange: "#b45309", red: "#b91c1c", blue: "#1d4ed8" };
  var DEFAULT_COLOUR = {
    in_stock: "green", low_stock: "orange", out_of_stock: "red",
    preorder: "blue", discontinued: "red"
  };
  var GLYPHS = {
    in_stock: "\u2713", low_stock: "!", out_of_stock: "\u2715",
    preorder: "\u00bb", discontinued: "\u2013"
  };

  var CSS = [
    ":host{display:block;font:inherit;color:inherit}",
    ".sg{border:1px solid #d4d4d8;border-radius:8px;padding:12px 14px;max-width:28rem}",
    ".sg-status{display:flex;gap:8px;align-items:flex-start}",
    ".sg-badge{display:inline-flex;align-items:center;justify-content:center;",
    "min-width:1.5em;height:1.5em;border-radius:999px;color:#fff;font-weight:700}",
    ".sg-label{font-weight:700;margin-right:6px}",
    ".sg-promise{margin:6px 0 0}",
    ".sg fieldset{border:0;padding:0;margin:12px 0 0}",
    ".sg legend{font-weight:700;padding:0;margin-bottom:6px}",
    ".sg label{display:block;margin:6px 0 2px}",
    ".sg .sg-inline{display:inline-flex;gap:4px;align-items:center;margin-right:12px}",
    ".sg input[type=email],.sg input[type=tel]{width:100%;box-sizing:border-box;",
    "padding:6px 8px;border:1px solid #71717a;border-radius:4px;font:inherit}",
    ".sg input[aria-invalid=true]{border-color:#b91c1c}",
    ".sg .sg-consent{display:flex;gap:6px;align-items:flex-start;font-size:.9em}",
    ".sg button{margin-top:8px;padding:6px 14px;border-radius:4px;border:1px solid #1d4ed8;",
    "background:#1d4ed8;color:#fff;font:inherit;cursor:pointer}",
    ".sg button[disabled]{opacity:.6;cursor:progress}",
    ".sg :focus-visible{outline:3px solid #f59e0b;outline-offset:2px}",
    ".sg-result{margin:8px 0 0}",
    ".sg-result.sg-error{color:#b91c1c}",
    ".sg-result.sg-ok{color:#17803d}",
    ".sg-subs h3{font-size:1em;margin:12px 0 4px}",
    ".sg-subs ul{list-style:none;padding:0;margin:0}",
    ".sg-subs li{display:flex;justify-content:space-between;gap:8px;padding:3px 0}",
    "[hidden]{display:none!important}"
  ].join("");

  function pickLang(host) {
    var raw = host.getAttribute("data-lang") ||
      (host.closest("[lang]") || document.documentElement).getAttribute("lang") || "en";
    return raw.toLowerCase().slice(0, 2) === "fr" ? "fr" : "en";
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, k) {
      return values[k] === undefined ? "" : String(values[k]);
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function request(method, path, body) {
    var options = {
      method: method,
      credentials: "omit",
      headers: { "Authorization": "Bearer " + API_KEY, "Accept": "application/json" }
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(API + path, options).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        return { status: response.status, ok: response.ok, data: data };
      });
    });
  }

  function safeLink(raw) {
    if (!raw) { return null; }
    try {
      var url = new URL(String(raw), document.baseURI);
      return (url.protocol === "http:" || url.protocol === "https:") ? url.href : null;
    } catch (_e) { return null; }
  }

  function formatDate(iso, lang) {
    var parts = String(iso).slice(0, 10).split("-");
    if (parts.length !== 3) { return String(iso); }
    var day = new Date(Date.UTC(+parts[0], +parts[1] - 1, +parts[2]));
    return new Intl.DateTimeFormat(lang, {
      weekday: "short", day: "numeric", month: "long", year: "numeric", timeZone: "UTC"
    }).format(day);
  }

  function formatPrice(amount, currency, lang) {
    if (amount === undefined || amount === null || amount === "") { return ""; }
    try {
      return new Intl.NumberFormat(lang, { style: "currency", currency: currency || "EUR" })
        .format(Number(amount));
    } catch (_e) { return String(amount); }
  }

  /* ---- availability ---------------------------------------------------------- */

  function promiseOf(data) {
    var promise = data.promise && typeof data.promise === "object" ? data.promise : {};
    var date = data.promise_on || data.promise_date || promise.date || promise.promise_on;
    var confidence = data.promise_confidence !== undefined ? data.promise_confidence
      : (data.confidence !== undefined ? data.confidence : promise.confidence);
    return { date: date || null, confidence: confidence === undefined ? null : confidence };
  }

  function renderStatus(widget, data) {
    var t = widget.t, state = data.state;
    var colour = COLOURS[data.colour || data.color || DEFAULT_COLOUR[state]] || COLOURS.blue;
    var status = widget.status;
    status.textContent = "";
    status.setAttribute("data-state", state);
    var badge = el("span", { "class": "sg-badge", "aria-hidden": "true" }, GLYPHS[state] || "i");
    badge.style.background = colour;
    var text = el("div", { "class": "sg-text" });
    var label = t.states[state] || state;
    text.appendChild(el("span", { "class": "sg-label" }, label));
    var message = data.message ||
      (state === "low_stock" && data.count != null ? fill(t.lowCount, { count: data.count }) : "");
    if (message.toLowerCase() === label.toLowerCase()) { message = ""; }
    text.appendChild(el("span", { "class": "sg-message" }, message));
    var promise = promiseOf(data);
    if (promise.date && (state === "out_of_stock" || state === "preorder")) {
      var line = fill(t.promise, { date: formatDate(promise.date, widget.lang) });
      if (promise.confidence != null) {
        var pct = Number(promise.confidence);
        pct = Math.round(pct <= 1 ? pct * 100 : pct);
        line += " " + fill(t.confidence, { percent: pct });
      }
      var p = el("p", { "class": "sg-promise", "data-promise-date": String(promise.date) }, line);
      text.appendChild(p);
    }
    status.appendChild(badge);
    status.appendChild(text);
  }

  /* ---- notify-me form --------------------------------------------------------- */

  function radio(widget, value, label, checked) {
    var id = widget.id + "-ch-" + value;
    var wrap = el("span", { "class": "sg-inline" });
    var input = el("input", { type: "radio", name: widget.id + "-channel", id: id, value: value });
    input.checked = checked;
    wrap.appendChild(input);
    wrap.appendChild(el("label", { "for": id }, label));
    return wrap;
  }

  function buildForm(widget) {
    var t = widget.t, id = widget.id;
    var form = el("form", { "class": "sg-notify", novalidate: "" });
    var set = el("fieldset");
    set.appendChild(el("legend", {}, t.notifyTitle));
    var channels = el("div", { role: "radiogroup", "aria-label": t.channel });
    channels.appendChild(radio(widget, "email", t.byEmail, true));
    channels.appendChild(radio(widget, "sms", t.bySms, false));
    set.appendChild(channels);
    var contactLabel = el("label", { "for": id + "-contact" }, t.email);
    var contact = el("input", {
      id: id + "-contact", name: "contact", type: "email", autocomplete: "email",
      required: "", "aria-describedby": id + "-result"
    });
    set.appendChild(contactLabel);
    set.appendChild(contact);
    var consentWrap = el("div", { "class": "sg-consent" });
    var consent = el("input", {
      id: id + "-consent", name: "consent", type: "checkbox", "aria-describedby": id + "-result"
    });
    consentWrap.appendChild(consent);
    consentWrap.appendChild(el("label", { "for": id + "-consent" }, t.consent));
    var anyVariant = null;
    if (widget.host.getAttribute("data-any-variant") === "true") {
      var variantWrap = el("div", { "class": "sg-consent" });
      anyVariant = el("input", { id: id + "-any-variant", name: "any_variant", type: "checkbox" });
      variantWrap.appendChild(anyVariant);
      variantWrap.appendChild(el("label", { "for": id + "-any-variant" }, t.anyVariant));
      set.appendChild(variantWrap);
    }
    set.appendChild(consentWrap);
    var button = el("button", { type: "submit" }, t.submit);
    set.appendChild(button);
    form.appendChild(set);
    var result = el("p", {
      id: id + "-result", "class": "sg-result", role: "status", "aria-live": "polite",
      tabindex: "-1"
    });
    form.appendChild(result);
    channels.addEventListener("change", function () {
      var sms = form.querySelector("input[value=sms]").checked;
      contact.type = sms ? "tel" : "email";
      contact.autocomplete = sms ? "tel" : "email";
      contactLabel.textContent = sms ? t.phone : t.email;
      contact.removeAttribute("aria-invalid");
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit(widget, { form: form, contact: contact, consent: consent, button: button,
        result: result, anyVariant: anyVariant });
    });
    return form;
  }

  function showResult(parts, ok, message, focusTarget) {
    parts.result.className = "sg-result " + (ok ? "sg-ok" : "sg-error");
    parts.result.textContent = message;
    (focusTarget || parts.result).focus();
  }

  function fieldError(widget, parts, field, sms) {
    var t = widget.t;
    if (field === "consent") {
      parts.consent.setAttribute("aria-invalid", "true");
      showResult(parts, false, t.errConsent, parts.consent);
    } else if (field === "contact") {
      parts.contact.setAttribute("aria-invalid", "true");
      showResult(parts, false, sms ? t.errContactSms : t.errContactEmail, parts.contact);
    } else {
      showResult(parts, false, t.errGeneric);
    }
  }

  function serverField(data) {
    if (!data) { return null; }
    if (data.field) { return data.field; }
    var first = data.invalid && data.invalid[0];
    return first ? String(first.field).split(".").pop() : null;
  }

  function submit(widget, parts) {
    var t = widget.t;
    var sms = parts.form.querySelector("input[value=sms]").checked;
    var contact = parts.contact.value.trim();
    parts.contact.removeAttribute("aria-invalid");
    parts.consent.removeAttribute("aria-invalid");
    if (!contact || (!sms && contact.indexOf("@") < 1)) {
      return fieldError(widget, parts, "contact", sms);
    }
    if (!parts.consent.checked) { return fieldError(widget, parts, "consent", sms); }
    parts.button.disabled = true;
    parts.button.textContent = t.sending;
    parts.form.setAttribute("aria-busy", "true");
    var body = {
      sku: widget.sku, channel: sms ? "sms" : "email", contact: contact, consent: true,
      consent_text: t.consent, locale: widget.lang, source: "widget",
      any_variant: Boolean(parts.anyVariant && parts.anyVariant.checked)
    };
    var token = widget.host.getAttribute("data-customer-token");
    if (token) { body.customer_token = token; }  /* links the subscription to the customer */
    request("POST", "/subscriptions", body).then(function (answer) {
      if (answer.status === 202 || answer.ok) {
        parts.form.querySelector("fieldset").hidden = true;
        showResult(parts, true, t.done);
      } else if (answer.status === 422) {
        fieldError(widget, parts, serverField(answer.data), sms);
      } else if (answer.status === 429) {
        showResult(parts, false, t.errTooMany);
      } else {
        showResult(parts, false, t.errGeneric);
      }
    }, function () {
      showResult(parts, false, t.errGeneric);
    }).then(function () {
      parts.button.disabled = false;
      parts.button.textContent = t.submit;
      parts.form.removeAttribute("aria-busy");
    });
  }

  /* ---- pre-order and substitutes --------------------------------------------- */

  function buildPreorder(widget, data) {
    var button = el("button", { type: "button", "class": "sg-preorder" }, widget.t.preorder);
    button.addEventListener("click", function () {
      var detail = { sku: widget.sku, promise_on: promiseOf(data).date };
      widget.host.dispatchEvent(new CustomEvent("stockguard:preorder", {
        bubbles: true, composed: true, detail: detail
      }));
      var target = widget.host.getAttribute("data-preorder-url");
      var url = target ? safeLink(fill(target, { sku: encodeURIComponent(widget.sku) })) : null;
      if (url) { window.location.assign(url); }
    });
    return button;
  }

  function substituteItems(data) {
    if (Array.isArray(data)) { return data; }
    if (data && Array.isArray(data.substitutes)) { return data.substitutes; }
    if (data && Array.isArray(data.items)) { return data.items; }
    return [];
  }

  function renderSubstitutes(widget, data) {
    var items = substituteItems(data);
    if (!items.length) { return; }
    var t = widget.t, headingId = widget.id + "-subs";
    var section = el("section", { "class": "sg-subs", "aria-labelledby": headingId });
    section.appendChild(el("h3", { id: headingId }, t.substitutes));
    var list = el("ul");
    items.forEach(function (item) {
      var sku = item.sku || item.substitute_sku;
      var name = item.title || item.name || sku;
      var template = widget.host.getAttribute("data-product-url");
      var href = safeLink(item.url || item.link ||
        (template ? fill(template, { sku: encodeURIComponent(sku) }) : null));
      var li = el("li", { "data-sku": sku });
      var label = href ? el("a", { href: href }, name) : el("span", {}, name);
      if (href) {
        label.addEventListener("click", function () { track(widget, sku, "clicked"); });
      }
      li.appendChild(label);
      li.appendChild(priceOf(item, widget.lang));
      list.appendChild(li);
      track(widget, sku, "shown");
    });
    section.appendChild(list);
    widget.box.appendChild(section);
  }

  function priceOf(item, lang) {
    var box = el("span", { "class": "sg-price" });
    var discounted = item.discounted_price;
    if (discounted !== undefined && discounted !== null && discounted !== "") {
      box.appendChild(el("s", {}, formatPrice(item.price, item.currency, lang)));
      box.appendChild(document.createTextNode(" "));
      box.appendChild(el("strong", {}, formatPrice(discounted, item.currency, lang)));
    } else {
      box.textContent = formatPrice(item.price, item.currency, lang);
    }
    return box;
  }

  /* Shown and clicked substitutes are counted by stockguard (fire and forget). */
  function track(widget, substitute, action) {
    if (!substitute) { return; }
    fetch(API + "/substitutes/events", {
      method: "POST", credentials: "omit", keepalive: true,
      headers: { "Authorization": "Bearer " + API_KEY, "Content-Type": "application/json" },
      body: JSON.stringify({ sku: widget.sku, substitute: substitute, action: action })
    }).catch(function () { /* counting never disturbs the page */ });
  }

  /* An out-of-stock page seen by a signed-in shopper (fire and forget). */
  function reportView(widget) {
    var token = widget.host.getAttribute("data-customer-token");
    if (!token) { return; }
    fetch(API + "/views", {
      method: "POST", credentials: "omit", keepalive: true,
      headers: { "Authorization": "Bearer " + API_KEY, "Content-Type": "application/json" },
      body: JSON.stringify({ sku: widget.sku, customer_token: token })
    }).catch(function () { /* reporting never disturbs the page */ });
  }

  function loadSubstitutes(widget) {
    var query = "?limit=4" + (widget.location ? "&location=" +
      encodeURIComponent(widget.location) : "");
    request("GET", "/substitutes/" + encodeURIComponent(widget.sku) + query)
      .then(function (answer) { if (answer.ok) { renderSubstitutes(widget, answer.data); } },
        function () { /* no substitutes section */ });
  }

  /* ---- mounting ---------------------------------------------------------------- */

  function showAvailability(widget, answer) {
    if (!answer.ok || !answer.data || !answer.data.state) {
      widget.status.hidden = true;   /* 404 or failure: hide the section */
      widget.status.textContent = "";
      return;
    }
    var data = answer.data, state = data.state;
    renderStatus(widget, data);
    if (state === "preorder") { widget.box.appendChild(buildPreorder(widget, data)); }
    if (state === "out_of_stock" || state === "preorder") {
      widget.box.appendChild(buildForm(widget));
    }
    if (state === "out_of_stock" || state === "discontinued" || state === "preorder") {
      loadSubstitutes(widget);
    }
    if (state === "out_of_stock") { reportView(widget); }
    widget.host.setAttribute("data-stockguard-state", state);
  }

  var counter = 0;

  function mount(host) {
    if (host.getAttribute("data-stockguard-mounted") === "true") { return; }
    host.setAttribute("data-stockguard-mounted", "true");
    var lang = pickLang(host);
    var widget = {
      host: host, lang: lang, t: STRINGS[lang], id: "sg" + (++counter),
      sku: host.getAttribute("data-stockguard-sku"),
      location: host.getAttribute("data-location") || ""
    };
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    var style = el("style", {}, CSS);
    root.appendChild(style);
    widget.box = el("section", { "class": "sg", lang: lang, "aria-label": widget.t.region });
    widget.status = el("div", {
      "class": "sg-status", role: "status", "aria-live": "polite"
    }, widget.t.loading);
    widget.box.appendChild(widget.status);
    root.appendChild(widget.box);
    var query = "?lang=" + lang + (widget.location ? "&location=" +
      encodeURIComponent(widget.location) : "");
    request("GET", "/availability/" + encodeURIComponent(widget.sku) + query)
      .then(function (answer) { showAvailability(widget, answer); },
        function () { showAvailability(widget, { ok: false }); })
      .then(function () { host.setAttribute("data-stockguard-ready", "true"); });
  }

  function mountAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-stockguard-sku]"), mount);
  }

  window.StockguardWidget = { mount: mount, mountAll: mountAll };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountAll);
  } else {
    mountAll();
  }
}());
