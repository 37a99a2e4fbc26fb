namespace Geometry {
  export const unit = 2;
  export function area(r: number): number {
    return unit * r * r;
  }
  export namespace Shapes {
    export class Square {
      constructor(public side: number) {}
      area(): number { return this.side * this.side; }
    }
  }
}
namespace Geometry {
  export const merged = Geometry.area(3);
}
module Legacy {
  export const word = "module blocks too";
}
declare namespace Ambient { const nothing: number }
namespace TypesOnly { export type Id = string }
enum Level { Low = 1, High = Low + 10 }

export default (req: Request): Response => {
  const id: TypesOnly.Id = "x";
  return Response.json({
    area: Geometry.area(5),
    square: new Geometry.Shapes.Square(4).area(),
    merged: Geometry.merged,
    word: Legacy.word,
    level: Level.High,
    id,
  });
};
