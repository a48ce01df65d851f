/**
 * An email that may wrap only after its `@` and before each dot, never inside a word, the way one is
 * written on two lines by hand. With the CSS's `overflow-wrap: normal`, a part wider than its box scrolls inside it.
 */
export function Email ({ address }: { address: string }) {
  const parts = address.split(/(?<=@)|(?=\.)/)
  return <>{parts.flatMap((part, i) => i === 0 ? [part] : [<wbr key={i} />, part])}</>
}
