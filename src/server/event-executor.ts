import {
  createSourceEventStream,
  defaultFieldResolver,
  execute,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

import { isPullable, type PullableIterator } from '../lib/pullable';
import { eventSinkOf, type EventSink } from './event-sink';

/** Thrown where graphql-js would do more than copy data (or report an error): graphql-js then runs the event. */
const BAIL = Symbol('bail');

type Complete = (value: unknown) => unknown;

/** A promise (or any thenable): work still running, where a plan wants data. */
const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && 'then' in value;

/**
 * How to complete a value of `type` for `selectionSet` when every field is plain data: scalars and enums
 * serialised, objects copied field by field, lists mapped. Null when graphql-js is needed for this selection
 * (a field with its own resolver or arguments, a directive, a fragment, an abstract type).
 */
function completion(type: GraphQLOutputType, selectionSet: SelectionSetNode | undefined): Complete | null {
  if (isNonNullType(type)) {
    const inner = completion(type.ofType, selectionSet);
    return (
      inner &&
      ((value) => {
        const out = inner(value);
        if (out === null) throw BAIL;
        return out;
      })
    );
  }
  if (isListType(type)) {
    const inner = completion(type.ofType, selectionSet);
    return (
      inner &&
      ((value) => {
        if (value === null || value === undefined) return null;
        if (!Array.isArray(value)) throw BAIL;
        return value.map(inner);
      })
    );
  }
  if (isScalarType(type) || isEnumType(type)) {
    return (value) => {
      if (value === null || value === undefined) return null;
      const out: unknown = type.serialize(value);
      if (out === undefined || out === null) throw BAIL;
      return out;
    };
  }
  if (isObjectType(type) && selectionSet) return objectCompletion(type, selectionSet);
  return null;
}

function objectCompletion(type: GraphQLObjectType, selectionSet: SelectionSetNode): Complete | null {
  const defs = type.getFields();
  const fields: { key: string; name: string | null; complete: Complete }[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || (selection.directives?.length ?? 0) > 0) return null;
    const key = selection.alias?.value ?? selection.name.value;
    if (fields.some((f) => f.key === key)) return null;
    if (selection.name.value === '__typename') {
      fields.push({ key, name: null, complete: () => type.name });
      continue;
    }
    const def = defs[selection.name.value];
    if (!def || def.resolve || def.args.length > 0) return null;
    const complete = completion(def.type, selection.selectionSet);
    if (!complete) return null;
    fields.push({ key, name: selection.name.value, complete });
  }
  // A frozen source cannot change, so neither can what this selection makes of it: made once, then shared.
  const made = new WeakMap<object, Record<string, unknown>>();
  return (value) => {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'object') throw BAIL;
    const frozen = Object.isFrozen(value);
    if (frozen) {
      const kept = made.get(value);
      if (kept) return kept;
    }
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      if (f.name === null) {
        out[f.key] = f.complete(value);
        continue;
      }
      const raw = source[f.name];
      // A function or a promise is work for graphql-js's default resolver, not data to copy.
      if (typeof raw === 'function' || isThenable(raw)) throw BAIL;
      out[f.key] = f.complete(raw);
    }
    if (frozen) made.set(value, out);
    return out;
  };
}

interface Plan {
  operation: OperationDefinitionNode;
  key: string;
  complete: Complete;
}

/** Events completed by a plan, and events executed by graphql-js (tests; a low share of planned is a hint). */
export const eventStats = { planned: 0, executed: 0 };

/** Plans by document and operation name; documents are kept by query text (document-cache.ts). */
const plans = new WeakMap<DocumentNode, Map<string, Plan | null>>();

function planOf(args: ExecutionArgs): Plan | null {
  let byName = plans.get(args.document);
  if (!byName) plans.set(args.document, (byName = new Map()));
  const name = args.operationName ?? '';
  if (byName.has(name)) return byName.get(name) as Plan | null;
  let plan: Plan | null = null;
  const operation = getOperationAST(args.document, args.operationName);
  const root = args.schema.getSubscriptionType();
  const field = operation?.selectionSet.selections[0];
  if (
    operation?.operation === 'subscription' &&
    root &&
    args.document.definitions.length === 1 &&
    (operation.directives?.length ?? 0) === 0 &&
    operation.selectionSet.selections.length === 1 &&
    field?.kind === Kind.FIELD &&
    (field.directives?.length ?? 0) === 0 &&
    root.getFields()[field.name.value]
  ) {
    const complete = completion(root.getFields()[field.name.value].type, field.selectionSet);
    if (complete) plan = { operation, key: field.alias?.value ?? field.name.value, complete };
  }
  byName.set(name, plan);
  return plan;
}

/**
 * One subscriber's event runner: the root field's resolver (type-graphql's), then the plan; null when the event
 * must go through graphql-js (no plan, arguments that do not coerce, anything a plan refuses).
 */
function eventRunner(
  args: ExecutionArgs,
): ((event: unknown) => ExecutionResult | null | Promise<ExecutionResult | null>) | null {
  const plan = planOf(args);
  if (!plan) return null;
  const coerced = getVariableValues(
    args.schema,
    plan.operation.variableDefinitions ?? [],
    args.variableValues ?? {},
  );
  if (coerced.errors) return null;
  const root = args.schema.getSubscriptionType() as GraphQLObjectType;
  const node = plan.operation.selectionSet.selections[0];
  if (node.kind !== Kind.FIELD) return null;
  const def = root.getFields()[node.name.value];
  let fieldArgs: Record<string, unknown>;
  try {
    fieldArgs = getArgumentValues(def, node, coerced.coerced);
  } catch {
    return null;
  }
  const resolve = def.resolve ?? defaultFieldResolver;
  const info: Omit<GraphQLResolveInfo, 'rootValue'> = {
    fieldName: def.name,
    fieldNodes: [node],
    returnType: def.type,
    parentType: root,
    path: { prev: undefined, key: plan.key, typename: root.name },
    schema: args.schema,
    fragments: {},
    operation: plan.operation,
    variableValues: coerced.coerced,
  };
  const complete = (value: unknown): ExecutionResult | null => {
    try {
      return { data: { [plan.key]: plan.complete(value) } };
    } catch {
      return null;
    }
  };
  return (event) => {
    try {
      const value: unknown = resolve(event, fieldArgs, args.contextValue, { ...info, rootValue: event });
      // type-graphql's resolvers with arguments answer with a promise (their argument validation is async).
      if (isThenable(value)) return Promise.resolve(value).then(complete, () => null);
      return complete(value);
    } catch {
      return null;
    }
  };
}

/**
 * graphql-js's `subscribe`, with each event executed by a plan made once per document where the selection is
 * plain data (a `marginRatio` or `prices` subscription): the same result as graphql-js's per-event `execute`, at
 * a fraction of its cost per subscriber and event. Any event a plan cannot complete exactly as graphql-js would
 * (an error, a null in a non-null field, a field with its own resolver) goes through graphql-js's `execute`.
 * When the source can be pulled and the operation has a sink (a graphql-ws socket), events are written
 * straight to it (`delivered`).
 */
export async function subscribeWithPlans(
  args: ExecutionArgs,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const events = source[Symbol.asyncIterator]();
  const run = eventRunner(args);
  const executeEvent = (event: unknown): ExecutionResult | Promise<ExecutionResult> => {
    const planned = run?.(event);
    if (planned && !isThenable(planned)) {
      eventStats.planned++;
      return planned;
    }
    return Promise.resolve(planned).then((result) => {
      if (result) {
        eventStats.planned++;
        return result;
      }
      eventStats.executed++;
      return execute({ ...args, rootValue: event });
    });
  };
  const sink = eventSinkOf(args.contextValue);
  if (sink && isPullable(events)) return delivered(events, executeEvent, sink);
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const next = await events.next();
      return next.done ? next : { value: await executeEvent(next.value), done: false };
    },
    return: async () => {
      await events.return?.();
      return { value: undefined, done: true };
    },
    throw: async (error: unknown) => {
      await events.return?.();
      throw error;
    },
    [Symbol.asyncIterator]: () => mapped,
  };
  return mapped;
}

/**
 * A subscription whose events go straight from the source to the sink: each event is pulled, executed and
 * written with no promise in between (for a planned event), and the next is pulled once the sink has taken
 * it. What graphql-ws iterates only ends: when the source ends, or when graphql-ws returns it (the client
 * completed the operation or closed the socket). The first pull waits for graphql-ws's first `next()`, the
 * moment it has registered the operation, so nothing is written for an operation it would not run.
 */
function delivered(
  events: PullableIterator<unknown>,
  executeEvent: (event: unknown) => ExecutionResult | Promise<ExecutionResult>,
  sink: EventSink,
): AsyncIterableIterator<ExecutionResult> {
  let open = true;
  let started = false;
  let end!: (result: IteratorResult<ExecutionResult>) => void;
  let fail!: (error: unknown) => void;
  const ended = new Promise<IteratorResult<ExecutionResult>>((resolve, reject) => {
    end = resolve;
    fail = reject;
  });
  const close = () => {
    open = false;
    end({ value: undefined, done: true });
  };
  // graphql-ws sends the error and drops the operation without returning what it iterates: the source is
  // released here.
  const failWith = (error: unknown) => {
    open = false;
    void events.return?.();
    fail(error);
  };
  const write = (result: ExecutionResult) => {
    if (open) sink.write(result, pull);
  };
  const take = (next: IteratorResult<unknown>) => {
    if (!open) return;
    if (next.done) return close();
    let result: ExecutionResult | Promise<ExecutionResult>;
    try {
      result = executeEvent(next.value);
    } catch (error) {
      return failWith(error);
    }
    if (!isThenable(result)) return write(result);
    result.then(write, failWith);
  };
  const pull = () => {
    if (open) events.pull(take);
  };
  /** graphql-ws ends the operation: nothing more is written, and the source is released. */
  const stop = async () => {
    if (open) close();
    await events.return?.();
  };
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next() {
      if (!started) {
        started = true;
        pull();
      }
      return ended;
    },
    return: async () => {
      await stop();
      return { value: undefined, done: true };
    },
    throw: async (error: unknown) => {
      await stop();
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
