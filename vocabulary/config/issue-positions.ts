/**
 * Where in a config file a schema problem lies: the line and column of the value at an
 * issue's path, found with jsonc-parser's syntax tree. A path that is not in the file (a
 * required key left out) points at the closest object that is, where the key belongs.
 */
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { lineColumn } from './json-position';

/** A line and a column, both 1-based. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/** Finds the positions of issue paths in one JSON text. */
export function issuePositions(text: string): (path: readonly PropertyKey[]) => TextPosition | undefined {
  const tree = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
  return (path) => {
    if (!tree) return undefined;
    const segments = path.map((key) => (typeof key === 'number' ? key : String(key)));
    let node: Node | undefined;
    for (let n = segments.length; n >= 0 && !node; n--) node = findNodeAtLocation(tree, segments.slice(0, n));
    if (!node) return undefined;
    // a key's position reads better than its value's for objects and arrays spanning lines
    const at = node.parent?.type === 'property' && node.parent.children?.[0] ? node.parent.children[0] : node;
    return lineColumn(text, at.offset);
  };
}
