/**
 * A message that may name commands or values between backticks (`specmint-server admin set-plan`), as
 * API and billing messages do: the backticked parts render as `<code>`, the rest as escaped text.
 */
export function RichText(props: { text: string }) {
  const parts = props.text.split(/`([^`]+)`/);
  return <>{parts.map((part, index) => (index % 2 === 1 ? <code>{part}</code> : part))}</>;
}
