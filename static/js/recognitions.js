// Recognition form: the colleague type-ahead (ARIA 1.2 combobox with a listbox popup),
// example behaviours that tick their standard, and one submission per click.
// Without JavaScript the "Find" button searches on the server and the form still works.
(function () {
  "use strict";

  function setupPicker(picker) {
    var input = picker.querySelector("input[name=people_query]");
    var listbox = document.getElementById("people-results");
    var status = document.getElementById("people-status");
    var chosenList = document.getElementById("chosen-list");
    var chosenEmpty = document.getElementById("chosen-empty");
    var selfId = picker.getAttribute("data-self-id");
    var searchUrl = picker.getAttribute("data-search-url");
    var options = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    function announce(text) { status.textContent = text; }

    // Name, job title and unit: what tells two colleagues of the same name apart, read out as well as shown.
    function describe(person) {
      return [person.name, person.job_title, person.unit].filter(Boolean).join(", ");
    }

    function initials(name) {
      var words = name.split(/\s+/).filter(function (word) { return /^\p{L}/u.test(word) && !/\.$/.test(word); });
      if (!words.length) { return "?"; }
      var first = Array.from(words[0])[0];
      var last = words.length > 1 ? Array.from(words[words.length - 1])[0] : "";
      return (first + last).toUpperCase();
    }

    function optionContent(element, person) {
      // One phrase for screen readers, commas included; on screen the details sit on a second line.
      element.setAttribute("aria-label", describe(person));
      var badge = document.createElement("span");
      badge.className = "person-initials";
      badge.setAttribute("aria-hidden", "true");
      badge.textContent = initials(person.name);
      var text = document.createElement("span");
      text.className = "person-text";
      var name = document.createElement("span");
      name.className = "person-name";
      name.textContent = person.name;
      text.appendChild(name);
      var details = [person.job_title, person.unit].filter(Boolean).join(", ");
      if (details) {
        var detail = document.createElement("span");
        detail.className = "person-detail";
        detail.textContent = details;
        text.appendChild(detail);
      }
      element.appendChild(badge);
      element.appendChild(text);
    }

    function chosenIds() {
      return Array.prototype.map.call(chosenList.querySelectorAll("input[name=recipients]"), function (box) {
        return box.value;
      });
    }

    function close() {
      listbox.hidden = true;
      listbox.textContent = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      options = [];
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        var on = i === index;
        option.element.classList.toggle("active", on);
        option.element.setAttribute("aria-selected", on ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].element.id);
        options[index].element.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(person) {
      if (chosenIds().indexOf(String(person.id)) === -1) {
        var item = document.createElement("li");
        item.className = "form-check";
        var box = document.createElement("input");
        box.type = "checkbox";
        box.className = "form-check-input";
        box.name = "recipients";
        box.value = person.id;
        box.id = "recipient-" + person.id;
        box.checked = true;
        var label = document.createElement("label");
        label.className = "form-check-label";
        label.htmlFor = box.id;
        label.textContent = describe(person);
        item.appendChild(box);
        item.appendChild(label);
        chosenList.appendChild(item);
        chosenEmpty.hidden = true;
      }
      announce(picker.getAttribute("data-added-label").replace("{name}", describe(person)));
      input.value = "";
      close();
      input.focus();
    }

    function render(people) {
      close();
      var taken = chosenIds();
      people = people.filter(function (person) {
        return String(person.id) !== selfId && taken.indexOf(String(person.id)) === -1;
      });
      people.forEach(function (person) {
        var element = document.createElement("li");
        element.id = "person-option-" + person.id;
        element.className = "list-group-item person-option";
        element.setAttribute("role", "option");
        element.setAttribute("aria-selected", "false");
        optionContent(element, person);
        element.addEventListener("mousedown", function (event) { event.preventDefault(); });
        element.addEventListener("click", function () { choose(person); });
        listbox.appendChild(element);
        options.push({ element: element, person: person });
      });
      if (options.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      announce(picker.getAttribute("data-count-label").replace("{count}", String(options.length)));
    }

    function search() {
      var query = input.value.trim();
      if (query.length < 2) { close(); return; }
      var ticket = ++latest;
      fetch(searchUrl + "?per_page=10&q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (body) { if (ticket === latest) { render(body.items || []); } })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (listbox.hidden) { search(); return; }
        highlight(Math.min(active + 1, options.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && !listbox.hidden && active >= 0) {
        event.preventDefault();
        choose(options[active].person);
      } else if (event.key === "Escape" && !listbox.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  function setupBehaviours(form) {
    form.addEventListener("change", function (event) {
      var box = event.target;
      var standardId = box.getAttribute("data-standard");
      if (standardId && box.checked) {
        document.getElementById(standardId).checked = true;
      }
    });
  }

  function setupSingleSubmit(form) {
    var sent = false;
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.name === "find") { return; }
      if (sent) { event.preventDefault(); return; }
      sent = true;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("recognition-form");
    if (!form) { return; }
    var picker = form.querySelector(".people-picker");
    if (picker && window.fetch) { setupPicker(picker); }
    setupBehaviours(form);
    setupSingleSubmit(form);
  });
})();
