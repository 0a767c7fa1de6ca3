/**
 * How .NET's System.Text.Json writes a UTC DateTimeOffset: `+00:00`, the fraction without trailing zeros
 * (Altinn's values, which Maskinporten's consent tokens pass on).
 */
export function formatDateTimeOffset(date: Date): string {
  const [seconds, fraction] = date.toISOString().slice(0, -1).split('.');
  const significant = fraction.replace(/0+$/, '');
  return `${seconds}${significant ? `.${significant}` : ''}+00:00`;
}
