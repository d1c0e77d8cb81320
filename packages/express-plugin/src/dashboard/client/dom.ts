/** Small DOM helpers: the page's elements are found by id, and every text goes in as text (never as HTML). */

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`The dashboard page has no #${id}`);
  return node as T;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string | null, text?: unknown): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element with its attributes (presentation attributes only: the page's CSP allows no inline style). */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {},
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

/** A time of day, hours and minutes. */
export function formatClock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** `PAUSED` → `Paused`. */
export function titleCase(value: string): string {
  return value.charAt(0) + value.slice(1).toLowerCase();
}

/** A time of today as its time only; another day's with its date. */
export function formatTime(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (isNaN(date.getTime())) return iso;
  return date.toDateString() === new Date().toDateString() ? date.toLocaleTimeString() : date.toLocaleString();
}

export interface Message {
  kind: 'success' | 'error';
  text: string;
}

/** Shows one message in a message area (`data-kind` styles it), or empties it. */
export function renderMessage(node: HTMLElement, message: Message | null): void {
  node.textContent = '';
  if (!message) {
    node.removeAttribute('data-kind');
    return;
  }
  node.setAttribute('data-kind', message.kind);
  node.appendChild(el('p', null, message.text));
}
