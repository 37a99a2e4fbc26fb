// kind: http
// follows: https://www.typescriptlang.org/docs/handbook/release-notes/typescript-5-0.html#decorators (standard decorators, as Deno runs them)
// call: GET /
// status: 200
// expect-body: {"first":"fib(30)=832040","second":"fib(30)=832040","computed":1,"log":["enter total","exit total"],"total":6,"registered":["PriceList"],"fieldDefault":"EUR"}

const registry: string[] = [];
function register<T extends new (...args: any[]) => object>(target: T, context: ClassDecoratorContext) {
  registry.push(String(context.name));
  return target;
}

const log: string[] = [];
function logged(method: any, context: ClassMethodDecoratorContext) {
  return function (this: unknown, ...args: unknown[]) {
    log.push(`enter ${String(context.name)}`);
    const result = method.apply(this, args);
    log.push(`exit ${String(context.name)}`);
    return result;
  };
}

function memoize(method: any, _context: ClassMethodDecoratorContext) {
  const cache = new Map<string, unknown>();
  return function (this: unknown, ...args: unknown[]) {
    const key = JSON.stringify(args);
    if (!cache.has(key)) cache.set(key, method.apply(this, args));
    return cache.get(key);
  };
}

function defaultTo(value: string) {
  return (_: undefined, _context: ClassFieldDecoratorContext) => (initial: string) => initial ?? value;
}

let computed = 0;

@register
class PriceList {
  @defaultTo("EUR") currency!: string;

  @logged
  total(prices: number[]) {
    return prices.reduce((a, b) => a + b, 0);
  }

  @memoize
  fib(n: number): string {
    computed++;
    const f = (k: number): number => (k < 2 ? k : f(k - 1) + f(k - 2));
    return `fib(${n})=${f(n)}`;
  }
}

export default function () {
  const list = new PriceList();
  const first = list.fib(30);
  const second = list.fib(30);
  return Response.json({ first, second, computed, log, total: list.total([1, 2, 3]), registered: registry, fieldDefault: list.currency });
}
