/** Names and pronouns for the people in generated word problems. */

/** A person in a word problem. */
export interface Person {
  name: string;
  /** Subject pronoun, lower case: `she` / `he`. */
  they: string;
  /** Possessive: `her` / `his`. */
  their: string;
}

/** The cast, varied in origin and evenly split between she and he. */
export const PEOPLE: readonly Person[] = [
  ...['Maya', 'Aisha', 'Sofia', 'Mei', 'Priya', 'Elena', 'Fatima', 'Nora', 'Hana', 'Lucia', 'Amara', 'Ingrid'].map((name) => ({ name, they: 'she', their: 'her' })),
  ...['Omar', 'Liam', 'Kenji', 'Mateo', 'Arjun', 'Tariq', 'Felix', 'Diego', 'Samuel', 'Ivan', 'Kwame', 'Lars'].map((name) => ({ name, they: 'he', their: 'his' })),
];

/** `word` with its first letter in upper case. Example: capitalize('she') → 'She'. */
export function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
