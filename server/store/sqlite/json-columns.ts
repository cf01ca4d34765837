// JSON in TEXT columns: null stays SQL NULL (not the string "null").
export const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
export const parse = (text: string | null) => (text === null ? null : JSON.parse(text));
