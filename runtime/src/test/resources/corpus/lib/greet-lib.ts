// kind: script
// A library val that other vals of the corpus import by its URL (https://esm.town/v/corpus/greet-lib/main.ts).

export const PUNCTUATION = "!";

export function greet(name: string): string {
  return `Hello, ${name}${PUNCTUATION}`;
}

export default function shout(text: string): string {
  return text.toUpperCase();
}
