// A small parser and evaluator for ARM template expressions ("[concat(parameters('a'), '-x')]").
// Why: neither arm-ttk nor Bicep can run offline, so the template tests parse EVERY
// expression (a syntax error or unbalanced bracket fails), and evaluate names, locations and
// dependsOn with sample parameters to check that every dependsOn target is a declared resource.

export type ArmNode =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'call'; name: string; args: ArmNode[] }
  | { kind: 'property'; target: ArmNode; name: string }
  | { kind: 'index'; target: ArmNode; index: ArmNode };

/** True for a JSON string ARM treats as an expression; "[[" escapes a literal "[". */
export function isExpression(value: string): boolean {
  return value.startsWith('[') && !value.startsWith('[[') && value.endsWith(']');
}

export function parseExpression(text: string): ArmNode {
  if (!isExpression(text)) throw new Error(`not an expression: ${text}`);
  const source = text.slice(1, -1);
  let pos = 0;
  const fail = (message: string): never => {
    throw new Error(`${message} at ${pos} in ${text}`);
  };
  const skipSpace = () => {
    while (pos < source.length && /\s/.test(source[pos]!)) pos++;
  };
  const parsePrimary = (): ArmNode => {
    skipSpace();
    const char = source[pos];
    if (char === "'") {
      let value = '';
      pos++;
      for (;;) {
        if (pos >= source.length) fail('unterminated string');
        if (source[pos] === "'") {
          if (source[pos + 1] === "'") {
            value += "'";
            pos += 2;
            continue;
          }
          pos++;
          return { kind: 'string', value };
        }
        value += source[pos++];
      }
    }
    const number = /^-?\d+/.exec(source.slice(pos));
    if (number) {
      pos += number[0].length;
      return { kind: 'number', value: Number(number[0]) };
    }
    const name = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(source.slice(pos));
    if (!name) return fail('expected a value');
    pos += name[0].length;
    skipSpace();
    if (source[pos] !== '(') return fail(`expected "(" after ${name[0]}`);
    pos++;
    const args: ArmNode[] = [];
    skipSpace();
    if (source[pos] === ')') pos++;
    else {
      for (;;) {
        args.push(parseAccess());
        skipSpace();
        if (source[pos] === ',') pos++;
        else if (source[pos] === ')') {
          pos++;
          break;
        } else fail('expected "," or ")"');
      }
    }
    return { kind: 'call', name: name[0], args };
  };
  const parseAccess = (): ArmNode => {
    let node = parsePrimary();
    for (;;) {
      skipSpace();
      if (source[pos] === '.') {
        pos++;
        const property = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(pos));
        if (!property) fail('expected a property name');
        pos += property![0].length;
        node = { kind: 'property', target: node, name: property![0] };
      } else if (source[pos] === '[') {
        pos++;
        const index = parseAccess();
        skipSpace();
        if (source[pos] !== ']') fail('expected "]"');
        pos++;
        node = { kind: 'index', target: node, index };
      } else return node;
    }
  };
  const root = parseAccess();
  skipSpace();
  if (pos !== source.length) fail('unexpected trailing text');
  return root;
}

/** Every function called anywhere in the tree (lower case). */
export function calledFunctions(node: ArmNode): string[] {
  switch (node.kind) {
    case 'call':
      return [node.name.toLowerCase(), ...node.args.flatMap(calledFunctions)];
    case 'property':
      return calledFunctions(node.target);
    case 'index':
      return [...calledFunctions(node.target), ...calledFunctions(node.index)];
    default:
      return [];
  }
}

/** Names passed to parameters('…') / variables('…') anywhere in the tree. */
export function referencedNames(node: ArmNode, fn: 'parameters' | 'variables'): string[] {
  switch (node.kind) {
    case 'call': {
      const own = node.name.toLowerCase() === fn && node.args[0]?.kind === 'string' ? [node.args[0].value] : [];
      return [...own, ...node.args.flatMap((arg) => referencedNames(arg, fn))];
    }
    case 'property':
      return referencedNames(node.target, fn);
    case 'index':
      return [...referencedNames(node.target, fn), ...referencedNames(node.index, fn)];
    default:
      return [];
  }
}

export interface EvaluationScope {
  parameters: Record<string, unknown>;
  variables: Record<string, unknown>;
  resourceGroup: { id: string; location: string; name: string; tags?: Record<string, string> };
}

/**
 * Evaluates the deterministic subset used in names, locations and dependsOn. Runtime-only
 * functions (reference, listKeys, …) throw: those must never decide a name or a dependency.
 * resourceId() yields "<type>/<name segments joined by '/'>", comparable with declared resources.
 */
export function evaluate(node: ArmNode, scope: EvaluationScope): unknown {
  const value = (arg: ArmNode) => evaluate(arg, scope);
  const text = (arg: ArmNode) => String(value(arg));
  switch (node.kind) {
    case 'string':
    case 'number':
      return node.value;
    case 'property': {
      const target = value(node.target) as Record<string, unknown>;
      if (target === null || typeof target !== 'object' || !(node.name in target)) {
        throw new Error(`unknown property ${node.name}`);
      }
      return target[node.name];
    }
    case 'index':
      return (value(node.target) as Record<string, unknown>)[String(value(node.index))];
    case 'call':
      break;
  }
  const args = node.args;
  switch (node.name.toLowerCase()) {
    case 'if':
      // Like ARM: only the branch the condition picks is evaluated, so a listKeys() of a resource that is not
      // deployed (a `condition` false) in the other branch is never called.
      return value(args[0]!) === true ? value(args[1]!) : value(args[2]!);
    case 'equals':
      return value(args[0]!) === value(args[1]!);
    case 'empty':
      return text(args[0]!) === '';
    case 'parameters':
      if (!(text(args[0]!) in scope.parameters)) throw new Error(`undeclared parameter ${text(args[0]!)}`);
      return scope.parameters[text(args[0]!)];
    case 'variables':
      if (!(text(args[0]!) in scope.variables)) throw new Error(`undeclared variable ${text(args[0]!)}`);
      return scope.variables[text(args[0]!)];
    case 'concat':
      return args.map(text).join('');
    case 'format':
      return text(args[0]!).replace(/\{(\d+)\}/g, (_, i: string) => text(args[Number(i) + 1]!));
    case 'tolower':
      return text(args[0]!).toLowerCase();
    case 'replace':
      return text(args[0]!).split(text(args[1]!)).join(text(args[2]!));
    case 'take':
      return text(args[0]!).slice(0, Number(value(args[1]!)));
    case 'string':
      return text(args[0]!);
    case 'uniquestring':
      return fakeUniqueString(args.map(text).join('|'));
    case 'resourcegroup':
      return scope.resourceGroup;
    case 'resourceid':
      return `${text(args[0]!)}/${args.slice(1).map(text).join('/')}`.toLowerCase();
    case 'extensionresourceid':
      // the scope (first argument) is dropped: the same "<type>/<name>" shape as a declared resource's key
      return `${text(args[1]!)}/${args.slice(2).map(text).join('/')}`.toLowerCase();
    case 'subscriptionresourceid':
      return `/subscriptions/0000/providers/${text(args[0]!)}/${args.slice(1).map(text).join('/')}`;
    case 'guid':
      return fakeGuid(args.map(text).join('|'));
    case 'newguid':
      // only in a parameter's default; a sample of the right shape
      return fakeGuid('newGuid');
    case 'and':
      return args.every((arg) => value(arg) === true);
    case 'or':
      return args.some((arg) => value(arg) === true);
    case 'not':
      return value(args[0]!) !== true;
    case 'contains': {
      const container = value(args[0]!);
      const item = value(args[1]!);
      if (typeof container === 'string') return container.includes(String(item));
      if (Array.isArray(container)) return container.includes(item);
      return container !== null && typeof container === 'object' && String(item) in container;
    }
    case 'json':
      return JSON.parse(text(args[0]!)) as unknown;
    case 'union':
      return Object.assign({}, ...args.map((arg) => value(arg) as object)) as unknown;
    case 'createobject': {
      const object: Record<string, unknown> = {};
      for (let i = 0; i + 1 < args.length; i += 2) object[text(args[i]!)] = value(args[i + 1]!);
      return object;
    }
    default:
      throw new Error(`${node.name}() is not deterministic here`);
  }
}

/** Same shape as ARM's guid(): 36 characters, lowercase hex with dashes; deterministic for its input. */
function fakeGuid(input: string): string {
  const hex = [0, 1, 2].map((i) => fakeUniqueString(`${i}|${input}`)).join('');
  const digits = [...hex].map((char) => (parseInt(char, 36) % 16).toString(16)).join('');
  return `${digits.slice(0, 8)}-${digits.slice(8, 12)}-${digits.slice(12, 16)}-${digits.slice(16, 20)}-${digits.slice(20, 32)}`;
}

/** Same shape as ARM's uniqueString (13 lowercase alphanumerics); the value itself does not matter offline. */
function fakeUniqueString(input: string): string {
  let hash = 7n;
  for (const char of input) hash = (hash * 131n + BigInt(char.codePointAt(0)!)) % 2n ** 64n;
  return hash.toString(36).padStart(13, 'a').slice(-13);
}
