// The one small DOM builder of the follow-up page and the chat's extra bundles.
// Text goes in as textContent, never as HTML: nothing a melder or a loket wrote can
// become markup.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}
