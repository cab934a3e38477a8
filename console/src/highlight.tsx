// A tiny JSON highlighter: tokens become spans (no HTML is ever built from the answer's text).
import type { JSX } from 'preact';

const TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b|([{}[\],])/g;

/** `text` pretty-printed when it is JSON, split into classed spans. */
export function Highlighted({ text }: { text: string }): JSX.Element {
  let pretty = text;
  try {
    pretty = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return <code>{text}</code>;
  }
  const out: (string | JSX.Element)[] = [];
  let at = 0;
  for (const m of pretty.matchAll(TOKEN)) {
    if (m.index > at) out.push(pretty.slice(at, m.index));
    const cls = m[1] !== undefined ? (m[2] !== undefined ? 'hl-key' : 'hl-str') : m[3] !== undefined ? 'hl-num' : m[4] !== undefined ? 'hl-lit' : 'hl-punct';
    if (m[1] !== undefined && m[2] !== undefined) out.push(<span class={cls}>{m[1]}</span>, m[2]);
    else out.push(<span class={cls}>{m[0]}</span>);
    at = m.index + m[0].length;
  }
  out.push(pretty.slice(at));
  return <code>{out}</code>;
}
