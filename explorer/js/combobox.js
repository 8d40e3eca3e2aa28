// An accessible search combobox (WAI-ARIA 1.2 "list autocomplete" pattern): the input keeps
// focus, arrow keys move aria-activedescendant through the listbox, Enter picks, Escape closes.

import { debounce, h, replace } from "./dom.js";
import { kindStyle } from "./kinds.js";

export class Combobox {
  /**
   * @param {HTMLInputElement} input  the text box (gets role=combobox)
   * @param {object} options  fetch(text, signal) -> {edges, totalCount}; onChange(node|null);
   *                          selectedEl: where the picked node's kind and id are shown
   */
  constructor(input, { fetch, onChange, selectedEl }) {
    this.input = input;
    this.fetch = fetch;
    this.onChange = onChange;
    this.selectedEl = selectedEl;
    this.value = null;
    this.options = [];
    this.active = -1;
    this.controller = null;
    this.listbox = h("ul", { id: `${input.id}-listbox`, role: "listbox", class: "suggestions" });
    this.listbox.hidden = true;
    this.status = h("div", { class: "sr-only", role: "status", "aria-live": "polite" });
    input.after(this.listbox, this.status);
    const label = input.labels && input.labels[0];
    if (label) {
      label.id = label.id || `${input.id}-label`;
      this.listbox.setAttribute("aria-labelledby", label.id);
    }
    Object.entries({
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": this.listbox.id,
      autocomplete: "off",
      spellcheck: "false",
    }).forEach(([k, v]) => input.setAttribute(k, v));

    this.lookup = debounce((text) => this.suggest(text), 200);
    input.addEventListener("input", () => this.onInput());
    input.addEventListener("keydown", (e) => this.onKeyDown(e));
    input.addEventListener("blur", () => setTimeout(() => this.close(), 120));
    // Keep focus in the input while the mouse picks an option.
    this.listbox.addEventListener("mousedown", (e) => e.preventDefault());
  }

  /** Show `node` ({id, kind, name}) as the chosen value without telling onChange. */
  setValue(node) {
    this.value = node || null;
    this.input.value = node ? node.name : "";
    this.input.dataset.id = node ? node.id : "";
    this.close();
    this.renderSelected();
  }

  renderSelected() {
    if (!this.selectedEl) return;
    if (!this.value) {
      replace(this.selectedEl);
      return;
    }
    const style = kindStyle(this.value.kind);
    replace(
      this.selectedEl,
      h("span", { class: "kind-badge", style: `--kind:${style.colour};--ink:${style.ink}` },
        style.letter),
      ` ${style.label} · `,
      h("code", {}, this.value.id),
    );
  }

  onInput() {
    if (this.value && this.input.value !== this.value.name) {
      this.value = null;
      this.input.dataset.id = "";
      this.renderSelected();
      this.onChange(null);
    }
    const text = this.input.value.trim();
    if (text.length < 1) {
      this.lookup.cancel();
      this.close();
      return;
    }
    this.lookup(text);
  }

  async suggest(text) {
    if (this.controller) this.controller.abort();
    this.controller = new AbortController();
    let result;
    try {
      result = await this.fetch(text, this.controller.signal);
    } catch (err) {
      if (err.name === "AbortError") return;
      this.showOptions([], `Search failed: ${err.code || "ERROR"} — ${err.message}`);
      return;
    }
    // A reply to an older text is stale: the user has typed on since.
    if (this.input.value.trim() !== text) return;
    const nodes = result.edges.map((e) => e.node);
    const message = nodes.length
      ? `${nodes.length} of ${result.totalCount} suggestions. Up and down arrows to choose, Enter to pick.`
      : `No match for “${text}”.`;
    this.showOptions(nodes, message);
  }

  showOptions(nodes, message) {
    this.options = nodes;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    replace(
      this.listbox,
      nodes.map((node, i) => this.optionElement(node, i)),
      nodes.length ? null : h("li", { class: "empty", role: "presentation" }, message),
    );
    this.status.textContent = message;
    this.open();
  }

  optionElement(node, i) {
    const style = kindStyle(node.kind);
    const where = [node.title, node.city, node.country].filter(Boolean).join(", ");
    const alias = node.aliases && node.aliases.length ? node.aliases[0] : "";
    return h(
      "li",
      {
        id: `${this.listbox.id}-${i}`,
        role: "option",
        "aria-selected": "false",
        "data-id": node.id,
        onClick: () => this.pick(i),
        onMousemove: () => this.setActive(i, false),
      },
      h("span", { class: "kind-badge", style: `--kind:${style.colour};--ink:${style.ink}`,
        "aria-hidden": "true" }, style.letter),
      h("span", { class: "option-text" },
        h("span", { class: "option-name" }, node.name),
        h("span", { class: "option-meta" },
          [style.label, where, alias && alias !== node.name ? `aka ${alias}` : ""]
            .filter(Boolean).join(" · "))),
    );
  }

  open() {
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  }

  close() {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  }

  get isOpen() {
    return !this.listbox.hidden;
  }

  setActive(i, scroll = true) {
    const items = this.listbox.querySelectorAll("[role=option]");
    items.forEach((el, j) => el.setAttribute("aria-selected", String(j === i)));
    this.active = i;
    if (i >= 0 && items[i]) {
      this.input.setAttribute("aria-activedescendant", items[i].id);
      if (scroll) items[i].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  }

  pick(i) {
    const node = this.options[i];
    if (!node) return;
    this.setValue(node);
    this.status.textContent = `${node.name} selected.`;
    this.onChange(node);
  }

  onKeyDown(e) {
    const n = this.options.length;
    switch (e.key) {
      case "ArrowDown":
        e.preventDefault();
        if (!this.isOpen) {
          if (n) this.open();
          else if (this.input.value.trim()) this.suggest(this.input.value.trim());
          return;
        }
        if (n) this.setActive((this.active + 1) % n);
        break;
      case "ArrowUp":
        e.preventDefault();
        if (!this.isOpen && n) this.open();
        if (n) this.setActive(this.active <= 0 ? n - 1 : this.active - 1);
        break;
      case "Enter":
        if (this.isOpen) {
          // Enter on an open list picks; it must not also submit the form.
          e.preventDefault();
          if (this.active >= 0) this.pick(this.active);
        }
        break;
      case "Escape":
        if (this.isOpen) {
          e.preventDefault();
          this.close();
        } else if (this.input.value) {
          e.preventDefault();
          this.input.value = "";
          this.onInput();
        }
        break;
      case "Tab":
        this.close();
        break;
      default:
        break;
    }
  }
}
