const log: string[] = [];

function logged<This, Args extends unknown[], Ret>(value: (this: This, ...args: Args) => Ret, context: ClassMethodDecoratorContext<This>) {
  log.push(`decorate ${context.kind} ${String(context.name)} static=${context.static}`);
  context.addInitializer(function () { log.push(`init ${String(context.name)}`); });
  return function (this: This, ...args: Args): Ret {
    log.push(`call ${String(context.name)}(${args.join(",")})`);
    return value.apply(this, args);
  };
}

function doubled(_: undefined, context: ClassFieldDecoratorContext) {
  log.push(`decorate ${context.kind} ${String(context.name)}`);
  return (initial: number) => initial * 2;
}

function tracked<This, V>(target: ClassAccessorDecoratorTarget<This, V>, context: ClassAccessorDecoratorContext<This, V>) {
  log.push(`decorate ${context.kind} ${String(context.name)}`);
  return {
    get(this: This) { const v = target.get.call(this); log.push(`get ${String(context.name)}=${v}`); return v; },
    set(this: This, v: V) { log.push(`set ${String(context.name)}=${v}`); target.set.call(this, v); },
  };
}

function named(label: string) {
  return function <T extends new (...args: any[]) => object>(value: T, context: ClassDecoratorContext) {
    log.push(`decorate ${context.kind} ${String(context.name)} as ${label}`);
    return class extends value { label = label; };
  };
}

@named("counter")
class Counter {
  @doubled start = 21;
  @tracked accessor count = 0;

  @logged
  add(n: number): number {
    this.count = this.count + n;
    return this.count;
  }

  @logged
  static make(): Counter { return new this(); }
}

export default async (req: Request): Promise<Response> => {
  const c = Counter.make();
  c.add(2);
  const total = c.add(3);
  return Response.json({ total, start: c.start, label: (c as any).label, log });
};
