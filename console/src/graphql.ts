/** GraphQL for the schema editor: token colours and where an error's line and column are. */
import { StreamLanguage, type StreamParser } from '@codemirror/language';

const KEYWORDS = new Set([
  'type', 'input', 'enum', 'interface', 'union', 'scalar', 'schema', 'extend', 'implements',
  'directive', 'fragment', 'on', 'query', 'mutation', 'subscription', 'repeatable',
]);
const ATOMS = new Set(['true', 'false', 'null']);

interface State {
  /** Inside a """block string""" that spans lines. */
  inBlockString: boolean;
}

/** Names each token of a line; unit tested through {@link tokenize}. */
export const graphqlParser: StreamParser<State> = {
  name: 'graphql',
  startState: () => ({ inBlockString: false }),
  token(stream, state) {
    if (state.inBlockString) {
      if (stream.skipTo('"""')) {
        stream.match('"""');
        state.inBlockString = false;
      } else {
        stream.skipToEnd();
      }
      return 'string';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('#')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match('"""')) {
      state.inBlockString = true;
      return 'string';
    }
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return 'string';
    if (stream.match(/^-?\d+(\.\d+)?([eE][+-]?\d+)?/)) return 'number';
    if (stream.match(/^@[_A-Za-z][_0-9A-Za-z]*/)) return 'meta';
    if (stream.match(/^\$[_A-Za-z][_0-9A-Za-z]*/)) return 'variableName';
    const word = stream.match(/^[_A-Za-z][_0-9A-Za-z]*/);
    if (word && Array.isArray(word)) {
      const text = word[0];
      if (KEYWORDS.has(text)) return 'keyword';
      if (ATOMS.has(text)) return 'atom';
      if (/^[A-Z]/.test(text)) return 'typeName';
      return stream.peek() === ':' || /^\s*[:(]/.test(stream.string.slice(stream.pos)) ? 'propertyName' : 'variableName';
    }
    if (stream.match(/^[{}()[\]]/)) return 'bracket';
    stream.next();
    return 'punctuation';
  },
  languageData: { commentTokens: { line: '#' } },
};

export const graphql = StreamLanguage.define(graphqlParser);

/** Offset in `text` of a 1-based line and column, clamped to the text. */
export function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < Math.min(line - 1, lines.length - 1); i++) offset += (lines[i] ?? '').length + 1;
  const lineText = lines[Math.min(line - 1, lines.length - 1)] ?? '';
  return Math.min(offset + Math.max(0, Math.min(column - 1, lineText.length)), text.length);
}

/** A starting schema for a new API. */
export const STARTER_SCHEMA = `type Todo @model {
  id: ID!
  name: String!
  description: String
}
`;
